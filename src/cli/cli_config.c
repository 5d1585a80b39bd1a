/* SPDX-License-Identifier: MIT */
/* cli_config.c - reads serve's configuration file (cli_config.h): the whole
 * file is read once (bounded by CLI_CONFIG_MAX), split into lines in place
 * and each `key = value` checked against the caller's table of keys. The
 * format is hand-parsed because it is ten lines of "key = value" with no
 * nesting, quoting or escapes; an INI or TOML library would accept more
 * than this strict reader wants to. Entry points: cli_config_read,
 * cli_config_get, cli_config_flag, cli_config_blame, cli_config_free. */
#include "cli_config.h"
#include "utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cli_config {
    char *path;                             /* the file's name, for messages (owned) */
    char *text;                             /* the file, split in place (owned) */
    const char *key[CLI_CONFIG_KEYS_MAX];   /* the keys allowed (borrowed from the caller) */
    const char *value[CLI_CONFIG_KEYS_MAX]; /* each key's value in text, or NULL */
    int line[CLI_CONFIG_KEYS_MAX];          /* the line that set it */
    int nkeys;                              /* entries in key */
};

void cli_config_free(struct cli_config *c)
{
    if (c == NULL)
        return;
    free(c->path);
    free(c->text);
    free(c);
}

/* Reads the file into c->text (NUL-terminated). Errors as cli_config_read. */
static int cli_config_slurp(struct cli_config *c, struct err *e)
{
    FILE *f = fopen(c->path, "rb");
    if (f == NULL)
        return err_set(e, errno == ENOENT ? ERR_NOTFOUND : ERR_IO,
                       "cannot read the configuration file %s: %s", c->path, strerror(errno));
    c->text = malloc(CLI_CONFIG_MAX + 1);
    if (c->text == NULL) {
        fclose(f);
        return err_nomem(e);
    }
    size_t n = fread(c->text, 1, CLI_CONFIG_MAX + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return err_set(e, ERR_IO, "cannot read the configuration file %s", c->path);
    if (n > CLI_CONFIG_MAX)
        return err_set(e, ERR_LIMIT, "the configuration file %s is larger than %d bytes", c->path,
                       CLI_CONFIG_MAX);
    c->text[n] = '\0';
    if (memchr(c->text, '\0', n) != NULL)
        return err_set(e, ERR_INPUT, "the configuration file %s holds a NUL byte", c->path);
    return ERR_OK;
}

/* Trims blanks (space, tab, CR) from both ends of s in place. */
static char *cli_config_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Takes one line (NUL-terminated, without its newline). */
static int cli_config_line(struct cli_config *c, char *line, int no, struct err *e)
{
    if (strlen(line) > CLI_CONFIG_LINE_MAX)
        return err_set(e, ERR_LIMIT, "%s line %d is longer than %d bytes", c->path, no,
                       CLI_CONFIG_LINE_MAX);
    if (!utf8_valid_str(line))
        return err_set(e, ERR_INPUT, "%s line %d is not valid UTF-8", c->path, no);
    char *s = cli_config_trim(line);
    if (*s == '\0' || *s == '#')
        return ERR_OK;
    char *eq = strchr(s, '=');
    if (eq == NULL)
        return err_set(e, ERR_INPUT, "%s line %d is not 'key = value' or a '#' comment", c->path,
                       no);
    *eq = '\0';
    char *key = cli_config_trim(s);
    char *value = cli_config_trim(eq + 1);
    for (int k = 0; k < c->nkeys; k++) {
        if (strcmp(c->key[k], key) != 0)
            continue;
        if (c->value[k] != NULL)
            return err_set(e, ERR_INPUT, "%s line %d sets '%s' again (first set on line %d)",
                           c->path, no, key, c->line[k]);
        if (*value == '\0')
            return err_set(e, ERR_INPUT, "%s line %d gives '%s' no value", c->path, no, key);
        c->value[k] = value;
        c->line[k] = no;
        return ERR_OK;
    }
    return err_set(e, ERR_INPUT, "%s line %d sets '%.60s', which is not a setting of serve",
                   c->path, no, key);
}

struct cli_config *cli_config_read(const char *path, const char *const *keys, struct err *e)
{
    struct cli_config *c = calloc(1, sizeof *c);
    if (c == NULL || (c->path = strdup(path)) == NULL) {
        cli_config_free(c);
        return err_nomem(e), NULL;
    }
    for (; keys[c->nkeys] != NULL; c->nkeys++)
        if (c->nkeys == CLI_CONFIG_KEYS_MAX) {
            cli_config_free(c);
            return err_set(e, ERR_INTERNAL, "too many configuration keys"), NULL;
        } else
            c->key[c->nkeys] = keys[c->nkeys];
    if (cli_config_slurp(c, e) != ERR_OK) {
        cli_config_free(c);
        return NULL;
    }
    char *p = c->text;
    for (int no = 1; p != NULL; no++) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        if (cli_config_line(c, p, no, e) != ERR_OK) {
            cli_config_free(c);
            return NULL;
        }
        p = nl ? nl + 1 : NULL;
    }
    return c;
}

/* The index of key, or -1. */
static int cli_config_find(const struct cli_config *c, const char *key)
{
    for (int k = 0; c && k < c->nkeys; k++)
        if (strcmp(c->key[k], key) == 0)
            return k;
    return -1;
}

const char *cli_config_get(const struct cli_config *c, const char *key)
{
    int k = cli_config_find(c, key);
    return k < 0 ? NULL : c->value[k];
}

int cli_config_flag(const struct cli_config *c, const char *key, int *out, struct err *e)
{
    int k = cli_config_find(c, key);
    if (k < 0 || c->value[k] == NULL)
        return ERR_OK;
    const char *v = c->value[k];
    if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
        *out = 1;
    else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
        *out = 0;
    else
        return err_set(e, ERR_INPUT, "%s line %d: '%s' must be yes or no", c->path, c->line[k],
                       key);
    return ERR_OK;
}

void cli_config_blame(const struct cli_config *c, const char *key, const char *value, struct err *e)
{
    int k = cli_config_find(c, key);
    if (k >= 0 && value != NULL && c->value[k] == value)
        err_prefix(e, "%s line %d: ", c->path, c->line[k]);
}
