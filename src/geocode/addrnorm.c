/* SPDX-License-Identifier: MIT */
/* addrnorm.c - the normal form of a Japanese address (see addrnorm.h).
 *
 * Hand-written on purpose: no library in Debian normalises Japanese
 * addresses (ICU's NFKC would only cover the full-width forms, and neither
 * ICU nor iconv knows kanji numerals, 番地/号, ヶ/が or old kanji), and
 * the rules are few and local. The text is decoded once into code points,
 * rewritten in a few passes over that array, and encoded again.
 *
 * Entry points: addrnorm_normalise, addrnorm_utf8_ok, addrnorm_utf8_next.
 */
#include "addrnorm.h"

#include <string.h>

/* Old and variant kanji that registers and reference data disagree on,
 * mapped to the form MLIT's 位置参照情報 and the ABR use. Kept small on
 * purpose: each is a character seen in real place names. */
static const unsigned ADDRNORM_VARIANTS[][2] = {
    {0x9AD9, 0x9AD8},  /* 髙 -> 高 */
    {0xFA11, 0x5D0E},  /* 﨑 -> 崎 */
    {0x5D5C, 0x5D0E},  /* 嵜 -> 崎 */
    {0x908A, 0x8FBA},  /* 邊 -> 辺 */
    {0x9089, 0x8FBA},  /* 邉 -> 辺 */
    {0x6FF1, 0x6D5C},  /* 濱 -> 浜 */
    {0x6FF5, 0x6D5C},  /* 濵 -> 浜 */
    {0x5D8B, 0x5CF6},  /* 嶋 -> 島 */
    {0x5D8C, 0x5CF6},  /* 嶌 -> 島 */
    {0x6FA4, 0x6CA2},  /* 澤 -> 沢 */
    {0x6AFB, 0x685C},  /* 櫻 -> 桜 */
    {0x5EE3, 0x5E83},  /* 廣 -> 広 */
    {0x570B, 0x56FD},  /* 國 -> 国 */
    {0x51A8, 0x5BCC},  /* 冨 -> 富 */
    {0x69C7, 0x69D9},  /* 槇 -> 槙 */
    {0x7028, 0x702C},  /* 瀨 -> 瀬 */
    {0x8218, 0x9928},  /* 舘 -> 館 */
    {0x9F8D, 0x7ADC},  /* 龍 -> 竜 */
    {0x5CEF, 0x5CF0},  /* 峯 -> 峰 */
    {0xFA10, 0x585A},  /* 塚 (compatibility form) -> 塚 */
    {0x20BB7, 0x5409}, /* 𠮷 -> 吉 */
    {0x9F4B, 0x658E},  /* 齋 -> 斎 */
    {0x9F4A, 0x6589},  /* 齊 -> 斉 */
    {0x6DFA, 0x6D45},  /* 淺 -> 浅 */
    {0x69AE, 0x6804},  /* 榮 -> 栄 */
    {0x60E0, 0x6075},  /* 惠 -> 恵 */
    {0x5FB7, 0x5FB3},  /* 德 -> 徳 */
    {0x6A9C, 0x6867},  /* 檜 -> 桧 */
    {0x589E, 0x5897},  /* 增 -> 増 */
    {0x9F9C, 0x4E80},  /* 龜 -> 亀 */
    {0x66FE, 0x66FD},  /* 曾 -> 曽 */
};

enum {
    CP_DASH = '-',
    CP_CHOU = 0x4E01,     /* 丁 */
    CP_ME = 0x76EE,       /* 目 */
    CP_BAN = 0x756A,      /* 番 */
    CP_CHI = 0x5730,      /* 地 */
    CP_GOU = 0x53F7,      /* 号 */
    CP_NO_H = 0x306E,     /* の */
    CP_NO_K = 0x30CE,     /* ノ */
    CP_NO_KANJI = 0x4E4B, /* 之 */
    CP_KE = 0x30B1,       /* ケ */
    CP_OO = 0x5927,       /* 大 */
    CP_AZA = 0x5B57,      /* 字 */
    CP_POST = 0x3012,     /* 〒 */
    CP_TEN = 0x5341,      /* 十 */
    CP_HYAKU = 0x767E,    /* 百 */
};

