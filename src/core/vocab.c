/* SPDX-License-Identifier: MIT */
/* vocab.c - kinds, fields, hub types and need tags (see vocab.h). Tables
 * map the words of domain.md to stable keys; everything is bounded by the
 * output buffer and VOCAB_KEY_MAX. */
#include "vocab.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *key;      /* stable key */
    const char *words[6]; /* Japanese names mapping to it */
} vocab_kinds[] = {
    {"consultation", {"相談窓口", "相談支援", "総合相談", "包括支援センター", "相談", NULL}},
    {"hub", {"居場所", "拠点", "共生型", "りびんぐるーむ", NULL}},
    {"salon", {"サロン", "ふれあいサロン", NULL}},
    {"cafeteria", {"子ども食堂", "こども食堂", "地域食堂", "食堂", NULL}},
    {"gathering_place", {"通いの場", "集会所", "公民館", "ふれあいセンター", NULL}},
    {"learning_support", {"学習支援", NULL}},
    {"work_support", {"就労体験", "就労準備支援", "就労支援", NULL}},
    {"welfare_facility", {"福祉施設", "社会福祉施設", NULL}},
    {"dementia_cafe", {"認知症カフェ", "オレンジカフェ", NULL}},
    {"health_room", {"まちの保健室", "保健室", NULL}},
    {"shelter", {"避難所", "避難場所", "避難施設", NULL}},
};
#define VOCAB_NKINDS (sizeof vocab_kinds / sizeof vocab_kinds[0])

const char *vocab_kind_label(const char *key)
{
    for (size_t i = 0; key && i < VOCAB_NKINDS; i++)
        if (strcmp(vocab_kinds[i].key, key) == 0)
            return vocab_kinds[i].words[0];
    return key;
}

int vocab_kind_is_builtin(const char *key)
{
    for (size_t i = 0; i < VOCAB_NKINDS; i++)
        if (strcmp(vocab_kinds[i].key, key) == 0)
            return 1;
    return 0;
}

