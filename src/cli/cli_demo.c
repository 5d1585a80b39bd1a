/* SPDX-License-Identifier: MIT */
/* cli_demo.c - `tsunagu demo` (build the fictional town's database from
 * data/ and show it) and `tsunagu generate-demo DIR` (write the town's files
 * with demogen). The demo database is rebuilt from scratch on every run, and
 * only a file tsunagu itself marked as a demo database is ever replaced.
 * After building, demo serves the database over HTTP (cli_serve_db) unless
 * --no-serve is given. */
#include "cli.h"
#include "paths.h"
#include "demogen.h"
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_generate_demo(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 1, NULL, NULL, NULL, pos, 1, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (np != 1) {
        err_set(&e, ERR_INPUT, "generate-demo needs the directory to write into");
        return cli_fail(&e);
    }
    if (demogen_write(pos[0], &e) != ERR_OK)
        return cli_fail(&e);
    fprintf(c->out, "wrote the fictional demo town (架空) into %s\n", pos[0]);
    return 0;
}

/* The demo's input files, in import order. */
static const struct {
    int kind;               /* enum import_kind */
    const char *file;       /* under the data directory */
    const char *level;      /* districts level */
    const char *label;      /* level label */
    const char *kind_value; /* resources: one kind for the whole file */
} cli_demo_files[] = {
    {IMPORT_NETWORK, "town_network.geojson", NULL, NULL, NULL},
    {IMPORT_DISTRICTS, "town_districts_junior_high.geojson", "junior_high", NULL, NULL},
    {IMPORT_DISTRICTS, "town_districts_elementary.geojson", "elementary", NULL, NULL},
    {IMPORT_RESOURCES, "town_resources.geojson", NULL, NULL, NULL},
    {IMPORT_HOUSEHOLDS, "town_households.csv", NULL, NULL, NULL},
    {IMPORT_POPULATION, "town_population.geojson", NULL, NULL, NULL},
    {IMPORT_CANDIDATES, "town_candidates.geojson", NULL, NULL, NULL}, /* suggest's sites */
};

/* Finds the demo town's data (paths.h: $TSUNAGU_DATA, ./data, the installed
 * share/tsunagu/data, the source tree's data/) into buf (PATHS_MAX). */
static int cli_demo_data_dir(char *buf, struct err *e)
{
    return paths_share("data", "town_network.geojson", "TSUNAGU_DATA", buf, PATHS_MAX, e);
}

/* Removes an earlier demo database; refuses to touch any other file. */
static int cli_demo_reset(const char *path, struct err *e)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return ERR_OK;
    struct store *s = store_open_readonly(path, e);
    char mark[8] = "";
    if (s == NULL || store_meta_get(s, "demo", mark, sizeof mark, NULL) != ERR_OK ||
        strcmp(mark, "yes") != 0) {
        store_close(s);
        err_clear(e);
        return err_set(e, ERR_INPUT,
                       "%s exists and is not a demo database; choose another "
                       "file with --db",
                       path);
    }
    store_close(s);
    char side[4096];
    static const char *const ext[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(side, sizeof side, "%s%s", path, ext[i]);
        if (unlink(side) != 0 && i == 0)
            return err_set(e, ERR_IO, "cannot replace %s", path);
    }
    return ERR_OK;
}

/* Builds the demo database at `path` from `dir`. */
static int cli_demo_build(const char *path, const char *dir, FILE *out, struct err *e)
{
    if (cli_demo_reset(path, e) != ERR_OK)
        return e->code;
    struct store *st = store_open(path, e);
    if (st == NULL)
        return e->code;
    int rc = store_meta_set(st, "demo", "yes", e);
    if (rc == ERR_OK) /* the name reports print in their title */
        rc = store_meta_set(st, "municipality", "架空市（デモの町）", e);
    /* The demo town is invented: its credit says so (the page shows it). */
    if (rc == ERR_OK)
        rc = store_attrib_set(st, "demo", "town", "架空のデータ（tsunagu デモの町）", e);
    for (size_t i = 0; rc == ERR_OK && i < sizeof cli_demo_files / sizeof cli_demo_files[0]; i++) {
        char file[PATHS_MAX + 64]; /* dir (< PATHS_MAX) + "/" + a short file name */
        snprintf(file, sizeof file, "%s/%s", dir, cli_demo_files[i].file);
        struct import_opts o = {0};
        struct import_report rep;
        o.kind = cli_demo_files[i].kind;
        o.src.path = file;
        o.level = cli_demo_files[i].level;
        o.level_label = cli_demo_files[i].label;
        o.kind_value = cli_demo_files[i].kind_value;
        rc = import_run(st, &o, &rep, e);
        if (rc == ERR_OK)
            fprintf(out, "  %-36s %6ld %s\n", cli_demo_files[i].file, rep.stored,
                    o.kind == IMPORT_NETWORK ? "edges" : "rows");
    }
    store_close(st);
    return rc;
}

int cli_demo(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const char *port = NULL, *bind = NULL, *threads = NULL;
    const char *db = NULL;
    int no_serve = 0;
    const struct cli_opt opts[] = {{"port", &port, NULL},
                                   {"bind", &bind, NULL},
                                   {"threads", &threads, NULL},
                                   {"out", &db, NULL},
                                   {NULL, NULL, NULL}};
    const char *const flags[] = {"no-serve", NULL};
    int *fd[] = {&no_serve};
    const char *pos[1];
    int np = 0;
    if (cli_parse(argc, argv, 1, opts, flags, fd, pos, 0, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (db == NULL)
        db = strcmp(c->db_path, "tsunagu.db") == 0 ? "tsunagu-demo.db" : c->db_path;
    char dir[PATHS_MAX];
    if (cli_demo_data_dir(dir, &e) != ERR_OK)
        return cli_fail(&e);
    fprintf(c->out, "building the fictional demo town (架空のまち) from %s into %s\n", dir, db);
    if (cli_demo_build(db, dir, c->out, &e) != ERR_OK)
        return cli_fail(&e);
    struct cli_ctx info = {db, c->out, 1};
    char *args[] = {"info", NULL};
    int rc = cli_info(&info, 1, args);
    if (rc != 0 || no_serve)
        return rc;
    /* The same service as `tsunagu serve`; it prints the URL to open. */
    struct cli_serve_text t = {.port = port, .bind = bind, .threads = threads};
    return cli_serve_db(c, db, &t);
}