size_t addrnorm_utf8_next(const unsigned char *s, size_t len, unsigned *cp)
{
    if (len == 0)
        return 0;
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        n = 2, c &= 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, c &= 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, c &= 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

int addrnorm_utf8_ok(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    while (len > 0) {
        unsigned cp;
        size_t k = addrnorm_utf8_next(p, len, &cp);
        if (k == 0)
            return 0;
        p += k;
        len -= k;
    }
    return 1;
}

/* Value 0-9 of a kanji digit, 10 for 十, 100 for 百, -1 otherwise. */
static int addrnorm_kanji_value(unsigned c)
{
    static const unsigned digits[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                      0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
    for (int i = 0; i < 10; i++)
        if (c == digits[i])
            return i;
    if (c == CP_TEN)
        return 10;
    if (c == CP_HYAKU)
        return 100;
    return -1;
}

static int addrnorm_is_digit(unsigned c)
{
    return c >= '0' && c <= '9';
}

/* Dashes that always separate (hyphen, minus and their full-width forms). */
static int addrnorm_is_dash(unsigned c)
{
    return c == '-' || c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013 || c == 0x2014 ||
           c == 0x2212 || c == 0xFF0D || c == 0xFE63;
}

/* Bars that are a dash only after a number (ー is also the long vowel of
 * katakana words such as センター). */
static int addrnorm_is_bar(unsigned c)
{
    return c == 0x30FC || c == 0x2015 || c == 0x2500 || c == 0x2501 || c == 0xFF70;
}

static int addrnorm_is_space(unsigned c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000 || c == 0xA0 ||
           c == 0x200B || c == 0xFEFF;
}

/* Pass 1: width, spaces, variant kanji, ヶ/が and の/之, always-dashes. */
static size_t addrnorm_map(unsigned *cp, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = cp[i];
        if (addrnorm_is_space(c)) {
            /* Spaces go, except between two numbers ("21-2 103"): a dash. */
            size_t j = i;
            while (j < n && addrnorm_is_space(cp[j]))
                j++;
            unsigned next = j < n ? cp[j] : 0;
            if (o > 0 && addrnorm_is_digit(cp[o - 1]) &&
                (addrnorm_is_digit(next) || (next >= 0xFF10 && next <= 0xFF19)))
                cp[o++] = CP_DASH;
            i = j - 1;
            continue;
        }
        if (c >= 0xFF01 && c <= 0xFF5E)
            c -= 0xFEE0; /* full-width ASCII */
        if (addrnorm_is_dash(c))
            c = CP_DASH;
        else if (c == 0x30F6 || c == 0x30F5 || c == 0x304C || c == 0x30AC)
            c = CP_KE; /* ヶ ヵ が ガ */
        else if (c == CP_NO_H || c == CP_NO_KANJI)
            c = CP_NO_K;
        else if (c >= 0x4E00)
            for (size_t k = 0; k < sizeof ADDRNORM_VARIANTS / sizeof ADDRNORM_VARIANTS[0]; k++)
                if (ADDRNORM_VARIANTS[k][0] == c) {
                    c = ADDRNORM_VARIANTS[k][1];
                    break;
                }
        cp[o++] = c;
    }
    return o;
}

/* True when a run of kanji numerals ending before `next` (0 at the end) and
 * starting after `prev` (0 at the start) is a number of the address, not
 * part of a name such as 五十目山町 or 八王子. */
static int addrnorm_numeric_context(unsigned prev, unsigned next)
{
    if (next == 0 || next == CP_CHOU || next == CP_BAN || next == CP_GOU || next == CP_NO_K ||
        next == CP_DASH || addrnorm_is_digit(next) || addrnorm_is_bar(next))
        return 1;
    return prev == CP_DASH || addrnorm_is_digit(prev) || prev == CP_BAN || prev == CP_GOU ||
           prev == CP_ME || prev == CP_CHI;
}

/* Writes the value of kanji numerals cp[i..j) as digits at cp+o; returns
 * the count written. 一〜九十九 (and 百) positional, 〇一二 digit by digit. */
static size_t addrnorm_kanji_number(const unsigned *cp, size_t i, size_t j, unsigned *out)
{
    int positional = 0;
    for (size_t k = i; k < j; k++)
        if (addrnorm_kanji_value(cp[k]) >= 10)
            positional = 1;
    char buf[24];
    size_t len = 0;
    if (!positional) {
        for (size_t k = i; k < j && len < sizeof buf - 1; k++)
            buf[len++] = (char)('0' + addrnorm_kanji_value(cp[k]));
    } else {
        long total = 0, digit = -1;
        for (size_t k = i; k < j; k++) {
            int v = addrnorm_kanji_value(cp[k]);
            if (v >= 10) {
                total += (digit < 0 ? 1 : digit) * v;
                digit = -1;
            } else {
                digit = digit < 0 ? v : digit * 10 + v;
            }
            if (total > 99999 || digit > 99999)
                break;
        }
        if (digit > 0)
            total += digit;
        int w = 0;
        char tmp[24];
        do
            tmp[w++] = (char)('0' + total % 10);
        while ((total /= 10) > 0 && w < 20);
        while (w > 0)
            buf[len++] = tmp[--w];
    }
    for (size_t k = 0; k < len; k++)
        out[k] = (unsigned char)buf[k];
    return len;
}

/* Pass 2: kanji numerals in a numeric context become ASCII digits, into
 * a second array: 十 alone gives two digits, so the result may be longer
 * than the input (at most twice; runs longer than 8 are left as they are). */
static size_t addrnorm_numerals(const unsigned *cp, size_t n, unsigned *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o < cap;) {
        if (addrnorm_kanji_value(cp[i]) < 0) {
            out[o++] = cp[i++];
            continue;
        }
        size_t j = i;
        while (j < n && addrnorm_kanji_value(cp[j]) >= 0)
            j++;
        unsigned prev = i > 0 ? cp[i - 1] : 0, next = j < n ? cp[j] : 0;
        if (addrnorm_numeric_context(prev, next) && j - i <= 8 && o + 8 <= cap) {
            o += addrnorm_kanji_number(cp, i, j, out + o);
        } else {
            for (size_t k = i; k < j && o < cap; k++)
                out[o++] = cp[k];
        }
        i = j;
    }
    return o;
}

