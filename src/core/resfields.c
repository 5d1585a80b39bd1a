/* SPDX-License-Identifier: MIT */
/* resfields.c - a resource's register fields and their validation (see
 * resfields.h). The target and language tables are small and hand-written:
 * no Debian library knows the words Japanese welfare lists use for target
 * groups, and a full BCP 47 registry (liblangtag) would accept thousands of
 * tags nobody writes on a resource; the shape check here is RFC 5646's
 * language-script-region subset. */
#include "resfields.h"

#include "utf8.h"
#include "vocab.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Built-in target groups: the key and the Japanese words that map to it
 * exactly (resfields_targets) or, in the `hints`, by containment in prose
 * (resfields_targets_infer). */
static const struct {
    const char *key;       /* stable key */
    const char *words[7];  /* exact words */
    const char *hints[10]; /* words found inside prose */
} resfields_target_table[] = {
    {"everyone",
     {"誰でも", "どなたでも", "だれでも", "全て", "すべて", "全世代", NULL},
     {"どなたでも", "誰でも", "だれでも", "問わず", NULL}},
    {"elderly",
     {"高齢者", "高齢の方", "高齢", "シニア", NULL},
     {"高齢", "65歳", "シニア", "要介護", "要支援", NULL}},
    {"families",
     {"子育て家庭", "子育て", "保護者", "親子", "妊産婦", NULL},
     {"子育て", "保護者", "親子", "妊産婦", "未就園児", "乳幼児", NULL}},
    {"children",
     {"子ども", "こども", "子供", "児童", "小学生", "中学生", "小中学生"},
     {"子ども", "こども", "子供", "児童", "小学生", "中学生", "小中学生", "乳幼児", NULL}},
    {"youth", {"若者", "青年", NULL}, {"若者", "青年", "ひきこもり", NULL}},
    {"disability",
     {"障害のある人", "障害のある方", "障害者", "障害", "障がい", NULL},
     {"障害", "障がい", NULL}},
    {"dementia", {"認知症の方", "認知症", NULL}, {"認知症", NULL}},
    {"caregivers", {"介護者", "家族", "ケアラー", NULL}, {"家族", "介護者", "ケアラー", NULL}},
    {"foreign_residents", {"外国人", "外国籍", "外国籍の方", "外国人住民", NULL}, {"外国", NULL}},
    {"hardship", {"生活困窮", "生活困窮者", "困窮", NULL}, {"困窮", "困りごと", NULL}},
    {"job_seekers", {"求職者", "仕事を探している方", NULL}, {"仕事", "就労", "働く", NULL}},
};
#define RESFIELDS_NTARGETS (sizeof resfields_target_table / sizeof resfields_target_table[0])

const char *resfields_target_key(const char *text)
{
    if (text == NULL)
        return NULL;
    for (size_t i = 0; i < RESFIELDS_NTARGETS; i++) {
        if (strcasecmp(text, resfields_target_table[i].key) == 0)
            return resfields_target_table[i].key;
        for (int w = 0; w < 7 && resfields_target_table[i].words[w]; w++)
            if (strcmp(text, resfields_target_table[i].words[w]) == 0)
                return resfields_target_table[i].key;
    }
    return vocab_level_ok(text) ? text : NULL; /* a new key: 1-32 of [a-z0-9_] */
}

/* A list being built: built-in keys by bit, new keys in order. */
struct resfields_list {
    unsigned builtin;                   /* bit i: resfields_target_table[i] */
    char extra[RESFIELDS_LIST_MAX][33]; /* new keys as written */
    size_t nextra;                      /* in extra */
    size_t count;                       /* terms in all, repeats included */
    char bad[64];                       /* the first refused term (cut) */
    char langs[RESFIELDS_LIST_MAX][16]; /* languages: normalised tags */
    size_t nlangs;                      /* in langs */
};

static int resfields_target_tok(void *ctx, const char *tok)
{
    struct resfields_list *l = ctx;
    const char *key = resfields_target_key(tok);
    if (key == NULL || ++l->count > RESFIELDS_LIST_MAX) {
        snprintf(l->bad, sizeof l->bad, "%.*s", (int)utf8_cut(tok, strlen(tok), 60), tok);
        return ERR_INPUT;
    }
    for (size_t i = 0; i < RESFIELDS_NTARGETS; i++)
        if (key == resfields_target_table[i].key) {
            l->builtin |= 1u << i;
            return ERR_OK;
        }
    for (size_t i = 0; i < l->nextra; i++)
        if (strcmp(l->extra[i], key) == 0)
            return ERR_OK;
    snprintf(l->extra[l->nextra++], sizeof l->extra[0], "%s", key);
    return ERR_OK;
}

