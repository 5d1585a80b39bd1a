/* SPDX-License-Identifier: MIT */
/* import_layers.c - `import districts --level L --from-level F --group FILE`:
 * a level whose districts are unions of another level's districts, grouped
 * by a mapping CSV (第2層 areas drawn as groups of school districts). The
 * CSV is read through the source module (GDAL, any encoding it detects);
 * the checks and the unions are the store's (store_layers.h). Entry point:
 * import_layers_group (import.h). */
#include "import.h"

#include "store_layers.h"

#include <string.h>

#define IMPORT_LAYERS_ROWS_MAX 100000L /* mapping rows one import reads */

/* Reads the mapping rows of src into the store's parts table. */
static int import_layers_read(struct store *st, struct source *src, const char *file,
                              struct import_report *rep, struct err *e)
{
    int ncol = source_field_count(src);
    if (ncol < 2 || ncol > 3)
        return err_set(e, ERR_INPUT,
                       "%s must have two or three columns (code, group code, group name) after "
                       "its header row; it has %d",
                       file, ncol);
    for (;;) {
        struct source_feature f;
        int got = source_next(src, &f, e);
        if (got < 0)
            return e->code;
        if (got == 0)
            return ERR_OK;
        if (++rep->read > IMPORT_LAYERS_ROWS_MAX)
            return err_set(e, ERR_LIMIT, "%s has more than %ld rows", file, IMPORT_LAYERS_ROWS_MAX);
        long line = f.line > 0 ? f.line : f.index;
        const char *code = source_str(src, 0);
        const char *grp = source_str(src, 1);
        const char *name = ncol == 3 ? source_str(src, 2) : NULL;
        if (code == NULL || code[0] == '\0' || grp == NULL || grp[0] == '\0')
            return err_set(e, ERR_INPUT, "%s line %ld: the code or the group code is empty", file,
                           line);
        if (name == NULL || name[0] == '\0')
            name = grp;
        if (store_layers_add(st, grp, name, code, line, NULL, 0, e) != ERR_OK)
            return err_prefix(e, "%s line %ld: ", file, line), e->code;
        rep->stored++;
    }
}

int import_layers_group(struct store *st, const struct import_opts *o, struct import_report *rep,
                        struct err *e)
{
    const char *file = import_base(o->src.path);
    if (!store_level_exists(st, o->from_level))
        return err_set(e, ERR_NOTFOUND, "--from-level %.40s: there is no such district level",
                       o->from_level);
    if (strcmp(o->from_level, o->level) == 0)
        return err_set(e, ERR_INPUT, "--from-level must be another level than --level");
    char keybuf[256];
    const char *key = import_key(o, keybuf, sizeof keybuf);
    struct source_opts so = o->src;
    so.points_optional = 1;
    so.open_options[0] = "HEADERS=YES";
    so.open_options[1] = NULL;
    struct source *src = source_open(&so, e);
    if (src == NULL)
        return e->code;
    int rc = store_begin(st, e);
    if (rc != ERR_OK) {
        source_close(src);
        return rc;
    }
    rc = store_level_ensure(st, o->level, o->level_label, e);
    if (rc == ERR_OK)
        rc = store_districts_delete_source(st, o->level, key, e);
    if (rc == ERR_OK)
        rc = store_layers_start(st, e);
    if (rc == ERR_OK)
        rc = import_layers_read(st, src, file, rep, e);
    if (rc == ERR_OK && rep->stored == 0)
        rc = err_set(e, ERR_INPUT, "%s: no mapping rows to import", file);
    if (rc == ERR_OK && (rc = store_layers_map_check(st, o->from_level, e)) != ERR_OK)
        err_prefix(e, "%s: ", file);
    if (rc == ERR_OK && (rc = store_layers_build(st, o->level, key, &rep->groups, e)) != ERR_OK)
        err_prefix(e, "%s: ", file);
    if (rc == ERR_OK)
        rc = store_import_log(st, "districts", key, o->src.path, rep->groups, e);
    if (rc == ERR_OK)
        rc = store_commit(st, e);
    else
        store_rollback(st);
    rep->srid = store_srid(st);
    source_close(src);
    return rc;
}
