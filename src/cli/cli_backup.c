/* SPDX-License-Identifier: MIT */
/* cli_backup.c - `tsunagu backup FILE`, `tsunagu check` and `tsunagu
 * restore FILE` (see cli.h): an online copy of the database, a check of
 * what a database (or a backup, with --db) holds with its fingerprint, and
 * restoring a checked backup. The copies themselves are store_backup.c's. */
#include "cli.h"
#include "store.h"

#include <stdio.h>

int cli_backup(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 1, NULL, NULL, NULL, pos, 1, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (np != 1) {
        err_set(&e, ERR_INPUT, "backup needs the file to write (tsunagu backup FILE)");
        return cli_fail(&e);
    }
    if (store_backup(c->db_path, pos[0], &e) != ERR_OK)
        return cli_fail(&e);
    fprintf(c->out, "backed up %s into %s (checked)\n", c->db_path, pos[0]);
    return 0;
}

int cli_check(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 1, NULL, NULL, NULL, pos, 0, &np, &e) != ERR_OK)
        return cli_fail(&e);
    int version = 0;
    if (store_check(c->db_path, &version, &e) != ERR_OK)
        return cli_fail(&e);
    if (version < STORE_SCHEMA_VERSION) {
        fprintf(c->out,
                "database %s: integrity ok, schema version %d (older than this tsunagu's %d: "
                "it is migrated when first opened read-write)\n",
                c->db_path, version, STORE_SCHEMA_VERSION);
        return 0;
    }
    struct store *st = store_open_readonly(c->db_path, &e);
    if (st == NULL)
        return cli_fail(&e);
    struct store_summary s;
    unsigned long long digest = 0;
    int rc = store_summary(st, &s, &e);
    if (rc == ERR_OK)
        rc = store_fingerprint(st, &digest, &e);
    store_close(st);
    if (rc != ERR_OK)
        return cli_fail(&e);
    fprintf(c->out,
            "database %s: integrity ok, schema version %d\n"
            "  districts %ld, resources %ld, households %ld, population areas %ld,\n"
            "  network %ld nodes and %ld edges\n"
            "  fingerprint %016llx\n",
            c->db_path, version, s.districts, s.resources, s.households, s.areas, s.nodes, s.edges,
            digest);
    return 0;
}

int cli_restore(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 1, NULL, NULL, NULL, pos, 1, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (np != 1) {
        err_set(&e, ERR_INPUT, "restore needs the backup to read (tsunagu restore FILE)");
        return cli_fail(&e);
    }
    if (store_restore(pos[0], c->db_path, &e) != ERR_OK)
        return cli_fail(&e);
    fprintf(c->out, "restored %s from %s\n", c->db_path, pos[0]);
    return 0;
}
