/* SPDX-License-Identifier: MIT */
/* source_enc.c - the encoding of an input file and its UTF-8 copy (see
 * source_enc.h; private to source.c). Entry points: source_enc_text,
 * source_enc_release, source_enc_sniff_init/add/pick/free. */
#include "source_enc.h"

#include <cpl_vsi.h>

#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *source_enc_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Counts valid multi-byte UTF-8 sequences and bytes that start none. */
static void source_enc_tally(const char *s, size_t n, long *multi, long *bad)
{
    size_t i = 0;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        int k = utf8_seq(s + i, n - i);
        if (k < 0) {
            (*bad)++;
            i++;
        } else {
            (*multi)++;
            i += (size_t)k;
        }
    }
}

/* "CP932 (Shift_JIS)" for messages. */
static const char *source_enc_label(const char *name)
{
    return strcmp(name, "CP932") == 0 ? "CP932 (Shift_JIS)" : name;
}

/* The line (1-based) of byte `off` of data. */
static long source_enc_line(const char *data, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        line += data[i] == '\n';
    return line;
}

/* Writes "line L" or, for CSV, "line L, column K (NAME)" for the byte at
 * `bad` of data[0..n), decoding the header line with d for the name. */
static void source_enc_where(const char *data, size_t n, size_t bad, char sep,
                             struct utf8_decoder *d, char *out, size_t outn)
{
    long line = 1;
    size_t start = 0;
    for (size_t i = 0; i < bad && i < n; i++)
        if (data[i] == '\n') {
            line++;
            start = i + 1;
        }
    if (!sep) {
        snprintf(out, outn, "line %ld", line);
        return;
    }
    int col = 0, quoted = 0;
    for (size_t i = start; i < bad; i++) {
        if (data[i] == '"')
            quoted = !quoted;
        else if (data[i] == sep && !quoted)
            col++;
    }
    /* The column's name from the header, when the header decodes. */
    char name[128] = "";
    size_t hl = 0;
    while (hl < n && data[hl] != '\n' && data[hl] != '\r')
        hl++;
    size_t cap = 3 * hl + 4, len = 0, hb = 0;
    char *hdr = malloc(cap);
    if (hdr && utf8_decode(d, data, hl, hdr, cap, &len, &hb) == ERR_OK) {
        const char *p = hdr;
        for (int c = 0; c < col && p; c++) {
            p = strchr(p, sep);
            p = p ? p + 1 : NULL;
        }
        if (p) {
            size_t k = strcspn(p, (const char[]){sep, '\0'});
            if (k > 0 && p[0] == '"')
                p++, k = k >= 2 ? k - 2 : 0;
            k = utf8_cut(p, strlen(p), k < sizeof name - 1 ? k : sizeof name - 1);
            memcpy(name, p, k);
            name[k] = '\0';
        }
    }
    free(hdr);
    if (name[0])
        snprintf(out, outn, "line %ld, column %d (%s)", line, col + 1, name);
    else
        snprintf(out, outn, "line %ld, column %d", line, col + 1);
}

/* Decodes data[0..n) with the named encoding into a new VSIMalloc'd
 * buffer (*out, *out_len). ERR_INPUT with *bad set when it is not valid. */
static int source_enc_decode(const char *name, const char *data, size_t n, char **out,
                             size_t *out_len, size_t *bad, struct utf8_decoder **dec, struct err *e)
{
    *out = NULL;
    *dec = utf8_decoder_open(name, e);
    if (*dec == NULL)
        return e->code;
    size_t cap = 3 * n + 4; /* CP932, EUC-JP, UTF-16: at most 3 bytes out per byte in */
    *out = VSIMalloc(cap);
    if (*out == NULL)
        return err_nomem(e);
    int rc = utf8_decode(*dec, data, n, *out, cap, out_len, bad);
    if (rc != ERR_OK) {
        VSIFree(*out);
        *out = NULL;
    }
    return rc;
}

