/* SPDX-License-Identifier: MIT */
/* report_file.c - an output file written whole or not at all (see
 * report.h): a temporary file in the same folder (mkstemp), renamed into
 * place once complete, so a failed report leaves no partial file. Entry
 * points: report_file_open, report_file_sink, report_file_commit,
 * report_file_abort. */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct report_file {
    char path[REPORT_PATH_MAX];     /* the file's name */
    char tmp[REPORT_PATH_MAX + 32]; /* the temporary file's */
    FILE *f;                        /* open on tmp */
    int failed;                     /* a write failed */
};

struct report_file *report_file_open(const char *path, struct err *e)
{
    struct report_file *rf = calloc(1, sizeof *rf);
    if (rf == NULL)
        return err_nomem(e), NULL;
    if (snprintf(rf->path, sizeof rf->path, "%s", path) >= (int)sizeof rf->path) {
        free(rf);
        return err_set(e, ERR_INPUT, "the output file's name is too long"), NULL;
    }
    /* Beside the file: ".NAME.partial-XXXXXX" in its folder. */
    const char *slash = strrchr(path, '/');
    int dir = slash ? (int)(slash - path + 1) : 0;
    snprintf(rf->tmp, sizeof rf->tmp, "%.*s.%s.partial-XXXXXX", dir, path, path + dir);
    struct stat sb;
    int fd = -1;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        errno = EISDIR;
    else
        fd = mkstemp(rf->tmp);
    if (fd < 0 || (rf->f = fdopen(fd, "wb")) == NULL) {
        int err = errno;
        if (fd >= 0) {
            close(fd);
            unlink(rf->tmp);
        }
        free(rf);
        return err_set(e, ERR_IO, "cannot write %s: %s", path, strerror(err)), NULL;
    }
    fchmod(fd, 0644);
    return rf;
}

int report_file_sink(void *ctx, const unsigned char *data, size_t n)
{
    struct report_file *rf = ctx;
    if (!rf->failed && fwrite(data, 1, n, rf->f) != n)
        rf->failed = 1;
    return rf->failed;
}

int report_file_commit(struct report_file *rf, struct err *e)
{
    int ok = !rf->failed && fflush(rf->f) == 0 && fsync(fileno(rf->f)) == 0;
    int err = errno;
    ok = fclose(rf->f) == 0 && ok;
    rf->f = NULL;
    if (ok && rename(rf->tmp, rf->path) != 0) {
        err = errno;
        ok = 0;
    }
    int rc = ok ? ERR_OK : err_set(e, ERR_IO, "cannot write %s: %s", rf->path, strerror(err));
    if (!ok)
        unlink(rf->tmp);
    free(rf);
    return rc;
}

void report_file_abort(struct report_file *rf)
{
    if (rf == NULL)
        return;
    if (rf->f)
        fclose(rf->f);
    unlink(rf->tmp);
    free(rf);
}
