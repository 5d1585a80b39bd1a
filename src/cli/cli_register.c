/* SPDX-License-Identifier: MIT */
/* cli_register.c - the resource register on the command line (issue 12):
 *   tsunagu resources history ID [--json]   who changed what, when
 *   tsunagu export resources --format csv|geojson [--level L] [--output FILE]
 * (`import resources FILE --merge [--retire-missing]` is in cli_import.c).
 * Entry points: cli_resources, cli_export. */
#include "cli.h"
#include "escape.h"
#include "store_export.h"
#include "store_register.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints one history entry as a line: version, time, who, action, then
 * each field "before -> after". */
static void cli_register_entry(FILE *out, const json_t *h)
{
    char b[4][ESCAPE_TEXT_MAX];
    fprintf(out, "v%lld  %s  %s  %s\n",
            (long long)json_integer_value(json_object_get(h, "version")),
            escape_text(b[0], sizeof b[0], json_string_value(json_object_get(h, "at"))),
            escape_text(b[1], sizeof b[1], json_string_value(json_object_get(h, "who"))),
            escape_text(b[2], sizeof b[2], json_string_value(json_object_get(h, "action"))));
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(h, "fields"), i, f)
    {
        const char *name = json_string_value(f);
        const json_t *v[2] = {json_object_get(json_object_get(h, "before"), name),
                              json_object_get(json_object_get(h, "after"), name)};
        char *t[2] = {NULL, NULL};
        for (int k = 0; k < 2; k++)
            t[k] = v[k] == NULL || json_is_null(v[k])
                       ? NULL
                       : json_dumps(v[k], JSON_ENCODE_ANY | JSON_REAL_PRECISION(10));
        fprintf(out, "    %-12s %s -> %s\n", name,
                escape_text(b[0], sizeof b[0], t[0] ? t[0] : "(none)"),
                escape_text(b[1], sizeof b[1], t[1] ? t[1] : "(none)"));
        free(t[0]);
        free(t[1]);
    }
}

int cli_resources(struct cli_ctx *c, int argc, char **argv)
{
    struct err e = {0};
    const struct cli_opt opts[] = {{NULL, NULL, NULL}};
    int json = 0;
    const char *const flags[] = {"json", NULL};
    int *flag_dest[] = {&json};
    const char *pos[2];
    int np = 0;
    if (cli_parse(argc, argv, 1, opts, flags, flag_dest, pos, 2, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (np != 2 || strcmp(pos[0], "history") != 0) {
        err_set(&e, ERR_INPUT, "usage: tsunagu resources history ID [--json]");
        return cli_fail(&e);
    }
    if (strlen(pos[1]) > STORE_REGISTER_ID_MAX) {
        err_set(&e, ERR_INPUT, "a resource id is at most %d bytes", STORE_REGISTER_ID_MAX);
        return cli_fail(&e);
    }
    struct store *s = store_open_readonly(c->db_path, &e);
    json_t *h = s ? store_register_history(s, pos[1], &e) : NULL;
    json_t *now = h ? store_register_get(s, pos[1], NULL) : NULL;
    store_close(s);
    if (h == NULL)
        return cli_fail(&e);
    if (json) {
        json_t *doc = json_pack("{s:s,s:O?,s:o}", "id", pos[1], "current", now, "history", h);
        char *text = doc ? json_dumps(doc, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) : NULL;
        json_decref(doc);
        json_decref(now);
        if (text == NULL)
            return cli_fail((err_nomem(&e), &e));
        fprintf(c->out, "%s\n", text);
        free(text);
        return 0;
    }
    char b[2][ESCAPE_TEXT_MAX];
    if (now)
        fprintf(c->out, "%s %s: version %lld%s%s\n", escape_text(b[0], sizeof b[0], pos[1]),
                escape_text(b[1], sizeof b[1], json_string_value(json_object_get(now, "name"))),
                (long long)json_integer_value(json_object_get(now, "version")),
                json_is_null(json_object_get(now, "retired")) ? "" : ", retired ",
                json_is_null(json_object_get(now, "retired"))
                    ? ""
                    : json_string_value(json_object_get(now, "retired")));
    if (json_array_size(h) == 0)
        fputs("no change recorded since it was imported\n", c->out);
    size_t i;
    json_t *entry;
    json_array_foreach(h, i, entry) cli_register_entry(c->out, entry);
    json_decref(now);
    json_decref(h);
    return 0;
}

int cli_export(struct cli_ctx *c, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "households") == 0)
        return cli_export_households(c, argc, argv);
    struct err e = {0};
    const char *format = NULL, *level = NULL, *output = NULL;
    const struct cli_opt opts[] = {{"format", &format, NULL},
                                   {"level", &level, NULL},
                                   {"output", &output, NULL},
                                   {NULL, NULL, NULL}};
    const char *pos[1];
    int np = 0;
    const char *const flags[] = {NULL};
    if (cli_parse(argc, argv, 1, opts, flags, NULL, pos, 1, &np, &e) != ERR_OK)
        return cli_fail(&e);
    if (np != 1 || strcmp(pos[0], "resources") != 0) {
        err_set(&e, ERR_INPUT,
                "usage: tsunagu export resources --format csv|geojson [--level L] "
                "[--output FILE], or tsunagu export households --agency A");
        return cli_fail(&e);
    }
    int f = format == NULL                   ? 0
            : strcmp(format, "csv") == 0     ? STORE_EXPORT_CSV
            : strcmp(format, "geojson") == 0 ? STORE_EXPORT_GEOJSON
                                             : 0;
    if (f == 0) {
        err_set(&e, ERR_INPUT, "--format must be csv or geojson");
        return cli_fail(&e);
    }
    struct store *s = store_open_readonly(c->db_path, &e);
    if (s == NULL)
        return cli_fail(&e);
    FILE *out = c->out;
    if (output && (out = fopen(output, "wx")) == NULL) {
        store_close(s);
        err_set(&e, ERR_IO, "cannot create %s (it may exist already)", output);
        return cli_fail(&e);
    }
    int rc = store_export_resources(s, f, level, out, &e);
    store_close(s);
    if (output && fclose(out) != 0 && rc == ERR_OK)
        rc = err_set(&e, ERR_IO, "cannot write %s", output);
    if (rc != ERR_OK && output)
        remove(output);
    return rc == ERR_OK ? 0 : cli_fail(&e);
}