/* Pass 3: separators. Bars after a digit, 番地/番/号 after a digit and ノ
 * between numbers become '-'; 大字 and a leading 〒 postcode go; dashes
 * collapse, none after 丁目 and none at either end. */
static size_t addrnorm_separators(unsigned *cp, size_t n)
{
    size_t o = 0;
    size_t i = 0;
    if (n > 0 && cp[0] == CP_POST) {
        i = 1;
        while (i < n && (addrnorm_is_digit(cp[i]) || cp[i] == CP_DASH))
            i++;
    }
    for (; i < n; i++) {
        unsigned c = cp[i];
        unsigned prev = o > 0 ? cp[o - 1] : 0;
        unsigned next = i + 1 < n ? cp[i + 1] : 0;
        int after_num = addrnorm_is_digit(prev);
        if (addrnorm_is_bar(c) && after_num)
            c = CP_DASH;
        else if (c == CP_BAN && after_num) {
            if (next == CP_CHI)
                i++;
            c = CP_DASH;
        } else if (c == CP_GOU && after_num)
            c = CP_DASH;
        else if (c == CP_NO_K && (after_num || prev == CP_DASH) && addrnorm_is_digit(next))
            c = CP_DASH;
        else if (c == CP_OO && next == CP_AZA) {
            i++;
            continue;
        }
        if (c == CP_DASH &&
            (o == 0 || prev == CP_DASH || (prev == CP_ME && o >= 2 && cp[o - 2] == CP_CHOU)))
            continue;
        cp[o++] = c;
    }
    while (o > 0 && cp[o - 1] == CP_DASH)
        o--;
    return o;
}

int addrnorm_normalise(const char *in, size_t len, char *out, size_t n, struct err *e)
{
    unsigned a[ADDRNORM_CP_MAX], b[2 * ADDRNORM_CP_MAX + 8];
    if (n > 0)
        out[0] = '\0';
    if (len > ADDRNORM_IN_MAX)
        return err_set(e, ERR_LIMIT, "an address is longer than %d bytes", ADDRNORM_IN_MAX);
    size_t count = 0;
    const unsigned char *p = (const unsigned char *)in;
    while (len > 0) {
        unsigned c;
        size_t k = addrnorm_utf8_next(p, len, &c);
        if (k == 0)
            return err_set(e, ERR_INPUT, "an address is not valid UTF-8");
        if (count == ADDRNORM_CP_MAX)
            return err_set(e, ERR_LIMIT, "an address is longer than %d characters",
                           ADDRNORM_CP_MAX);
        if (c < 0x20 && !addrnorm_is_space(c))
            c = ' '; /* control characters count as spaces */
        a[count++] = c;
        p += k;
        len -= k;
    }
    count = addrnorm_map(a, count);
    count = addrnorm_numerals(a, count, b, sizeof b / sizeof b[0]);
    count = addrnorm_separators(b, count);
    size_t o = 0;
    for (size_t i = 0; i < count; i++) {
        unsigned c = b[i];
        unsigned char enc[4];
        size_t k;
        if (c == ' ')
            continue;
        if (c < 0x80) {
            enc[0] = (unsigned char)c, k = 1;
        } else if (c < 0x800) {
            enc[0] = (unsigned char)(0xC0 | c >> 6), enc[1] = (unsigned char)(0x80 | (c & 0x3F));
            k = 2;
        } else if (c < 0x10000) {
            enc[0] = (unsigned char)(0xE0 | c >> 12);
            enc[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            enc[2] = (unsigned char)(0x80 | (c & 0x3F));
            k = 3;
        } else {
            enc[0] = (unsigned char)(0xF0 | c >> 18);
            enc[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
            enc[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            enc[3] = (unsigned char)(0x80 | (c & 0x3F));
            k = 4;
        }
        if (o + k + 1 > n) {
            if (n > 0)
                out[0] = '\0';
            return err_set(e, ERR_LIMIT, "an address's normal form does not fit");
        }
        memcpy(out + o, enc, k);
        o += k;
    }
    if (n > 0)
        out[o] = '\0';
    return ERR_OK;
}
