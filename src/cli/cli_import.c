/* SPDX-License-Identifier: MIT */
/* cli_import.c - `tsunagu import KIND FILE [options]`: maps options onto
 * struct import_opts, runs the import, prints what landed. */
#include "cli.h"
#include "import.h"
#include "import_address.h"
#include "import_basemap.h"
#include "import_stats.h"
#include "walk.h"

#include <stdio.h>
#include <string.h>

static void cli_import_usage(void)
{
    fputs("usage: tsunagu [--db FILE] import districts|resources|households|population|network|"
          "candidates|basemap FILE [options]\n"
          "  common:     --layer L --s-srs CRS --where SQL --source NAME --crs EPSG:n\n"
          "              --lon-field F --lat-field F --encoding ENC\n"
          "  districts:  --level elementary|junior_high|KEY [--level-label TEXT]\n"
          "              --name-field F --code-field F --municipality CODE\n"
          "              --dissolve-field F (one district per value of F: the union)\n"
          "  districts --level L --from-level F --group MAP.csv (no FILE): unions of level\n"
          "              F's districts, MAP.csv rows: code, group code[, group name]\n"
          "  resources:  --kind KIND | --kind-field F, --fields LIST | --fields-field F,\n"
          "              --name-field F --id-field F --address-field F --municipality CODE\n"
          "              --merge [--retire-missing]: update by id, add new, retire missing\n"
          "  households: --id-field F --members-field F --needs-field F --consent-field F\n"
          "              --agency-field F --protected-field F\n"
          "  population: --pop-field F --households-field F --code-field F --name-field F\n"
          "  addresses:  FILE [--municipality NAME|CODE] [--source NAME] (address reference)\n"
          "              [--positions POS.csv] (an ABR table's position file)\n"
          "  statistics: FILE [--key KEY_CODE] [--encoding ENC] (e-Stat small-area CSV)\n"
          "  basemap:    FILE [--layer L] [--source NAME] (OSM file or road layer; the network\n"
          "              import of an OSM file loads its base map too)\n"
          "  resources and households without coordinates: --address-field F\n"
          "              [--unmatched stop|skip --unmatched-file OUT]\n",
          stderr);
}

/* `import addresses FILE`: loads an address reference and says what. */
static int cli_import_addresses(struct cli_ctx *c, const char *path, const struct import_opts *o)
{
    struct err e = {0};
    struct store *st = store_open(c->db_path, &e);
    if (st == NULL)
        return cli_fail(&e);
    struct import_address_report r;
    int rc = import_addresses(st, path, o->municipality, o->source_name, o->positions, &r, &e);
    store_close(st);
    if (rc != ERR_OK)
        return cli_fail(&e);
    fprintf(c->out,
            "imported %ld address reference rows from %s (%s): %ld municipalit%s; levels: "
            "%ld town, %ld block, %ld residence\n",
            r.stored, import_base(path), r.layout, r.municipalities,
            r.municipalities == 1 ? "y" : "ies", r.towns, r.blocks, r.residences);
    if (r.positions[0])
        fprintf(c->out, "positions joined from %s\n", r.positions);
    fprintf(
        c->out,
        "read %ld rows; skipped %ld: %ld superseded (更新前履歴フラグ or 廃止日), %ld in another "
        "municipality, %ld without a town name or position\n",
        r.rows, r.superseded + r.other_muni + r.unnamed, r.superseded, r.other_muni, r.unnamed);
    return 0;
}

/* `import statistics FILE`: joins e-Stat small-area statistics. */
static int cli_import_statistics(struct cli_ctx *c, const char *path, const char *key,
                                 const struct import_opts *o)
{
    struct err e = {0};
    struct store *st = store_open(c->db_path, &e);
    if (st == NULL)
        return cli_fail(&e);
    struct import_stats_report r;
    int rc = import_statistics(st, path, key, o->src.encoding, o->source_name, &r, &e);
    store_close(st);
    if (rc != ERR_OK)
        return cli_fail(&e);
    fprintf(c->out,
            "imported %ld indicator values from %s: %ld columns%s; %ld of %ld rows gave values "
            "to a small area (%ld did not: no such area, or every value secret); %ld values "
            "secret (X)\n",
            r.values, import_base(path), r.columns,
            r.names_row ? " named by e-Stat's second row" : "", r.matched, r.rows, r.unmatched,
            r.secret);
    return 0;
}

/* `import basemap FILE`, or (alone = 0) the base map of the file a
 * network was just imported from: a failure then is a note on stderr (none
 * for a road layer that holds nothing for it), the network stays. Prints
 * what was kept. */
