/* SPDX-License-Identifier: MIT */
/* paths.c - the program's own files (see paths.h). The executable's path
 * comes from /proc/self/exe (Linux, the only system tsunagu is built for),
 * which the kernel keeps resolved through symlinks. */
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 when dir/probe is a regular file. */
static int paths_holds(const char *dir, const char *probe)
{
    char p[PATHS_MAX];
    struct stat st;
    if (snprintf(p, sizeof p, "%s/%s", dir, probe) >= (int)sizeof p)
        return 0;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Copies dir into buf; ERR_NOTFOUND when it does not fit. */
static int paths_copy(const char *dir, char *buf, size_t n, struct err *e)
{
    size_t len = strlen(dir);
    if (len >= n)
        return err_set(e, ERR_NOTFOUND, "the path of %.60s... is longer than %zu bytes", dir,
                       n - 1);
    memcpy(buf, dir, len + 1);
    return ERR_OK;
}

/* PREFIX/share/tsunagu/what for the running executable PREFIX/bin/tsunagu
 * into out (PATHS_MAX bytes); 0 when it cannot be worked out. */
static int paths_installed(const char *what, char *out)
{
    char exe[PATHS_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0 || (size_t)len >= sizeof exe - 1)
        return 0;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/'); /* .../bin/tsunagu -> .../bin */
    if (slash == NULL)
        return 0;
    *slash = '\0';
    slash = strrchr(exe, '/'); /* .../bin -> ... (the prefix) */
    if (slash == NULL)
        return 0;
    *slash = '\0';
    return snprintf(out, PATHS_MAX, "%s/share/tsunagu/%s", exe, what) < PATHS_MAX;
}

int paths_share(const char *what, const char *probe, const char *env, char *buf, size_t n,
                struct err *e)
{
    const char *set = env ? getenv(env) : NULL;
    if (set && *set) {
        if (!paths_holds(set, probe))
            return err_set(e, ERR_NOTFOUND, "%s names %.200s, which holds no %s", env, set, probe);
        return paths_copy(set, buf, n, e);
    }
    if (paths_holds(what, probe))
        return paths_copy(what, buf, n, e);
    char inst[PATHS_MAX];
    if (paths_installed(what, inst) && paths_holds(inst, probe))
        return paths_copy(inst, buf, n, e);
    char src[PATHS_MAX];
    snprintf(src, sizeof src, "%s/%s", TSUNAGU_SOURCE_DIR, what);
    if (paths_holds(src, probe))
        return paths_copy(src, buf, n, e);
    return err_set(e, ERR_NOTFOUND,
                   "%s/%s is not installed: looked in ./%s, PREFIX/share/tsunagu/%s beside the "
                   "program and the source tree%s%s",
                   what, probe, what, what, env ? "; set " : "", env ? env : "");
}