int source_enc_text(const char *path, const char *given, char csv, struct source_enc *enc,
                    struct err *e)
{
    static atomic_ulong serial;
    const char *base = source_enc_base(path);
    memset(enc, 0, sizeof *enc);
    enc->vsi[0] = '\0';
    enc->detected = given == NULL;
    if (given && utf8_encoding_name(given, enc->name, sizeof enc->name, e) != ERR_OK)
        return err_prefix(e, "--encoding: "), ERR_INPUT;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
        if (fd >= 0)
            close(fd);
        snprintf(enc->name, sizeof enc->name, "%s", given ? enc->name : "UTF-8");
        return ERR_OK; /* source_open reports what is wrong with the file */
    }
    size_t n = (size_t)st.st_size;
    const char *data = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (data == MAP_FAILED)
        return err_set(e, ERR_IO, "%s: cannot be read", base);
    const unsigned char *u = (const unsigned char *)data;
    int bom8 = n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF;
    int bom16 = n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
    int rc = ERR_OK;
    char *out = NULL;
    size_t out_len = 0, bad = 0;
    struct utf8_decoder *dec = NULL;
    char where[200];
    if (given == NULL) {
        size_t off = bom16 ? 0 : utf8_check(data, n);
        long multi = 0, nbad = 0;
        if (!bom16 && off < n)
            source_enc_tally(data, n, &multi, &nbad);
        if (bom16) {
            snprintf(enc->name, sizeof enc->name, "UTF-16");
        } else if (off == n || multi > nbad) {
            /* UTF-8, or UTF-8 with a few broken bytes that the reader
             * refuses where they are (line and field). */
            snprintf(enc->name, sizeof enc->name, "UTF-8");
            enc->bad_line = off < n ? source_enc_line(data, off) : 0;
            goto done;
        } else if (n > (size_t)SOURCE_ENC_TEXT_MAX) {
            rc = err_set(e, ERR_LIMIT,
                         "%s: is not UTF-8 and larger than %ld MB; convert it to UTF-8 first "
                         "(e.g. iconv -f CP932 -t UTF-8)",
                         base, SOURCE_ENC_TEXT_MAX >> 20);
            goto done;
        } else {
            int ok_sj =
                source_enc_decode("CP932", data, n, &out, &out_len, &bad, &dec, e) == ERR_OK;
            struct utf8_decoder *dec2 = NULL;
            char *out2 = NULL;
            size_t len2 = 0, bad2 = 0;
            int ok_euc =
                source_enc_decode("EUC-JP", data, n, &out2, &len2, &bad2, &dec2, e) == ERR_OK;
            err_clear(e);
            if (ok_sj && ok_euc) {
                rc = err_set(e, ERR_INPUT,
                             "%s: is not UTF-8 and reads as both CP932 (Shift_JIS) and EUC-JP; "
                             "name its encoding with --encoding CP932 or --encoding EUC-JP",
                             base);
            } else if (ok_euc) {
                VSIFree(out);
                utf8_decoder_close(dec);
                out = out2, out_len = len2, dec = dec2;
                out2 = NULL, dec2 = NULL;
                snprintf(enc->name, sizeof enc->name, "EUC-JP");
            } else if (ok_sj) {
                snprintf(enc->name, sizeof enc->name, "CP932");
            } else {
                /* Name the place where the encoding that reads furthest
                 * fails: most likely the file's own, broken there. */
                const char *best = bad >= bad2 && bad >= off ? "CP932"
                                   : bad2 >= off             ? "EUC-JP"
                                                             : "UTF-8";
                size_t at = strcmp(best, "CP932") == 0 ? bad : best[0] == 'E' ? bad2 : off;
                struct utf8_decoder *hd = utf8_decoder_open(best, e);
                err_clear(e);
                if (hd)
                    source_enc_where(data, n, at, csv, hd, where, sizeof where);
                else
                    snprintf(where, sizeof where, "line %ld", source_enc_line(data, at));
                utf8_decoder_close(hd);
                rc = err_set(e, ERR_INPUT,
                             "%s %s: the text is not valid %s (the file reads as %s up to "
                             "there, and as neither UTF-8 nor CP932 nor EUC-JP as a whole); "
                             "name the file's encoding with --encoding",
                             base, where, source_enc_label(best), best);
            }
            VSIFree(out2);
            utf8_decoder_close(dec2);
            if (rc != ERR_OK)
                goto done;
        }
    } else if (strcmp(enc->name, "UTF-8") == 0) {
        size_t off = utf8_check(data, n);
        enc->bad_line = off < n ? source_enc_line(data, off) : 0;
        goto done; /* read as it is; the reader refuses bad bytes where they are */
    } else if (bom8) {
        rc = err_set(e, ERR_INPUT,
                     "%s: starts with a UTF-8 byte order mark, but --encoding says %s; leave "
                     "--encoding out",
                     base, enc->name);
        goto done;
    }
    if (out == NULL) { /* given, or UTF-16: decode now */
        if (n > (size_t)SOURCE_ENC_TEXT_MAX) {
            rc = err_set(e, ERR_LIMIT,
                         "%s: is larger than %ld MB, too large to convert here; convert it to "
                         "UTF-8 first (iconv -f %s -t UTF-8)",
                         base, SOURCE_ENC_TEXT_MAX >> 20, enc->name);
            goto done;
        }
        rc = source_enc_decode(enc->name, data, n, &out, &out_len, &bad, &dec, e);
        if (rc == ERR_INPUT) {
            source_enc_where(data, n, bad, csv, dec, where, sizeof where);
            err_clear(e);
            rc = err_set(e, ERR_INPUT, "%s %s: the text is not valid %s%s", base, where,
                         source_enc_label(enc->name), enc->detected ? "" : " (check --encoding)");
        }
        if (rc != ERR_OK)
            goto done;
    }
    snprintf(enc->vsi, sizeof enc->vsi, "/vsimem/tsunagu-%ld-%lu/%.40s", (long)getpid(),
             (unsigned long)atomic_fetch_add(&serial, 1), base);
    VSILFILE *fp = VSIFileFromMemBuffer(enc->vsi, (GByte *)out, out_len, TRUE);
    if (fp == NULL) {
        enc->vsi[0] = '\0';
        rc = err_nomem(e);
        goto done;
    }
    out = NULL; /* the memory file owns it now */
    VSIFCloseL(fp);
