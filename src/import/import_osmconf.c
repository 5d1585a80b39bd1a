/* SPDX-License-Identifier: MIT */
/* import_osmconf.c - the OSM reader's settings as a temporary file (see
 * import_osmconf.h). Entry point: import_osmconf_write. */
#include "import_osmconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int import_osmconf_write(const char *text, char *path, size_t n, struct err *e)
{
    const char *dir = getenv("TMPDIR");
    int w = snprintf(path, n, "%s/tsunagu-osmconf-XXXXXX", dir && *dir ? dir : "/tmp");
    if (w < 0 || (size_t)w >= n) {
        path[0] = '\0';
        return err_set(e, ERR_IO, "the temporary directory path (TMPDIR) is too long");
    }
    int fd = mkstemp(path);
    if (fd < 0) {
        path[0] = '\0';
        return err_set(e, ERR_IO,
                       "cannot create a temporary file in %s for the OSM reader "
                       "settings",
                       dir && *dir ? dir : "/tmp");
    }
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t k = write(fd, text + off, len - off);
        if (k <= 0)
            break;
        off += (size_t)k;
    }
    if (close(fd) != 0 || off < len)
        return err_set(e, ERR_IO, "cannot write the temporary OSM reader settings %s", path);
    return ERR_OK;
}