/* Writes the list's keys ";"-joined into out. */
static void resfields_list_write(const struct resfields_list *l, char *out, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < RESFIELDS_NTARGETS; i++)
        if (l->builtin & (1u << i))
            used += (size_t)snprintf(out + used, used < n ? n - used : 0, "%s%s", used ? ";" : "",
                                     resfields_target_table[i].key);
    for (size_t i = 0; i < l->nextra; i++)
        used += (size_t)snprintf(out + used, used < n ? n - used : 0, "%s%s", used ? ";" : "",
                                 l->extra[i]);
    for (size_t i = 0; i < l->nlangs; i++)
        used += (size_t)snprintf(out + used, used < n ? n - used : 0, "%s%s", used ? ";" : "",
                                 l->langs[i]);
}

int resfields_targets(const char *text, char *out, size_t n, struct err *e)
{
    struct resfields_list l = {0};
    int rc = text ? vocab_split(text, resfields_target_tok, &l) : ERR_OK;
    if (rc == ERR_LIMIT)
        return err_set(e, ERR_INPUT, "a target term is longer than 127 bytes");
    if (rc != ERR_OK && l.count > RESFIELDS_LIST_MAX)
        return err_set(e, ERR_INPUT, "target lists at most %d groups", RESFIELDS_LIST_MAX);
    if (rc != ERR_OK)
        return err_set(e, ERR_INPUT,
                       "the target '%s' is neither a known group (everyone, elderly, families, "
                       "children, youth, disability, dementia, caregivers, foreign_residents, "
                       "hardship, job_seekers, or 誰でも, 高齢者, 子育て家庭, 障害のある人 ...) "
                       "nor a key of lowercase letters, digits and _",
                       l.bad);
    resfields_list_write(&l, out, n);
    return ERR_OK;
}

void resfields_targets_infer(const char *text, char *out, size_t n)
{
    struct resfields_list l = {0};
    for (size_t i = 0; text && i < RESFIELDS_NTARGETS; i++)
        for (int w = 0; w < 10 && resfields_target_table[i].hints[w]; w++)
            if (strstr(text, resfields_target_table[i].hints[w]))
                l.builtin |= 1u << i;
    resfields_list_write(&l, out, n);
}

/* Language names written in Japanese lists, to their codes. */
static const struct {
    const char *word;
    const char *tag;
} resfields_language_words[] = {
    {"日本語", "ja"},        {"英語", "en"},         {"中国語", "zh"},
    {"韓国語", "ko"},        {"朝鮮語", "ko"},       {"ベトナム語", "vi"},
    {"ポルトガル語", "pt"},  {"スペイン語", "es"},   {"タガログ語", "tl"},
    {"フィリピノ語", "fil"}, {"ネパール語", "ne"},   {"インドネシア語", "id"},
    {"タイ語", "th"},        {"ミャンマー語", "my"}, {"やさしい日本語", "ja"},
};

static int resfields_alpha(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
            return 0;
    return 1;
}

static int resfields_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Normalises one tag into out (16 bytes): 0 when it is not one. */
static int resfields_language_tag(const char *tok, char *out)
{
    for (size_t i = 0; i < sizeof resfields_language_words / sizeof resfields_language_words[0];
         i++)
        if (strcmp(tok, resfields_language_words[i].word) == 0) {
            snprintf(out, 16, "%s", resfields_language_words[i].tag);
            return 1;
        }
    char buf[16];
    size_t len = strlen(tok);
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, tok, len + 1);
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '_')
            buf[i] = '-';
    /* language (2-3 letters) [-Script (4 letters)] [-REGION (2 letters | 3 digits)] */
    char *part[3] = {buf, NULL, NULL};
    int np = 1;
    for (char *p = buf; *p; p++)
        if (*p == '-') {
            if (np == 3)
                return 0;
            *p = '\0';
            part[np++] = p + 1;
        }
    size_t l0 = strlen(part[0]);
    if (l0 < 2 || l0 > 3 || !resfields_alpha(part[0], l0))
        return 0;
    const char *script = NULL, *region = NULL;
    for (int i = 1; i < np; i++) {
        size_t li = strlen(part[i]);
        if (li == 4 && resfields_alpha(part[i], 4) && script == NULL && region == NULL)
            script = part[i];
        else if (((li == 2 && resfields_alpha(part[i], 2)) ||
                  (li == 3 && resfields_digits(part[i], 3))) &&
                 region == NULL)
            region = part[i];
        else
            return 0;
    }
    size_t o = 0;
    for (size_t i = 0; i < l0; i++)
        out[o++] = (char)(part[0][i] | 0x20);
    if (script) {
        out[o++] = '-';
        out[o++] = (char)(script[0] & ~0x20);
        for (int i = 1; i < 4; i++)
            out[o++] = (char)(script[i] | 0x20);
    }
    if (region) {
        out[o++] = '-';
        for (size_t i = 0; region[i]; i++)
            out[o++] = resfields_alpha(region + i, 1) ? (char)(region[i] & ~0x20) : region[i];
    }
    out[o] = '\0';
    return 1;
}

