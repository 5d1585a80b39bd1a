/* SPDX-License-Identifier: MIT */
/* main.c - tsunagu's entry point: reads the global options and hands the
 * command to its cli_* function. Nothing else lives here. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(FILE *to)
{
    fputs("usage: tsunagu [--db FILE] COMMAND [options]\n"
          "commands:\n"
          "  import KIND FILE   load districts, resources, households, population, network\n"
          "                     or an address reference (addresses)\n"
          "  geocode [ADDRESS]  place addresses from the address reference (stdin lines)\n"
          "  info               what the database holds\n"
          "  walk               resources within N minutes on foot of a point\n"
          "  isochrone          the area reachable on foot, as GeoJSON\n"
          "  coverage           who has a resource within N minutes' walk, per district\n"
          "  suggest            where new sites would cover the most households\n"
          "  needs              census indicators and known households by need, per district\n"
          "  equipment          resources per kind and district, per 1,000 residents\n"
          "  route              an outreach walking tour of households, split into days\n"
          "  report             the coverage report on A4 (PDF) or its map (PNG)\n"
          "  snapshot           store the official's answers now, to --compare with later\n"
          "  serve              the HTTP API and OGC API - Features (--port 8080)\n"
          "  user add|list|revoke  users of the service and their tokens (--role ...)\n"
          "  households share|unshare|shares|protect|unprotect  who else works a household\n"
          "  audit --since DATE   who read which households, from the audit log\n"
          "  audit --verify       check the audit log's hash chain\n"
          "  visits add|list    home visits: record one, list a household's\n"
          "  households overdue|close|purge  whose next visit is due; close a case;\n"
          "                     remove closed cases (their ids leave the audit log)\n"
          "  export households --agency A  one agency's households as CSV (audited)\n"
          "  backup FILE        copy the database safely while it is in use\n"
          "  check              check a database (or a backup) and print what it holds\n"
          "  restore FILE       replace the database with a checked backup\n"
          "  resources history ID  who changed a resource of the register, and how\n"
          "  export resources   the resource list as CSV (Excel) or GeoJSON\n"
          "  demo               build the fictional demo town's database and serve it\n"
          "  generate-demo DIR  write the fictional demo town's files into DIR\n"
          "The database is --db FILE, else $TSUNAGU_DB, else tsunagu.db.\n"
          "`tsunagu COMMAND --help` describes each command's options.\n",
          to);
    return to == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(struct cli_ctx *, int, char **);
    } commands[] = {
        {"import", cli_import},       {"info", cli_info},
        {"walk", cli_walk},           {"isochrone", cli_isochrone},
        {"coverage", cli_coverage},   {"suggest", cli_suggest},
        {"route", cli_route},         {"demo", cli_demo},
        {"serve", cli_serve},         {"user", cli_user},
        {"audit", cli_audit},         {"generate-demo", cli_generate_demo},
        {"backup", cli_backup},       {"check", cli_check},
        {"restore", cli_restore},     {"geocode", cli_geocode},
        {"visits", cli_visits},       {"households", cli_households},
        {"resources", cli_resources}, {"export", cli_export},
        {"needs", cli_needs},         {"equipment", cli_equipment},
        {"report", cli_report},       {"snapshot", cli_snapshot},
    };
    struct cli_ctx ctx = {getenv("TSUNAGU_DB"), stdout, 1};
    if (ctx.db_path == NULL || *ctx.db_path == '\0') {
        ctx.db_path = "tsunagu.db";
        ctx.db_given = 0;
    }
    int i = 1;
    while (i < argc && strncmp(argv[i], "--", 2) == 0) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            ctx.db_path = argv[i + 1];
            ctx.db_given = 1;
            i += 2;
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            ctx.db_path = argv[i] + 5;
            ctx.db_given = 1;
            i++;
        } else if (strcmp(argv[i], "--help") == 0) {
            return usage(stdout);
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("tsunagu %s\n"
                   "Licence: MIT (SPDX-License-Identifier: MIT); see LICENSE.\n"
                   "Third-party parts and data credits: NOTICE.\n",
                   TSUNAGU_VERSION);
            return 0;
        } else {
            fprintf(stderr, "tsunagu: unknown global option %s\n", argv[i]);
            return usage(stderr);
        }
    }
    if (i >= argc)
        return usage(stderr);
    /* `tsunagu COMMAND --help` (or -h) anywhere after the command. */
    for (int k = i + 1; k < argc; k++)
        if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
            if (cli_help(argv[i], stdout) == 0)
                return 0;
            break;
        }
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
        if (strcmp(argv[i], commands[k].name) == 0)
            return commands[k].run(&ctx, argc - i, argv + i);
    fprintf(stderr, "tsunagu: unknown command '%s'\n", argv[i]);
    return usage(stderr);
}
