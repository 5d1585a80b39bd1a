/* SPDX-License-Identifier: MIT */
/* consent.c - a household's consent as text and as stored (consent.h).
 * Entry points: consent_parse, consent_name. */
#include "consent.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

int consent_parse(const char *text, int *v)
{
    static const char *const yes[] = {"yes", "y", "true", "1", "あり", "有", "同意", "済"};
    static const char *const no[] = {"no", "n", "false", "0", "なし", "無", "未", "不同意"};
    static const char *const unknown[] = {"unknown", "不明", "未確認", "?"};
    if (text == NULL || text[0] == '\0')
        return *v = CONSENT_UNKNOWN, ERR_OK;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(text, yes[i]) == 0)
            return *v = CONSENT_YES, ERR_OK;
        if (strcasecmp(text, no[i]) == 0)
            return *v = CONSENT_NO, ERR_OK;
    }
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        if (strcasecmp(text, unknown[i]) == 0)
            return *v = CONSENT_UNKNOWN, ERR_OK;
    return ERR_INPUT;
}

const char *consent_name(int v)
{
    return v == CONSENT_YES ? "yes" : v == CONSENT_NO ? "no" : "unknown";
}