static int resfields_language_tok(void *ctx, const char *tok)
{
    struct resfields_list *l = ctx;
    char tag[16];
    if (!resfields_language_tag(tok, tag) || ++l->count > RESFIELDS_LIST_MAX) {
        snprintf(l->bad, sizeof l->bad, "%.*s", (int)utf8_cut(tok, strlen(tok), 60), tok);
        return ERR_INPUT;
    }
    for (size_t i = 0; i < l->nlangs; i++)
        if (strcmp(l->langs[i], tag) == 0)
            return ERR_OK;
    memcpy(l->langs[l->nlangs++], tag, sizeof tag);
    return ERR_OK;
}

int resfields_languages(const char *text, char *out, size_t n, struct err *e)
{
    struct resfields_list l = {0};
    int rc = text ? vocab_split(text, resfields_language_tok, &l) : ERR_OK;
    if (rc == ERR_LIMIT)
        return err_set(e, ERR_INPUT, "a language is longer than 127 bytes");
    if (rc != ERR_OK && l.count > RESFIELDS_LIST_MAX)
        return err_set(e, ERR_INPUT, "languages lists at most %d languages", RESFIELDS_LIST_MAX);
    if (rc != ERR_OK)
        return err_set(e, ERR_INPUT,
                       "the language '%s' is not a language code such as ja, en, vi, zh, pt, "
                       "zh-Hant or pt-BR",
                       l.bad);
    resfields_list_write(&l, out, n);
    return ERR_OK;
}

const char *resfields_barrier_free(const char *text)
{
    static const struct {
        const char *word, *value;
    } words[] = {{"yes", "yes"},         {"true", "yes"},    {"はい", "yes"}, {"あり", "yes"},
                 {"有", "yes"},          {"○", "yes"},       {"no", "no"},    {"false", "no"},
                 {"いいえ", "no"},       {"なし", "no"},     {"無", "no"},    {"×", "no"},
                 {"unknown", "unknown"}, {"不明", "unknown"}};
    for (size_t i = 0; text && i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(text, words[i].word) == 0)
            return words[i].value;
    return NULL;
}

int resfields_list_has(const char *list, const char *key)
{
    size_t k = strlen(key);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == k && strncmp(p, key, k) == 0)
            return 1;
        p = end ? end + 1 : p + len;
    }
    return 0;
}

/* ---- JSON bodies ---- */

/* How a member is checked. */
enum resfields_type {
    RF_TEXT,      /* free text on one line */
    RF_NOTES,     /* free text, line breaks allowed */
    RF_NAME,      /* required text */
    RF_KIND,      /* vocab_kind */
    RF_FIELDS,    /* vocab_fields */
    RF_HUB,       /* vocab_hub_type */
    RF_TARGET,    /* resfields_targets */
    RF_LANGUAGES, /* resfields_languages */
    RF_BARRIER,   /* resfields_barrier_free */
    RF_CONTACT,   /* a phone number */
    RF_URL,       /* http(s) URL */
    RF_COORD      /* lon or lat */
};

