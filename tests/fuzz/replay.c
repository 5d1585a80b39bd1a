/* SPDX-License-Identifier: MIT */
/* replay.c - runs a fuzz target's LLVMFuzzerTestOneInput over files without
 * libFuzzer, so every build (gcc, no clang runtime) replays the kept crash
 * inputs and the seed corpus: `replay_<target> FILE|DIR ...`. Directories
 * are read one level deep, in name order. Prints how many inputs ran;
 * exits 0 when all returned, 2 on a usage or I/O error. A crash or a
 * failed invariant ends the process (abort), which the caller reports. */
#include "fuzzutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REPLAY_MAX_BYTES (16L << 20) /* larger files are refused, not read */

/* Targets without an initialiser get this one; the definition in a target
 * file takes precedence (weak symbol). */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* Runs one file through the target; 0 on success. */
static int replay_file(const char *path, int verbose)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || st.st_size > REPLAY_MAX_BYTES) {
        fprintf(stderr, "replay: %s is unreadable or larger than %ld bytes\n", path,
                REPLAY_MAX_BYTES);
        fclose(f);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    uint8_t *buf = malloc(n ? n : 1);
    if (buf == NULL || fread(buf, 1, n, f) != n) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    if (verbose)
        fprintf(stderr, "replay: %s (%zu bytes)\n", path, n);
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

static int replay_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of dir; returns the count, or -1 on an error. */
static long replay_dir(const char *dir, int verbose)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue; /* ".", "..", and hidden files such as .gitkeep */
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **grown = realloc(names, cap * sizeof *names);
            fz_check(grown != NULL, "out of memory listing a directory");
            names = grown;
        }
        size_t len = strlen(dir) + strlen(de->d_name) + 2;
        names[n] = malloc(len);
        fz_check(names[n] != NULL, "out of memory listing a directory");
        snprintf(names[n], len, "%s/%s", dir, de->d_name);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, replay_name_cmp);
    long count = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (count >= 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            count = replay_file(names[i], verbose) == 0 ? count + 1 : -1;
        free(names[i]);
    }
    free(names);
    return count;
}

int main(int argc, char **argv)
{
    int verbose = getenv("REPLAY_VERBOSE") != NULL;
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR ...\n", argv[0]);
        return 2;
    }
    LLVMFuzzerInitialize(&argc, &argv);
    long total = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        long got;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
            return 2;
        }
        if (S_ISDIR(st.st_mode))
            got = replay_dir(argv[i], verbose);
        else
            got = replay_file(argv[i], verbose) == 0 ? 1 : -1;
        if (got < 0)
            return 2;
        total += got;
    }
    printf("replayed %ld inputs\n", total);
    return 0;
}
