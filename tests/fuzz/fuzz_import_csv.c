/* SPDX-License-Identifier: MIT */
/* fuzz_import_csv.c - fuzz target for CSV imports: the input is written to
 * a .csv file and imported through the real pipeline (GDAL's CSV driver in
 * source.c, CRS choice and transformation, vocabularies, the store) into a
 * fresh database: as households when its first line names a needs or
 * members column, else as resources, and as candidate sites too when it
 * names kind_hint. One input in four (size % 4 == 0) starts from an empty
 * database, so the first import also picks and fixes the CRS; the others
 * start with FZ_SRID fixed (fuzzutil.h says why).
 * Invariants (fz_import): an import succeeds, or fails with a sentence and
 * leaves the database exactly as it was; a failed households import never
 * quotes a distinctive cell of the file (ids, needs) in its message. */
#include "fuzzutil.h"
#include "import.h"

#include <stdlib.h>
#include <string.h>

#define FUZZ_CSV_MAX 16384 /* bytes of input looked at (keeps GDAL's work per input small) */

/* 1 when some cell of a data row (5+ bytes with a digit and a letter, not
 * in the header line) appears in msg. */
static int fuzz_csv_quotes_cell(const char *text, const char *msg)
{
    char *copy = strdup(text);
    fz_check(copy != NULL, "out of memory");
    const char *header_end = strchr(text, '\n');
    size_t header_len = header_end ? (size_t)(header_end - text) : strlen(text);
    int quoted = 0;
    char *p = copy + header_len;
    while (*p && !quoted) {
        size_t len = strcspn(p, ",\n\r\";");
        char save = p[len];
        p[len] = '\0';
        int distinctive =
            len >= 5 && strpbrk(p, "0123456789") != NULL &&
            strpbrk(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != NULL;
        if (distinctive) {
            /* Not a word of the header (a column name may be quoted). */
            char *hdr = strndup(text, header_len);
            fz_check(hdr != NULL, "out of memory");
            quoted = strstr(hdr, p) == NULL && strstr(msg, p) != NULL;
            free(hdr);
        }
        p[len] = save;
        p += len + (save != '\0');
    }
    free(copy);
    return quoted;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > FUZZ_CSV_MAX)
        return 0;
    char *text = fz_text(data, size);
    char *header = strndup(text, strcspn(text, "\n"));
    fz_check(header != NULL, "out of memory");
    int households = strstr(header, "needs") != NULL || strstr(header, "members") != NULL;
    int candidates = strstr(header, "kind_hint") != NULL;
    free(header);
    const char *path = fz_write("in.csv", data, size);
    struct store *st = fz_store_fresh(size % 4 == 0);
    if (households) {
        struct err e = {0};
        if (fz_import_err(st, IMPORT_HOUSEHOLDS, path, &e) != ERR_OK)
            fz_check(!fuzz_csv_quotes_cell(text, e.msg), "household messages never quote a cell");
    } else {
        fz_import(st, IMPORT_RESOURCES, path);
    }
    if (candidates)
        fz_import(st, IMPORT_CANDIDATES, path);
    store_close(st);
    free(text);
    return 0;
}
