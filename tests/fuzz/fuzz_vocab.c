/* SPDX-License-Identifier: MIT */
/* fuzz_vocab.c - fuzz target for the vocabularies (src/vocab.c): the kind,
 * fields, hub-type and need texts of every imported file and of query
 * parameters. The input is one text (a NUL byte ends it). Invariants:
 *   - outputs are NUL-terminated inside their buffer, whatever its size;
 *   - vocab_kind returns a key that vocab_kind maps to itself, and a key of
 *     at most VOCAB_KEY_MAX bytes when the text is not a built-in name;
 *   - vocab_needs is idempotent: its output parses to itself;
 *   - vocab_fields masks stay within VOCAB_FIELD_ALL and format to text
 *     that parses back to the same mask. */
#include "fuzzutil.h"
#include "vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Output sizes tried: tiny buffers catch off-by-one writes. */
static const size_t fuzz_vocab_sizes[] = {1, 2, 8, 33, 64, 512};
#define FUZZ_VOCAB_NSIZES (sizeof fuzz_vocab_sizes / sizeof fuzz_vocab_sizes[0])

/* Calls vocab_needs into a heap buffer of exactly n bytes (ASan sees any
 * write past it); returns the status and leaves the text in out. */
static int fuzz_vocab_needs(const char *text, size_t n, char *out, size_t outn)
{
    char *buf = malloc(n);
    fz_check(buf != NULL, "out of memory");
    struct err e = {0};
    int rc = vocab_needs(text, buf, n, &e);
    fz_check(memchr(buf, '\0', n) != NULL, "vocab_needs terminates its output");
    fz_check(rc == ERR_OK || e.msg[0] != '\0', "a refused needs value comes with a sentence");
    snprintf(out, outn, "%s", buf);
    free(buf);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0; /* every caller bounds these texts far below this */
    char *text = fz_text(data, size);

    for (size_t i = 0; i < FUZZ_VOCAB_NSIZES; i++) {
        size_t n = fuzz_vocab_sizes[i];
        char *out = malloc(n);
        fz_check(out != NULL, "out of memory");
        struct err e = {0};
        int rc = vocab_kind(text, out, n, &e);
        fz_check(memchr(out, '\0', n) != NULL || rc != ERR_OK, "vocab_kind terminates its key");
        if (rc == ERR_OK && n == 512) {
            fz_check(strlen(out) <= VOCAB_KEY_MAX || vocab_kind_is_builtin(out),
                     "a kind key is at most VOCAB_KEY_MAX bytes");
            char again[VOCAB_KEY_MAX + 1];
            fz_check(vocab_kind(out, again, sizeof again, &e) == ERR_OK && strcmp(again, out) == 0,
                     "a kind key maps to itself");
        }
        free(out);

        char needs[1024], again[1024];
        if (fuzz_vocab_needs(text, n, needs, sizeof needs) == ERR_OK && n == 512) {
            fz_check(fuzz_vocab_needs(needs, n, again, sizeof again) == ERR_OK &&
                         strcmp(needs, again) == 0,
                     "need tags normalise to themselves");
        }
    }

    int mask = -1;
    struct err e = {0};
    if (vocab_fields(text, &mask, &e) == ERR_OK) {
        fz_check(mask >= 0 && mask <= VOCAB_FIELD_ALL, "a fields mask stays within the four bits");
        char fmt[64];
        vocab_fields_format(mask, fmt, sizeof fmt);
        int back = -1;
        if (mask != 0) {
            fz_check(vocab_fields(fmt, &back, &e) == ERR_OK && back == mask,
                     "formatted fields parse back to the same mask");
        }
    } else {
        fz_check(e.msg[0] != '\0', "a refused fields value comes with a sentence");
    }
    for (size_t i = 0; i < FUZZ_VOCAB_NSIZES; i++) {
        size_t n = fuzz_vocab_sizes[i];
        char *out = malloc(n);
        fz_check(out != NULL, "out of memory");
        vocab_fields_format(size > 0 ? data[0] : 0, out, n);
        fz_check(memchr(out, '\0', n) != NULL, "vocab_fields_format terminates its text");
        free(out);
    }

    int bit = vocab_field_bit(text);
    fz_check(bit >= 0 && bit <= VOCAB_FIELD_ALL, "a field bit is one of the five values");
    const char *hub = vocab_hub_type(text);
    fz_check(hub == NULL || vocab_hub_type(hub) == hub, "a hub key maps to itself");
    const char *tag = vocab_need_tag(text);
    fz_check(tag == NULL || vocab_need_tag(tag) == tag, "a need tag maps to itself");
    const char *kind = vocab_kind_from_name(text);
    fz_check(kind != NULL && vocab_kind_is_builtin(kind), "a guessed kind is built in");
    int guess = vocab_fields_from_name(text);
    fz_check(guess >= 0 && guess <= VOCAB_FIELD_ALL, "guessed fields stay within the four bits");
    if (vocab_level_ok(text))
        fz_check(strlen(text) >= 1 && strlen(text) <= VOCAB_KEY_MAX, "a level key is 1-32 bytes");
    free(text);
    return 0;
}