static int cli_import_basemap(struct cli_ctx *c, const struct import_opts *o, int alone)
{
    struct err e = {0};
    struct store *st = store_open(c->db_path, &e);
    if (st == NULL)
        return alone ? cli_fail(&e) : 0;
    struct import_basemap_report r;
    int rc = import_basemap(st, o, &r, &e);
    store_close(st);
    if (rc != ERR_OK) {
        if (alone)
            return cli_fail(&e);
        /* A road layer of footways alone has nothing for it: no news. */
        if (r.osm || r.stored > 0 || e.code != ERR_INPUT || r.read == 0)
            fprintf(stderr, "no base map from %s: %s\n", import_base(o->src.path), e.msg);
        return 0;
    }
    if (alone && r.srid_new) {
        char name[96];
        crs_name(r.srid, name, sizeof name);
        fprintf(c->out, "database CRS fixed to EPSG:%d (%s)\n", r.srid, name);
    }
    fprintf(c->out, "imported basemap from %s: %ld features (", import_base(o->src.path), r.stored);
    for (int i = 0; i < IMPORT_BASEMAP_CLASSES; i++)
        fprintf(c->out, "%s%s %ld", i ? ", " : "", import_basemap_class_name(i), r.kept[i]);
    fprintf(c->out, "; %ld %sfeatures read)\n", r.read, r.osm ? "OSM " : "");
    return 0;
}

/* After a network import: load the new network once, which saves the graph
 * file beside the database (walk.h), so the next command maps it instead
 * of rebuilding. Failure only costs that speed, so it is not reported. */
static void cli_import_graph(const char *db_path)
{
    struct err e = {0};
    struct store *st = store_open_readonly(db_path, &e);
    if (st == NULL)
        return;
    walk_net_free(walk_net_load(st, 0, &e));
    store_close(st);
}