static const struct {
    const char *name; /* member */
    int type;         /* enum resfields_type */
    size_t max;       /* bytes */
    int required;     /* on create */
} resfields_members[] = {
    {"name", RF_NAME, RESFIELDS_NAME_MAX, 1},
    {"kind", RF_KIND, 32, 1},
    {"fields", RF_FIELDS, 200, 0},
    {"hub_type", RF_HUB, 32, 0},
    {"address", RF_TEXT, RESFIELDS_TEXT_MAX, 0},
    {"schedule", RF_TEXT, RESFIELDS_TEXT_MAX, 0},
    {"contact", RF_CONTACT, RESFIELDS_CONTACT_MAX, 0},
    {"operator", RF_TEXT, RESFIELDS_TEXT_MAX, 0},
    {"target", RF_TARGET, RESFIELDS_LIST_BYTES, 0},
    {"url", RF_URL, RESFIELDS_URL_MAX, 0},
    {"languages", RF_LANGUAGES, RESFIELDS_LIST_BYTES, 0},
    {"barrier_free", RF_BARRIER, 16, 0},
    {"cost", RF_TEXT, RESFIELDS_SHORT_MAX, 0},
    {"notes", RF_NOTES, RESFIELDS_TEXT_MAX, 0},
    {"lon", RF_COORD, 0, 1},
    {"lat", RF_COORD, 0, 1},
};
#define RESFIELDS_NMEMBERS (sizeof resfields_members / sizeof resfields_members[0])

/* 1 when s holds no control character (line breaks and tabs allowed when
 * `lines`). */
static int resfields_plain(const char *s, int lines)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && !(lines && (*p == '\n' || *p == '\r' || *p == '\t'))) || *p == 0x7F)
            return 0;
    return 1;
}

/* A list member as text: a string, or an array of strings joined by ";". */
static int resfields_list_text(const json_t *v, const char *name, char *buf, size_t n,
                               struct err *e)
{
    if (json_is_string(v)) {
        if (json_string_length(v) >= n)
            return err_set(e, ERR_INPUT, "%s is longer than %zu bytes", name, n - 1);
        snprintf(buf, n, "%s", json_string_value(v));
        return ERR_OK;
    }
    if (!json_is_array(v))
        return err_set(e, ERR_INPUT, "%s must be a list of strings or a string", name);
    if (json_array_size(v) > RESFIELDS_LIST_MAX)
        return err_set(e, ERR_INPUT, "%s lists at most %d entries", name, RESFIELDS_LIST_MAX);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < json_array_size(v); i++) {
        const json_t *s = json_array_get(v, i);
        if (!json_is_string(s))
            return err_set(e, ERR_INPUT, "%s must be a list of strings", name);
        const char *t = json_string_value(s);
        if (strchr(t, ';') || used + strlen(t) + 2 > n)
            return err_set(e, ERR_INPUT, "%s entry %zu is not a single term within %zu bytes", name,
                           i + 1, n - 1);
        used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ";" : "", t);
    }
    return ERR_OK;
}

