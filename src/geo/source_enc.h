/* SPDX-License-Identifier: MIT */
/* source_enc.h - private to source.c: which text encoding an input file is
 * in, and its UTF-8 copy when it is not UTF-8.
 *
 * Two kinds of input:
 *   - whole text files (CSV/TSV, GeoJSON, GeoJSONSeq, TopoJSON): the bytes
 *     of the file decide. UTF-8 (with or without a byte order mark) is read
 *     as it is; UTF-16 with a byte order mark (Excel's "Unicode text"),
 *     CP932 (Shift_JIS, Excel's default in Japan) and EUC-JP are recognised;
 *     any other encoding is named with --encoding. A file in another encoding
 *     is decoded whole (strictly: one invalid byte refuses the file, naming
 *     its line and, for CSV, its column) into a UTF-8 copy in GDAL's memory
 *     file system, which GDAL then reads (so column names, JSON escapes and
 *     CP932's 0x5C trail bytes are never seen undecoded).
 *   - attribute values of other formats (a shapefile's .dbf): collected by
 *     source.c and judged with source_enc_sniff_* when neither --encoding,
 *     a .cpg nor the .dbf's language id says.
 * Detection: valid UTF-8 wins; text mostly valid UTF-8 with a few bad bytes
 * stays UTF-8 (and is then refused where it is bad); otherwise the text is
 * CP932 when it decodes as CP932 only, EUC-JP when as EUC-JP only, and is
 * refused with a request for --encoding when it decodes as both or neither.
 *
 * Entry points: source_enc_text, source_enc_release, source_enc_sniff_init,
 * source_enc_sniff_add, source_enc_sniff_pick, source_enc_sniff_free.
 */
#ifndef TSUNAGU_SOURCE_ENC_H
#define TSUNAGU_SOURCE_ENC_H

#include "err.h"
#include "utf8.h"

#include <stddef.h>

#define SOURCE_ENC_TEXT_MAX (128L << 20) /* bytes of a text file decoded into UTF-8 */

/* What source_enc_text decided for a whole text file. */
struct source_enc {
    char name[UTF8_ENCODING_MAX + 1]; /* the file's encoding, e.g. "UTF-8", "CP932" */
    int detected;                     /* 1 when found from the bytes, 0 when given */
    char vsi[96];                     /* /vsimem/ path of the UTF-8 copy, or "" */
    long bad_line;                    /* UTF-8 kept: line of the first invalid byte, 0 = none */
};

/* Tallies over attribute values (source_enc_sniff_add). */
struct source_enc_sniff {
    long utf8_multi; /* valid multi-byte UTF-8 sequences */
    long utf8_bad;   /* bytes that start no valid UTF-8 sequence */
    int cp932_bad;   /* some value is not valid CP932 */
    int eucjp_bad;   /* some value is not valid EUC-JP */
    long first_bad;  /* feature index of the first value that is not UTF-8, 0 = none */
    int first_field; /* its field index */
    struct utf8_decoder *cp932, *eucjp; /* decoders, owned */
    char *buf;                          /* decoding buffer, owned */
    size_t cap;                         /* its capacity */
};

/* Decides the encoding of the text file `path` (`given`: --encoding or NULL)
 * and, when it is not UTF-8, writes its UTF-8 copy to GDAL's memory file
 * system (enc->vsi: open that instead of path; free with
 * source_enc_release). `csv` names columns in messages (its separator).
 * ERR_INPUT with a sentence naming the file and line when the text is not
 * valid in the encoding or the encoding cannot be told; ERR_LIMIT for a file
 * over SOURCE_ENC_TEXT_MAX that is not UTF-8; ERR_NOMEM. */
int source_enc_text(const char *path, const char *given, char csv, struct source_enc *enc,
                    struct err *e);

/* Removes the UTF-8 copy, if any. */
void source_enc_release(struct source_enc *enc);

/* Starts tallies; ERR_NOMEM. Free with source_enc_sniff_free. */
int source_enc_sniff_init(struct source_enc_sniff *sn, struct err *e);
void source_enc_sniff_free(struct source_enc_sniff *sn);

/* Adds one value (feature index, field index for the message). */
void source_enc_sniff_add(struct source_enc_sniff *sn, const char *s, long feature, int field);

/* The encoding the tallies point to, into name; ERR_INPUT with `e` left
 * for the caller to complete when they point nowhere (ambiguous: both CP932
 * and EUC-JP, or neither). */
int source_enc_sniff_pick(const struct source_enc_sniff *sn, char *name, size_t n, int *ambiguous);

#endif