done:
    VSIFree(out);
    utf8_decoder_close(dec);
    munmap((void *)(uintptr_t)data, n);
    return rc;
}

void source_enc_release(struct source_enc *enc)
{
    if (enc->vsi[0])
        VSIUnlink(enc->vsi);
    enc->vsi[0] = '\0';
}

int source_enc_sniff_init(struct source_enc_sniff *sn, struct err *e)
{
    memset(sn, 0, sizeof *sn);
    sn->cp932 = utf8_decoder_open("CP932", e);
    sn->eucjp = sn->cp932 ? utf8_decoder_open("EUC-JP", e) : NULL;
    if (sn->eucjp == NULL) {
        source_enc_sniff_free(sn);
        return e->code ? e->code : ERR_NOMEM;
    }
    return ERR_OK;
}

void source_enc_sniff_free(struct source_enc_sniff *sn)
{
    utf8_decoder_close(sn->cp932);
    utf8_decoder_close(sn->eucjp);
    free(sn->buf);
    memset(sn, 0, sizeof *sn);
}

void source_enc_sniff_add(struct source_enc_sniff *sn, const char *s, long feature, int field)
{
    size_t n = strlen(s);
    long bad_before = sn->utf8_bad;
    source_enc_tally(s, n, &sn->utf8_multi, &sn->utf8_bad);
    if (sn->utf8_bad == bad_before)
        return; /* ASCII or UTF-8: says nothing about CP932 or EUC-JP */
    if (sn->first_bad == 0) {
        sn->first_bad = feature;
        sn->first_field = field;
    }
    if (3 * n + 4 > sn->cap) {
        char *b = realloc(sn->buf, 3 * n + 4);
        if (b == NULL) {
            sn->cp932_bad = sn->eucjp_bad = 1; /* cannot tell: ask for --encoding */
            return;
        }
        sn->buf = b;
        sn->cap = 3 * n + 4;
    }
    size_t len, bad;
    if (!sn->cp932_bad && utf8_decode(sn->cp932, s, n, sn->buf, sn->cap, &len, &bad) != ERR_OK)
        sn->cp932_bad = 1;
    if (!sn->eucjp_bad && utf8_decode(sn->eucjp, s, n, sn->buf, sn->cap, &len, &bad) != ERR_OK)
        sn->eucjp_bad = 1;
}

int source_enc_sniff_pick(const struct source_enc_sniff *sn, char *name, size_t n, int *ambiguous)
{
    *ambiguous = 0;
    if (sn->utf8_bad == 0 || sn->utf8_multi > sn->utf8_bad)
        return snprintf(name, n, "UTF-8"), ERR_OK;
    if (!sn->cp932_bad && sn->eucjp_bad)
        return snprintf(name, n, "CP932"), ERR_OK;
    if (sn->cp932_bad && !sn->eucjp_bad)
        return snprintf(name, n, "EUC-JP"), ERR_OK;
    *ambiguous = !sn->cp932_bad;
    return ERR_INPUT;
}