static int vocab_is_key(const char *t)
{
    size_t n = strlen(t);
    if (n == 0 || n > VOCAB_KEY_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return 1;
}

int vocab_level_ok(const char *level)
{
    return level != NULL && vocab_is_key(level);
}

int vocab_kind(const char *text, char *out, size_t n, struct err *e)
{
    if (text == NULL || *text == '\0')
        return err_set(e, ERR_INPUT, "the kind is empty");
    for (size_t i = 0; i < VOCAB_NKINDS; i++) {
        int hit = strcasecmp(text, vocab_kinds[i].key) == 0;
        for (int w = 0; !hit && vocab_kinds[i].words[w]; w++)
            hit = strcmp(text, vocab_kinds[i].words[w]) == 0;
        if (hit) {
            snprintf(out, n, "%s", vocab_kinds[i].key);
            return ERR_OK;
        }
    }
    if (vocab_is_key(text)) {
        snprintf(out, n, "%s", text);
        return ERR_OK;
    }
    return err_set(e, ERR_INPUT,
                   "the kind '%.60s' is neither a known kind nor a key of lowercase letters, "
                   "digits and _ (known: consultation, hub, salon, cafeteria, gathering_place, "
                   "learning_support, work_support, welfare_facility, dementia_cafe, "
                   "health_room, shelter)",
                   text);
}

const char *vocab_kind_from_name(const char *name)
{
    static const struct {
        const char *word;
        const char *kind;
    } hints[] = {
        {"包括支援センター", "consultation"},
        {"相談支援", "consultation"},
        {"相談", "consultation"},
        {"認知症カフェ", "dementia_cafe"},
        {"子ども食堂", "cafeteria"},
        {"こども食堂", "cafeteria"},
        {"サロン", "salon"},
        {"ふれあいセンター", "gathering_place"},
        {"公民館", "gathering_place"},
        {"集会所", "gathering_place"},
        {"コミュニティ", "hub"},
        {"保健室", "health_room"},
    };
    if (name != NULL)
        for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
            if (strstr(name, hints[i].word))
                return hints[i].kind;
    return "welfare_facility";
}

static const struct {
    int bit;
    const char *words[8];
} vocab_field_words[] = {
    {VOCAB_ELDERLY, {"elderly", "高齢", "高齢者", "介護", NULL}},
    {VOCAB_DISABILITY, {"disability", "障害", "障がい", "障害者", "障がい者", NULL}},
    {VOCAB_CHILDREN, {"children", "子ども", "子ども・子育て", "子育て", "児童", "こども", NULL}},
    {VOCAB_HARDSHIP, {"hardship", "困窮", "生活困窮", NULL}},
    {VOCAB_FIELD_ALL, {"all", "全て", "すべて", "全分野", "全般", NULL}},
};

int vocab_field_bit(const char *text)
{
    for (size_t i = 0; i < sizeof vocab_field_words / sizeof vocab_field_words[0]; i++)
        for (int w = 0; vocab_field_words[i].words[w]; w++)
            if (strcasecmp(text, vocab_field_words[i].words[w]) == 0)
                return vocab_field_words[i].bit;
    return 0;
}

int vocab_split(const char *text, int (*fn)(void *ctx, const char *tok), void *ctx)
{
    static const char *const seps[] = {";", ",", "、", "・", "/", " ", "　", "，", "；"};
    char tok[128];
    const char *p = text;
    while (*p) {
        size_t len = 0;
        const char *q = p;
        size_t seplen = 0;
        while (*q) {
            seplen = 0;
            for (size_t k = 0; k < sizeof seps / sizeof seps[0] && !seplen; k++)
                if (strncmp(q, seps[k], strlen(seps[k])) == 0)
                    seplen = strlen(seps[k]);
            if (seplen)
                break;
            q++;
        }
        len = (size_t)(q - p);
        if (len >= sizeof tok)
            return ERR_LIMIT;
        if (len > 0) {
            memcpy(tok, p, len);
            tok[len] = '\0';
            int rc = fn(ctx, tok);
            if (rc != ERR_OK)
                return rc;
        }
        p = q + seplen;
    }
    return ERR_OK;
}

struct vocab_fields_ctx {
    int mask;
    const char *bad;
    char badbuf[64];
};

static int vocab_fields_tok(void *ctx, const char *tok)
{
    struct vocab_fields_ctx *c = ctx;
    /* "子ども・子育て" is one field whose name contains a separator. */
    if (strcmp(tok, "子育て") == 0) {
        c->mask |= VOCAB_CHILDREN;
        return ERR_OK;
    }
    int bit = vocab_field_bit(tok);
    if (bit == 0) {
        /* Quoted in the message: at most 60 bytes, never half a character. */
        int n = (int)strnlen(tok, 61);
        if (n > 60)
            for (n = 60; n > 0 && ((unsigned char)tok[n] & 0xC0) == 0x80;)
                n--;
        snprintf(c->badbuf, sizeof c->badbuf, "%.*s", n, tok);
        c->bad = c->badbuf;
        return ERR_INPUT;
    }
    c->mask |= bit;
    return ERR_OK;
}

int vocab_fields(const char *text, int *mask, struct err *e)
{
    struct vocab_fields_ctx c = {0};
    if (text == NULL || *text == '\0')
        return err_set(e, ERR_INPUT, "the fields value is empty");
    int rc = vocab_split(text, vocab_fields_tok, &c);
    if (rc == ERR_LIMIT)
        return err_set(e, ERR_LIMIT, "a fields term is longer than 127 bytes");
    if (rc != ERR_OK)
        return err_set(e, ERR_INPUT,
                       "the field '%.60s' is not one of elderly, disability, children, hardship, "
                       "all (or 高齢, 障害, 子ども, 困窮, 全て)",
                       c.bad);
    *mask = c.mask;
    return ERR_OK;
}

int vocab_fields_from_name(const char *name)
{
    static const struct {
        const char *word;
        int bit;
    } hints[] = {
        {"保育", VOCAB_CHILDREN},
        {"幼稚園", VOCAB_CHILDREN},
        {"こども園", VOCAB_CHILDREN},
        {"児童", VOCAB_CHILDREN},
        {"子ども", VOCAB_CHILDREN},
        {"子育て", VOCAB_CHILDREN},
        {"学童", VOCAB_CHILDREN},
        {"老人", VOCAB_ELDERLY},
        {"高齢", VOCAB_ELDERLY},
        {"介護", VOCAB_ELDERLY},
        {"デイサービス", VOCAB_ELDERLY},
        {"ケアハウス", VOCAB_ELDERLY},
        {"特別養護", VOCAB_ELDERLY},
        {"地域包括", VOCAB_ELDERLY},
        {"障害", VOCAB_DISABILITY},
        {"障がい", VOCAB_DISABILITY},
        {"作業所", VOCAB_DISABILITY},
        {"ケアホーム", VOCAB_DISABILITY},
        {"グループホーム", VOCAB_DISABILITY},
        {"就労", VOCAB_DISABILITY},
        {"生活困窮", VOCAB_HARDSHIP},
        {"自立相談", VOCAB_HARDSHIP},
    };
    int mask = 0;
    if (name != NULL)
        for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
            if (strstr(name, hints[i].word))
                mask |= hints[i].bit;
    return mask;
}

void vocab_fields_format(int mask, char *out, size_t n)
{
    static const char *const names[] = {"elderly", "disability", "children", "hardship"};
    if (n == 0)
        return;
    out[0] = '\0';
    if ((mask & VOCAB_FIELD_ALL) == VOCAB_FIELD_ALL) {
        snprintf(out, n, "all");
        return;
    }
    if ((mask & VOCAB_FIELD_ALL) == 0) {
        snprintf(out, n, "unspecified");
        return;
    }
    size_t off = 0;
    for (int i = 0; i < 4; i++)
        if (mask & (1 << i)) {
            int w = snprintf(out + off, n - off, "%s%s", off ? ";" : "", names[i]);
            if (w < 0 || (size_t)w >= n - off)
                return;
            off += (size_t)w;
        }
}

const char *vocab_hub_type(const char *text)
{
    static const struct {
        const char *key;
        const char *ja;
    } types[] = {{"basic", "基本型"}, {"integrated", "統合型"}, {"community", "地域型"}};
    if (text == NULL)
        return NULL;
    for (size_t i = 0; i < 3; i++)
        if (strcasecmp(text, types[i].key) == 0 || strcmp(text, types[i].ja) == 0)
            return types[i].key;
    return NULL;
}

static const struct {
    const char *tag;   /* canonical tag (domain.md) */
    const char *alias; /* English alias */
} vocab_need_list[] = {
    {"高齢独居", "elderly_alone"},
    {"認知症", "dementia"},
    {"要介護", "care_needed"},
    {"8050", "8050"},
    {"ひきこもり", "withdrawal"},
    {"ヤングケアラー", "young_carer"},
    {"ダブルケア", "double_care"},
    {"障害", "disability"},
    {"生活困窮", "hardship"},
    {"ごみ屋敷", "hoarding"},
    {"孤立", "isolation"},
    {"外国籍", "language"},
    {"虐待の疑い", "abuse_suspected"},
    {"DV", "dv"},
    {"不登校", "school_refusal"},
};

static const struct {
    const char *word;  /* canonical outcome */
    const char *alias; /* English alias */
} vocab_outcome_list[] = {
    {"会えた", "met"},         {"不在", "absent"},
    {"拒否", "refused"},       {"支援につないだ", "connected"},
    {"緊急対応", "emergency"}, {"その他", "other"},
};

const char *vocab_outcome(const char *term)
{
    for (size_t i = 0; term && i < sizeof vocab_outcome_list / sizeof vocab_outcome_list[0]; i++)
        if (strcmp(term, vocab_outcome_list[i].word) == 0 ||
            strcasecmp(term, vocab_outcome_list[i].alias) == 0)
            return vocab_outcome_list[i].word;
    return NULL;
}

const char *vocab_need_tag(const char *term)
{
    for (size_t i = 0; i < sizeof vocab_need_list / sizeof vocab_need_list[0]; i++)
        if (strcmp(term, vocab_need_list[i].tag) == 0 ||
            strcasecmp(term, vocab_need_list[i].alias) == 0)
            return vocab_need_list[i].tag;
    return NULL;
}

struct vocab_needs_ctx {
    char *out;
    size_t n, off;
    unsigned seen; /* bit per tag, to drop repeats */
};

static int vocab_needs_tok(void *ctx, const char *tok)
{
    struct vocab_needs_ctx *c = ctx;
    const char *tag = vocab_need_tag(tok);
    if (tag == NULL)
        return ERR_INPUT;
    for (size_t i = 0; i < sizeof vocab_need_list / sizeof vocab_need_list[0]; i++)
        if (vocab_need_list[i].tag == tag) {
            if (c->seen & (1u << i))
                return ERR_OK;
            c->seen |= 1u << i;
        }
    int w = snprintf(c->out + c->off, c->n - c->off, "%s%s", c->off ? ";" : "", tag);
    if (w < 0 || (size_t)w >= c->n - c->off)
        return ERR_LIMIT;
    c->off += (size_t)w;
    return ERR_OK;
}

int vocab_needs(const char *text, char *out, size_t n, struct err *e)
{
    struct vocab_needs_ctx c = {out, n, 0, 0};
    if (n == 0)
        return err_set(e, ERR_INTERNAL, "no room for need tags");
    out[0] = '\0';
    if (text == NULL)
        return ERR_OK;
    int rc = vocab_split(text, vocab_needs_tok, &c);
    if (rc == ERR_LIMIT)
        return err_set(e, ERR_LIMIT, "the needs value is too long");
    if (rc != ERR_OK)
        return err_set(
            e, ERR_INPUT,
            "the needs value has a tag outside the list (高齢独居, 認知症, 要介護, 8050, "
            "ひきこもり, ヤングケアラー, ダブルケア, 障害, 生活困窮, ごみ屋敷, 孤立, 外国籍, "
            "虐待の疑い, DV, 不登校)");
    return ERR_OK;
}
