/* SPDX-License-Identifier: MIT */
/* import_attrib.c - a publisher's credit from a file's layout (see
 * import_attrib.h). The texts follow what each publisher asks for:
 * OpenStreetMap's "© OpenStreetMap contributors" with the licence; MLIT's
 * 国土数値情報 terms ask that the source be named with the data set; the
 * census boundaries are e-Stat's (CC BY 4.0 compatible government terms). */
#include "import_attrib.h"

#include <string.h>

/* A publisher recognised by a field name prefix. */
struct import_attrib_rule {
    const char *prefix; /* field name prefix, e.g. "A27_" */
    const char *text;   /* the credit */
};

static const struct import_attrib_rule import_attrib_rules[] = {
    {"A27_", "国土数値情報（小学校区データ）国土交通省"},
    {"A32_", "国土数値情報（中学校区データ）国土交通省"},
    {"P14_", "国土数値情報（福祉施設データ）国土交通省"},
    {"P20_", "国土数値情報（避難施設データ）国土交通省"},
    {"P29_", "国土数値情報（学校データ）国土交通省"},
    {NULL, NULL},
};

#define IMPORT_ATTRIB_OSM "© OpenStreetMap contributors (ODbL)"
#define IMPORT_ATTRIB_CENSUS "国勢調査 小地域（総務省統計局、e-Stat）"

const char *import_attrib_detect(const struct source *src, int osm)
{
    if (osm)
        return IMPORT_ATTRIB_OSM;
    int n = source_field_count(src);
    for (int i = 0; i < n; i++) {
        const char *f = source_field_name(src, i);
        for (const struct import_attrib_rule *r = import_attrib_rules; f && r->prefix; r++)
            if (strncmp(f, r->prefix, strlen(r->prefix)) == 0)
                return r->text;
    }
    if (source_field(src, "osm_id") >= 0 || source_field(src, "osmid") >= 0 ||
        (source_field(src, "u") >= 0 && source_field(src, "v") >= 0 &&
         source_field(src, "highway") >= 0))
        return IMPORT_ATTRIB_OSM;
    if (source_field(src, "KEY_CODE") >= 0 &&
        (source_field(src, "JINKO") >= 0 || source_field(src, "SETAI") >= 0))
        return IMPORT_ATTRIB_CENSUS;
    return NULL;
}

int import_attrib_record(struct store *st, const char *kind, const char *key,
                         const struct source *src, int osm, struct err *e)
{
    return store_attrib_set(st, kind, key, import_attrib_detect(src, osm), e);
}
