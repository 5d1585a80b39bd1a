/* SPDX-License-Identifier: MIT */
/* fuzz_addrnorm.c - fuzz target for the address normaliser
 * (src/geocode/addrnorm.c), which sees every address of an imported file,
 * of `tsunagu geocode` and of GET /api/geocode, and for the reference CSV
 * reader (import_address_csv_field in src/import/import_address.c). The
 * first input byte chooses: even = normaliser, odd = CSV reader.
 * Invariants of the normaliser:
 *   - the output is NUL-terminated inside its buffer, whatever its size,
 *     and "" on failure;
 *   - ERR_OK exactly when the input is valid UTF-8 within the limits (a
 *     too-small buffer aside), and then the output is valid UTF-8 with no
 *     space, no "--" and no dash at either end;
 *   - the output is never longer than the input plus one byte per 十/百.
 * Invariants of the CSV reader: every field lies inside the buffer and is
 * NUL-terminated there; records advance; at most `max` fields. */
#include "addrnorm.h"
#include "fuzzutil.h"
#include "import_address.h"

#include <stdlib.h>
#include <string.h>

static void fuzz_addrnorm_text(const uint8_t *data, size_t size)
{
    static const size_t sizes[] = {1, 3, 16, ADDRNORM_OUT_MAX};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        char *out = malloc(sizes[k]);
        fz_check(out != NULL, "out of memory");
        struct err e = {0};
        int rc = addrnorm_normalise((const char *)data, size, out, sizes[k], &e);
        fz_check(memchr(out, '\0', sizes[k]) != NULL, "the output is terminated");
        if (rc != ERR_OK) {
            fz_check(out[0] == '\0', "a failure leaves an empty output");
            fz_check(e.msg[0] != '\0', "a failure comes with a sentence");
            fz_check(rc == ERR_INPUT || rc == ERR_LIMIT, "failures are input or limit");
            if (rc == ERR_INPUT)
                fz_check(!addrnorm_utf8_ok((const char *)data, size),
                         "ERR_INPUT only for bad UTF-8");
        } else {
            size_t n = strlen(out);
            fz_check(addrnorm_utf8_ok(out, n), "the normal form is UTF-8");
            fz_check(strchr(out, ' ') == NULL, "no space in the normal form");
            fz_check(strstr(out, "--") == NULL, "no double dash");
            fz_check(n == 0 || (out[0] != '-' && out[n - 1] != '-'), "no dash at the ends");
            fz_check(n <= 2 * size + 1, "the normal form stays short");
        }
        if (sizes[k] == ADDRNORM_OUT_MAX && size <= ADDRNORM_IN_MAX &&
            addrnorm_utf8_ok((const char *)data, size) && rc != ERR_OK)
            fz_check(rc == ERR_LIMIT, "valid UTF-8 fails only on a limit");
        free(out);
    }
}

static void fuzz_addrnorm_csv(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    fz_check(buf != NULL, "out of memory");
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *p = buf, *end = buf + size;
    char *fields[8];
    for (int records = 0; records < 10000; records++) {
        char *before = p;
        int n = import_address_csv_field(&p, end, fields, 8);
        if (n <= 0)
            break;
        fz_check(n <= 8, "at most max fields");
        fz_check(p > before && p <= end, "a record advances within the buffer");
        for (int i = 0; i < n; i++) {
            fz_check(fields[i] >= buf && fields[i] <= end, "a field lies in the buffer");
            fz_check(memchr(fields[i], '\0', (size_t)(end - fields[i]) + 1) != NULL,
                     "a field is terminated in the buffer");
        }
    }
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 8192)
        return 0;
    if (data[0] % 2 == 0)
        fuzz_addrnorm_text(data + 1, size - 1);
    else
        fuzz_addrnorm_csv(data + 1, size - 1);
    return 0;
}