/* Checks and normalises member i's value v into rec. */
static int resfields_member(json_t *rec, size_t i, const json_t *v, struct err *e)
{
    const char *name = resfields_members[i].name;
    int type = resfields_members[i].type;
    if (json_is_null(v)) {
        if (resfields_members[i].required)
            return err_set(e, ERR_INPUT, "%s cannot be null", name);
        if (type == RF_FIELDS) /* the fields of a resource nobody has classified */
            return json_object_set_new(rec, name, json_string("unspecified")) ? err_nomem(e)
                                                                              : ERR_OK;
        return json_object_set_new(rec, name, json_null()) ? err_nomem(e) : ERR_OK;
    }
    if (type == RF_COORD) {
        if (!json_is_number(v) || !isfinite(json_number_value(v)))
            return err_set(e, ERR_INPUT, "%s must be a number", name);
        double d = json_number_value(v);
        if (d < -180 || d > 180 || (name[1] == 'a' && (d < -90 || d > 90)))
            return err_set(e, ERR_INPUT, "%s %g is out of range", name, d);
        return json_object_set_new(rec, name, json_real(d)) ? err_nomem(e) : ERR_OK;
    }
    char buf[RESFIELDS_TEXT_MAX + 1], out[RESFIELDS_TEXT_MAX + 1];
    if (type == RF_TARGET || type == RF_LANGUAGES || type == RF_FIELDS) {
        if (resfields_list_text(v, name, buf, sizeof buf, e) != ERR_OK)
            return ERR_INPUT;
    } else {
        if (!json_is_string(v))
            return err_set(e, ERR_INPUT, "%s must be a string or null", name);
        if (json_string_length(v) > resfields_members[i].max)
            return err_set(e, ERR_INPUT, "%s is longer than %zu bytes", name,
                           resfields_members[i].max);
        snprintf(buf, sizeof buf, "%s", json_string_value(v));
    }
    /* jansson refuses invalid UTF-8 and \u0000 already; checked again here
     * because a record may come from elsewhere than a parsed body. */
    if (!utf8_valid_str(buf) || !resfields_plain(buf, type == RF_NOTES))
        return err_set(e, ERR_INPUT, "%s holds control characters or text that is not UTF-8", name);
    const char *value = buf;
    switch (type) {
    case RF_NAME:
        if (buf[strspn(buf, " \t")] == '\0')
            return err_set(e, ERR_INPUT, "%s cannot be empty", name);
        break;
    case RF_KIND:
        if (vocab_kind(buf, out, sizeof out, e) != ERR_OK)
            return ERR_INPUT;
        value = out;
        break;
    case RF_FIELDS: {
        int mask = 0;
        if (strcmp(buf, "unspecified") != 0 && vocab_fields(buf, &mask, e) != ERR_OK)
            return ERR_INPUT;
        vocab_fields_format(mask, out, sizeof out);
        value = out;
        break;
    }
    case RF_HUB:
        value = vocab_hub_type(buf);
        if (value == NULL)
            return err_set(
                e, ERR_INPUT,
                "hub_type must be basic, integrated or community (基本型, 統合型, 地域型)");
        break;
    case RF_TARGET:
        if (resfields_targets(buf, out, sizeof out, e) != ERR_OK)
            return ERR_INPUT;
        value = out;
        break;
    case RF_LANGUAGES:
        if (resfields_languages(buf, out, sizeof out, e) != ERR_OK)
            return ERR_INPUT;
        value = out;
        break;
    case RF_BARRIER:
        value = resfields_barrier_free(buf);
        if (value == NULL)
            return err_set(e, ERR_INPUT, "barrier_free must be yes, no or unknown");
        break;
    case RF_CONTACT:
        if (strspn(buf, "0123456789+-() ") != strlen(buf) || strpbrk(buf, "0123456789") == NULL)
            return err_set(e, ERR_INPUT,
                           "contact must be a phone number (digits, spaces and + - ( ))");
        break;
    case RF_URL:
        if ((strncmp(buf, "https://", 8) != 0 && strncmp(buf, "http://", 7) != 0) ||
            strpbrk(buf, " \"<>\\^`{|}") != NULL || strlen(buf) < 10)
            return err_set(e, ERR_INPUT,
                           "url must be an http:// or https:// address without "
                           "spaces");
        break;
    default:
        break;
    }
    /* An empty text or list is "not set". */
    json_t *s = value[0] ? json_string(value) : json_null();
    return s == NULL || json_object_set_new(rec, name, s) ? err_nomem(e) : ERR_OK;
}

int resfields_apply(json_t *rec, const json_t *body, int create, struct err *e)
{
    if (!json_is_object(body))
        return err_set(e, ERR_INPUT, "the body must be a JSON object");
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)body, key, v)
    {
        size_t i = 0;
        while (i < RESFIELDS_NMEMBERS && strcmp(resfields_members[i].name, key) != 0)
            i++;
        if (i == RESFIELDS_NMEMBERS) {
            char shown[48];
            snprintf(shown, sizeof shown, "%.40s", key);
            utf8_sanitize(shown, 0);
            return err_set(e, ERR_INPUT,
                           "unknown member '%s' in the body; it takes " RESFIELDS_MEMBERS, shown);
        }
    }
    for (size_t i = 0; i < RESFIELDS_NMEMBERS; i++) {
        v = json_object_get(body, resfields_members[i].name);
        if (v == NULL && create && resfields_members[i].required)
            return err_set(e, ERR_INPUT, "%s is required to add a resource",
                           resfields_members[i].name);
        if (v == NULL && create && json_object_get(rec, resfields_members[i].name) == NULL &&
            json_object_set_new(rec, resfields_members[i].name,
                                strcmp(resfields_members[i].name, "fields") == 0
                                    ? json_string("unspecified")
                                    : json_null()))
            return err_nomem(e);
        if (v && resfields_member(rec, i, v, e) != ERR_OK)
            return e->code;
    }
    return ERR_OK;
}
