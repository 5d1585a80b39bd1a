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
     "districts|resources|households|population|network|candidates|addresses|basemap FILE\n"
     "       [options]\n"
     "Loads a file GDAL reads (GeoJSON, TopoJSON, Shapefile, GeoPackage, CSV with lon/lat\n"
     "columns, raw OSM .osm/.osm.pbf for the network) in one transaction: it lands whole or\n"
     "leaves the database as it was. Re-importing a source replaces its rows.\n"
     "  common:     --layer L --s-srs CRS --where SQL --source NAME --crs EPSG:n\n"
     "              --lon-field F --lat-field F --encoding ENC\n"
     "  basemap:    the offline base map (water, railways, stations, roads, parks,\n"
     "              buildings, place names) of an OSM file or road layer; the network\n"
     "              import of an OSM file loads it too\n"
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
             "households (a count only), population areas, the walking network and imports,\n"
             "and the resources whose schedule is not opening_hours (unparsed).\n"},
    {"walk", "usage: tsunagu [--db FILE] walk --lon X --lat Y [options] [--json]\n"
             "Resources within N minutes on foot of a point, nearest first, with minutes and "
             "metres.\n"
             "  --minutes M (default 30)   --speed M_PER_MIN (default 80)   --kind K\n"
             "  --field F                  --steps-factor F                  --max-snap METRES\n"
             "  --open-at YYYY-MM-DDTHH:MM (Japan time) or --open-on We: only resources open "
             "then;\n"
             "  each line ends with the resource's next opening.\n"},
    {"isochrone", "usage: tsunagu [--db FILE] isochrone --lon X --lat Y [options] [--json]\n"
                  "The area reachable on foot within N minutes, as GeoJSON.\n"
                  "  --minutes M   --speed M_PER_MIN   --steps-factor F   --max-snap METRES   "
                  "--margin METRES\n"},
    {"coverage",
     "usage: tsunagu [--db FILE] coverage --minutes M --level L [--kind K] [--json|--csv]\n"
     "Who has a resource within M minutes' walk, per district and per resource.\n"
     "  --speed M_PER_MIN   --field F   --steps-factor F   --max-snap METRES\n"
     "  --open-at YYYY-MM-DDTHH:MM or --open-on We: only resources open then count\n"
     "  --kind A,B,C: one column group per kind (up to 8); --official hides small\n"
     "  counts as GET /api/coverage does; --compare LABEL: each district's change\n"
     "  since snapshot LABEL (also for needs and equipment)\n"},
    {"snapshot", "usage: tsunagu [--db FILE] snapshot --label LABEL --level L --kind K[,K...]\n"
                 "                [--minutes M] [--need TAG --per INDICATOR]\n"
                 "       tsunagu [--db FILE] snapshot --list\n"
                 "Stores the coverage, needs and equipment answers as an official sees them\n"
                 "(aggregates only, small counts hidden) with the data version and date, for\n"
                 "coverage|needs|equipment --compare LABEL.\n"},
    {"needs", "usage: tsunagu [--db FILE] needs --level L [--need TAG --per INDICATOR]\n"
              "                [--json|--csv] [--official]\n"
              "Per district: census indicators, known households by need tag, and with --need\n"
              "and --per the rate per 1,000 of the indicator and a flag where far fewer are\n"
              "known than the municipality's rate leads one to expect (exact one-sided Poisson\n"
              "test at 0.05, and below half that rate). --official hides small counts as\n"
              "GET /api/needs does.\n"},
    {"equipment", "usage: tsunagu [--db FILE] equipment --level L [--kind K,K...] [--minutes M]\n"
                  "                [--json|--csv]\n"
                  "Per district: resources of each kind, per 1,000 residents, the districts with\n"
                  "none of a kind, and with --minutes the mean number within M minutes' walk\n"
                  "of the district's residents (GET /api/equipment, public).\n"},
    {"report",
     "usage: tsunagu [--db FILE] report --level L [--kind K] [--minutes M] --out "
     "FILE.pdf|FILE.png\n"
     "Writes the coverage report an official hands out: an A4 PDF with the title, a map of\n"
     "the share covered per district, the district table, and a page per district with\n"
     "--per-district; or the map alone as a PNG. Small counts are hidden as for an official\n"
     "unless --role operator (the local operator's full view).\n"
     "  --speed M_PER_MIN   --field F   --steps-factor F   --max-snap METRES\n"
     "  --role official|admin|operator   --municipality NAME   --per-district\n"
     "  --equipment         add the table of resources per kind per district (PDF)\n"
     "  --needs [--need TAG --per INDICATOR]   add the needs table, as `needs --official`\n"
     "                      shows it (PDF)\n"
     "  --compare LABEL     add the change since the snapshot LABEL to each table (PDF)\n"},
    {"suggest", "usage: tsunagu [--db FILE] suggest --minutes M --kind K --sites N "
                "[--candidates KIND] [--json]\n"
                "Where N new sites would bring the most uncovered households within reach.\n"
                "  --speed M_PER_MIN   --field F   --steps-factor F   --max-snap METRES\n"
                "  --exact   network nodes: weigh every node (one search per uncovered point)\n"
                "            even past 20,000 uncovered points, where cells are used\n"},
    {"route", "usage: tsunagu [--db FILE] route --start-lon X --start-lat Y\n"
              "       (--households ID,ID,... | --district D [--level L] --need TAG | --overdue)\n"
              "       [--json]\n"
              "An outreach walking tour of households from a start point, split into days.\n"
              "  --dwell MINUTES   --day-minutes MINUTES   --start-time HH:MM\n"
              "  --speed M_PER_MIN --steps-factor F        --max-snap METRES\n"
              "A day as lived: appointments as ID@HH:MM-HH:MM in --households or\n"
              "--appointments ID@HH:MM-HH:MM,...; --end LON,LAT (where the day ends);\n"
              "--lunch HH:MM-HH:MM; --max-visits N (1-12 a day).\n"},
    {"serve",
     "usage: tsunagu [--db FILE] serve [--config FILE] [--db-dir DIR] [--port N] [--bind ADDR]\n"
     "                [--threads N] [--max-per-ip N] [--timeout SECONDS]\n"
     "                [--trusted-proxy ADDR[,ADDR]] [--tls-cert FILE --tls-key FILE]\n"
     "                [--insecure-http] [--log-format text|json] [--web DIR] [--quiet]\n"
     "Serves the HTTP API, the OGC API - Features, map tiles and the web page until\n"
     "SIGTERM or SIGINT (port 8080 on 127.0.0.1 by default). --db-dir serves every\n"
     "CODE.db in DIR (CODE a municipality code) under /m/CODE/. --max-per-ip (default 32)\n"
     "bounds one client address's open connections, --timeout (default 30) closes a\n"
     "silent one; --trusted-proxy names the reverse proxies whose Forwarded and\n"
     "X-Forwarded-Proto headers are believed. --tls-cert and --tls-key (PEM) serve\n"
     "HTTPS; plain HTTP on an address other than loopback needs --insecure-http.\n"
     "--config reads `key = value` lines (db, and each option's long name); options\n"
     "on the command line override the file. --log-format json logs one JSON object\n"
     "per request.\n"},
    {"user", "usage: tsunagu [--db FILE] user add NAME --role "
             "admin|coordinator|outreach|official|editor|commissioner\n"
             "                [--agency A] [--district LEVEL:CODE]\n"
             "       tsunagu [--db FILE] user list [--json]\n"
             "       tsunagu [--db FILE] user revoke NAME\n"
             "Users of the service. `add` prints the new token once; only its hash is kept.\n"},
    {"households",
     "usage: tsunagu [--db FILE] households share ID --agency A --basis consent|meeting|referral\n"
     "                --reason TEXT [--until YYYY-MM-DD]\n"
     "       tsunagu [--db FILE] households unshare ID --agency A\n"
     "       tsunagu [--db FILE] households shares ID [--json]\n"
     "       tsunagu [--db FILE] households protect|unprotect ID\n"
     "       tsunagu [--db FILE] households commissioner ID yes|no\n"
     "Shares a household with another agency (basis consent needs the household's consent;\n"
     "meeting is a support meeting's decision), lists or removes its shares, or protects it\n"
     "(支援措置: seen only by its holding agency, never shared; protecting removes its shares).\n"
     "`commissioner` marks that its consent covers the 民生委員 of its district (needs consent\n"
     "yes; never on a protected household). Each change is recorded in the audit log.\n"},
    {"audit", "usage: tsunagu [--db FILE] audit --since DATE [--json]\n"
              "       tsunagu [--db FILE] audit --verify\n"
              "Who read which households, from the append-only audit log; --verify checks its\n"
              "hash chain and names the first record that breaks it.\n"},
    {"visits", "usage: tsunagu [--db FILE] visits add HOUSEHOLD --at YYYY-MM-DDTHH:MM\n"
               "                --visitors NAME[,NAME] --outcome WORD [--note TEXT]\n"
               "                [--next-due YYYY-MM-DD]\n"
               "       tsunagu [--db FILE] visits list HOUSEHOLD [--json]\n"
               "Home visits: records one (outcome 会えた, 不在, 拒否, 支援につないだ, 緊急対応 or\n"
               "その他; a note of at most 200 characters) or lists a household's, newest first.\n"
               "Both are recorded in the audit log.\n"},
    {"households",
     "usage: tsunagu [--db FILE] households overdue [--district LEVEL:CODE] "
     "[--level L] [--json]\n"
     "       tsunagu [--db FILE] households close HOUSEHOLD [--date DATE | --reopen]\n"
     "       tsunagu [--db FILE] households purge --closed-before DATE\n"
     "overdue lists the open households whose next visit is due or past, the most\n"
     "overdue first; close records the day a case was closed; purge removes the\n"
     "households closed before DATE with their visits, and the audit log keeps only\n"
     "a commitment to their ids (its hash chain still verifies). Audited.\n"},
    {"export", "usage: tsunagu [--db FILE] export households --agency A\n"
               "The households held by agency A as CSV (id, members, needs, consent, agency,\n"
               "closed, lon, lat, last_visit), for that agency's own records. Audited.\n"},
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
    {"resources", "usage: tsunagu [--db FILE] resources history ID [--json]\n"
                  "The history of one resource of the register: each change with its version,\n"
                  "time, who made it and every field before and after.\n"},
    {"export", "usage: tsunagu [--db FILE] export resources --format csv|geojson [--level L]\n"
               "                [--output FILE]\n"
               "The active resources with their public fields and the district of each level\n"
               "(only L with --level, rows then sorted by that district, kind and name). CSV is\n"
               "UTF-8 with a byte order mark and CRLF, as Excel reads Japanese text.\n"},
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