int cli_import(struct cli_ctx *c, int argc, char **argv)
{
    struct import_opts o = {0};
    const char *key = NULL, *group = NULL;
    struct err e = {0};
    const struct cli_opt opts[] = {
        {"layer", &o.src.layer, NULL},
        {"s-srs", &o.src.s_srs, NULL},
        {"where", &o.src.where, NULL},
        {"lon-field", &o.src.lon_field, NULL},
        {"lat-field", &o.src.lat_field, NULL},
        {"encoding", &o.src.encoding, NULL},
        {"source", &o.source_name, NULL},
        {"crs", &o.crs, NULL},
        {"level", &o.level, NULL},
        {"level-label", &o.level_label, NULL},
        {"from-level", &o.from_level, NULL},
        {"group", &group, NULL},
        {"dissolve-field", &o.dissolve_field, NULL},
        {"municipality", &o.municipality, NULL},
        {"name-field", &o.name_field, NULL},
        {"code-field", &o.code_field, NULL},
        {"id-field", &o.id_field, NULL},
        {"kind-field", &o.kind_field, NULL},
        {"kind", &o.kind_value, NULL},
        {"fields-field", &o.fields_field, NULL},
        {"fields", &o.fields_value, NULL},
        {"address-field", &o.address_field, NULL},
        {"pop-field", &o.pop_field, NULL},
        {"households-field", &o.households_field, NULL},
        {"members-field", &o.members_field, NULL},
        {"needs-field", &o.needs_field, NULL},
        {"consent-field", &o.consent_field, NULL},
        {"agency-field", &o.agency_field, NULL},
        {"protected-field", &o.protected_field, NULL},
        {"unmatched", &o.unmatched, NULL},
        {"unmatched-file", &o.unmatched_file, NULL},
        {"positions", &o.positions, NULL},
        {"key", &key, NULL},
        {NULL, NULL, NULL},
    };
    int help = 0;
    const char *const flags[] = {"help", "merge", "retire-missing", NULL};
    int *flag_dest[] = {&help, &o.merge, &o.retire_missing};
    const char *pos[2];
    int np = 0;
    if (cli_parse(argc, argv, 1, opts, flags, flag_dest, pos, 2, &np, &e) != ERR_OK) {
        cli_import_usage();
        return cli_fail(&e);
    }
    if (help) {
        cli_import_usage();
        return 0;
    }
    if ((group != NULL) != (o.from_level != NULL)) {
        err_set(&e, ERR_INPUT, "--from-level and --group go together");
        return cli_fail(&e);
    }
    if (group && np == 1)
        pos[np++] = group;
    else if (group) {
        err_set(&e, ERR_INPUT, "import districts --group FILE takes no other file");
        return cli_fail(&e);
    }
    if (np != 2) {
        cli_import_usage();
        err_set(&e, ERR_INPUT, "import needs a kind and a file");
        return cli_fail(&e);
    }
    if (strcmp(pos[0], "addresses") == 0)
        return cli_import_addresses(c, pos[1], &o);
    if (strcmp(pos[0], "statistics") == 0)
        return cli_import_statistics(c, pos[1], key, &o);
    if (strcmp(pos[0], "basemap") == 0) {
        o.src.path = pos[1];
        o.progress = 1;
        return cli_import_basemap(c, &o, 1);
    }
    o.kind = import_kind_parse(pos[0]);
    if (o.kind == 0) {
        err_set(&e, ERR_INPUT,
                "'%.40s' is not something tsunagu imports (districts, resources, "
                "households, population, statistics, network, candidates, addresses, basemap)",
                pos[0]);
        return cli_fail(&e);
    }
    if ((o.merge || o.retire_missing) && o.kind != IMPORT_RESOURCES) {
        err_set(&e, ERR_INPUT, "--merge and --retire-missing apply to import resources only");
        return cli_fail(&e);
    }
    if (o.retire_missing && !o.merge) {
        err_set(&e, ERR_INPUT, "--retire-missing needs --merge");
        return cli_fail(&e);
    }
    o.src.path = pos[1];
    o.progress = 1;
    o.changes = o.merge ? c->out : NULL;
    struct store *st = store_open(c->db_path, &e);
    if (st == NULL)
        return cli_fail(&e);
    struct import_report rep;
    int rc = import_run(st, &o, &rep, &e);
    store_close(st);
    if (rc != ERR_OK)
        return cli_fail(&e);
    if (o.kind == IMPORT_NETWORK)
        cli_import_graph(c->db_path);
    if (rep.srid_new) {
        char name[96];
        crs_name(rep.srid, name, sizeof name);
        fprintf(c->out, "database CRS fixed to EPSG:%d (%s)\n", rep.srid, name);
    }
    if (o.merge)
        fprintf(c->out,
                "merged %ld resources from %s: %ld added, %ld changed, %ld unchanged, %ld "
                "retired\n",
                rep.stored, import_base(o.src.path), rep.added, rep.changed, rep.unchanged,
                rep.retired);
    else if (o.from_level)
        fprintf(c->out, "built %ld %s districts from %ld %s districts grouped by %s\n", rep.groups,
                o.level, rep.stored, o.from_level, import_base(o.src.path));
    else if (o.dissolve_field)
        fprintf(c->out, "built %ld %s districts from %ld features of %s dissolved by %s\n",
                rep.groups, o.level, rep.stored, import_base(o.src.path), o.dissolve_field);
    else if (o.kind == IMPORT_NETWORK)
        fprintf(c->out,
                "imported network from %s: %ld edges, %ld nodes (%ld source lines read, "
                "%ld left out, %ld pedestrian areas walked along their outline)\n",
                import_base(o.src.path), rep.stored, rep.nodes, rep.read, rep.skipped, rep.areas);
    if (o.kind == IMPORT_NETWORK)
        cli_import_basemap(c, &o, 0);
    else
        fprintf(c->out, "imported %ld %s from %s%s", rep.stored,
                o.kind == IMPORT_POPULATION   ? "population areas"
                : o.kind == IMPORT_CANDIDATES ? "candidate sites"
                                              : pos[0],
                import_base(o.src.path), rep.skipped ? "" : "\n");
    if (o.kind != IMPORT_NETWORK && rep.skipped)
        fprintf(c->out, " (%ld left out by --municipality)\n", rep.skipped);
    if (o.kind == IMPORT_RESOURCES && !o.merge)
        fprintf(c->out, "resource history: %ld added, %ld changed, %ld unchanged, %ld retired\n",
                rep.added, rep.changed, rep.unchanged, rep.retired);
    if (rep.repaired)
        fprintf(c->out,
                "%ld polygon(s) were not valid (crossing themselves or overlapping) and were "
                "repaired with ST_MakeValid, keeping their area\n",
                rep.repaired);
    if (rep.placed || rep.unmatched)
        fprintf(c->out, "%ld placed from their address; %ld whose address matched nothing%s%s\n",
                rep.placed, rep.unmatched, rep.unmatched ? " left out, lines in " : "",
                rep.unmatched ? o.unmatched_file : "");
    return 0;
}
