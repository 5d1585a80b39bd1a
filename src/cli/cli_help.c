/* SPDX-License-Identifier: MIT */
/* cli_help.c - `tsunagu COMMAND --help` for every command (see cli.h): one
 * table of each command's synopsis, purpose and options, the same text the
 * man page tsunagu(1) is made from (help2man runs `tsunagu --help` and each
 * `tsunagu COMMAND --help` at build time, CMakeLists.txt). Keep it in step
 * with the README's command reference. Entry points: cli_help. */
#include "cli.h"

#include <string.h>

/* One command's help. */
struct cli_help_entry {
    const char *name; /* command */
    const char *text; /* synopsis, purpose and options */
};

static const struct cli_help_entry cli_help_table[] = {
    {"import",
     "usage: tsunagu [--db FILE] import "
     "districts|resources|households|population|network|candidates|addresses FILE\n"
     "       [options]\n"
     "Loads a file GDAL reads (GeoJSON, TopoJSON, Shapefile, GeoPackage, CSV with lon/lat\n"
     "columns, raw OSM .osm/.osm.pbf for the network) in one transaction: it lands whole or\n"
     "leaves the database as it was. Re-importing a source replaces its rows.\n"
     "  common:     --layer L --s-srs CRS --where SQL --source NAME --crs EPSG:n\n"
     "              --lon-field F --lat-field F --encoding ENC\n"
     "  districts:  --level elementary|junior_high|KEY [--level-label TEXT]\n"
     "              --name-field F --code-field F --municipality CODE\n"
     "  resources:  --kind KIND | --kind-field F, --fields LIST | --fields-field F,\n"
     "              --name-field F --id-field F --address-field F --municipality CODE\n"
     "  households: --id-field F --members-field F --needs-field F --consent-field F\n"
     "              --agency-field F\n"
     "  population: --pop-field F --households-field F --code-field F --name-field F\n"
     "  addresses:  FILE [--municipality NAME|CODE] [--source NAME] (address reference)\n"
     "  resources and households without coordinates: --address-field F\n"
     "              [--unmatched stop|skip --unmatched-file OUT]\n"},
    {"geocode", "usage: tsunagu [--db FILE] geocode [--json] [ADDRESS ...]\n"
                "Places Japanese addresses offline from the imported address reference: each\n"
                "argument, or each line of standard input when none is given. --json prints one\n"
                "object per line (query, lon, lat, level, matched, precision_m). Exit 3 when\n"
                "some matched nothing.\n"},
    {"info", "usage: tsunagu [--db FILE] info\n"
             "Prints what the database holds: its CRS, district levels, resources by kind,\n"
             "households (a count only), population areas, the walking network and imports.\n"},
    {"walk", "usage: tsunagu [--db FILE] walk --lon X --lat Y [options] [--json]\n"
             "Resources within N minutes on foot of a point, nearest first, with minutes and "
             "metres.\n"
             "  --minutes M (default 30)   --speed M_PER_MIN (default 80)   --kind K\n"
             "  --field F                  --steps-factor F                  --max-snap METRES\n"},
    {"isochrone", "usage: tsunagu [--db FILE] isochrone --lon X --lat Y [options] [--json]\n"
                  "The area reachable on foot within N minutes, as GeoJSON.\n"
                  "  --minutes M   --speed M_PER_MIN   --steps-factor F   --max-snap METRES   "
                  "--margin METRES\n"},
    {"coverage",
     "usage: tsunagu [--db FILE] coverage --minutes M --level L [--kind K] [--json|--csv]\n"
     "Who has a resource within M minutes' walk, per district and per resource.\n"
     "  --speed M_PER_MIN   --field F   --steps-factor F   --max-snap METRES\n"},
    {"suggest", "usage: tsunagu [--db FILE] suggest --minutes M --kind K --sites N "
                "[--candidates KIND] [--json]\n"
                "Where N new sites would bring the most uncovered households within reach.\n"
                "  --speed M_PER_MIN   --field F   --steps-factor F   --max-snap METRES\n"},
    {"route", "usage: tsunagu [--db FILE] route --start-lon X --start-lat Y\n"
              "       (--households ID,ID,... | --district D [--level L] --need TAG) [--json]\n"
              "An outreach walking tour of households from a start point, split into days.\n"
              "  --dwell MINUTES   --day-minutes MINUTES   --start-time HH:MM\n"
              "  --speed M_PER_MIN --steps-factor F        --max-snap METRES\n"},
    {"serve", "usage: tsunagu [--db FILE] serve [--config FILE] [--port N] [--bind ADDR]\n"
              "                [--threads N] [--max-per-ip N] [--timeout SECONDS]\n"
              "                [--trusted-proxy ADDR[,ADDR]] [--tls-cert FILE --tls-key FILE]\n"
              "                [--insecure-http] [--log-format text|json] [--web DIR] [--quiet]\n"
              "Serves the HTTP API, the OGC API - Features, map tiles and the web page until\n"
              "SIGTERM or SIGINT (port 8080 on 127.0.0.1 by default). --max-per-ip (default 32)\n"
              "bounds one client address's open connections, --timeout (default 30) closes a\n"
              "silent one; --trusted-proxy names the reverse proxies whose Forwarded and\n"
              "X-Forwarded-Proto headers are believed. --tls-cert and --tls-key (PEM) serve\n"
              "HTTPS; plain HTTP on an address other than loopback needs --insecure-http.\n"
              "--config reads `key = value` lines (db, and each option's long name); options\n"
              "on the command line override the file. --log-format json logs one JSON object\n"
              "per request.\n"},
    {"user", "usage: tsunagu [--db FILE] user add NAME --role "
             "admin|coordinator|outreach|official\n"
             "                [--agency A] [--district LEVEL:CODE]\n"
             "       tsunagu [--db FILE] user list [--json]\n"
             "       tsunagu [--db FILE] user revoke NAME\n"
             "Users of the service. `add` prints the new token once; only its hash is kept.\n"},
    {"audit", "usage: tsunagu [--db FILE] audit --since DATE [--json]\n"
              "       tsunagu [--db FILE] audit --verify\n"
              "Who read which households, from the append-only audit log; --verify checks its\n"
              "hash chain and names the first record that breaks it.\n"},
    {"backup", "usage: tsunagu [--db FILE] backup NEW_FILE\n"
               "Copies the database into NEW_FILE as one consistent state, safely while the "
               "server\n"
               "runs and imports write (SQLite's online backup), and checks the copy.\n"},
    {"check", "usage: tsunagu [--db FILE] check\n"
              "Checks a database or a backup (integrity, schema version) and prints what it "
              "holds\n"
              "with a fingerprint that two equal databases share.\n"},
    {"restore", "usage: tsunagu [--db FILE] restore BACKUP\n"
                "Replaces the database with BACKUP after checking it; a damaged backup or one "
                "from a\n"
                "newer tsunagu is refused and the database left as it was. Stop the service "
                "first.\n"},
    {"demo", "usage: tsunagu [--db FILE] demo [--out FILE] [--no-serve] [--port N] [--bind ADDR]\n"
             "                [--threads N]\n"
             "Builds the fictional demo town's database from its data and serves it.\n"},
    {"generate-demo", "usage: tsunagu generate-demo DIR\n"
                      "Writes the fictional demo town's files into DIR (how data/ was made).\n"},
};

int cli_help(const char *command, FILE *to)
{
    for (size_t i = 0; i < sizeof cli_help_table / sizeof cli_help_table[0]; i++)
        if (strcmp(cli_help_table[i].name, command) == 0) {
            fputs(cli_help_table[i].text, to);
            return 0;
        }
    return -1;
}
