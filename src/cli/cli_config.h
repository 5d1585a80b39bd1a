/* SPDX-License-Identifier: MIT */
/* cli_config.h - the configuration file of `tsunagu serve --config FILE`
 * (/etc/tsunagu/tsunagu.conf in the Debian package): one `key = value` per
 * line, blank lines and lines starting with '#' ignored, keys being the
 * long names of serve's options (and `db`, `web`). Parsing is strict: an
 * unknown or repeated key, a line without '=', an empty value, text that is
 * not UTF-8, a line over CLI_CONFIG_LINE_MAX bytes or a file over
 * CLI_CONFIG_MAX bytes is refused with one sentence naming the file and the
 * line. The caller applies a value only where the command line gave none, so
 * command-line options override the file.
 *
 * Entry points: cli_config_read, cli_config_get, cli_config_flag,
 * cli_config_blame, cli_config_free.
 */
#ifndef TSUNAGU_CLI_CONFIG_H
#define TSUNAGU_CLI_CONFIG_H

#include "err.h"

#define CLI_CONFIG_MAX (64 * 1024) /* bytes of a configuration file */
#define CLI_CONFIG_LINE_MAX 1024   /* bytes of one line */
#define CLI_CONFIG_KEYS_MAX 32     /* keys a caller may allow */

struct cli_config;

/* Reads the file at `path`, accepting only the keys listed in `keys` (a
 * NULL-terminated table of at most CLI_CONFIG_KEYS_MAX names). Returns a
 * config to free with cli_config_free, or NULL with ERR_NOTFOUND (missing
 * file), ERR_IO (unreadable), ERR_LIMIT (too large) or ERR_INPUT (a bad
 * line), the sentence naming the file and, for a bad line, its number. */
struct cli_config *cli_config_read(const char *path, const char *const *keys, struct err *e);

/* The value of `key` (borrowed until cli_config_free), or NULL when the file
 * does not set it. c may be NULL (no file: always NULL). */
const char *cli_config_get(const struct cli_config *c, const char *key);

/* Reads the yes/no setting `key` into *out (1 for yes/true/1, 0 for
 * no/false/0); leaves *out when the file does not set it. ERR_INPUT naming
 * file and line for any other value. */
int cli_config_flag(const struct cli_config *c, const char *key, int *out, struct err *e);

/* When `value` is the file's value of `key` (the same pointer), prefixes the
 * sentence in e with "FILE line N: ", so an error about a value the file
 * gave says where it came from; otherwise leaves e alone. */
void cli_config_blame(const struct cli_config *c, const char *key, const char *value,
                      struct err *e);

/* Frees c (NULL is fine). */
void cli_config_free(struct cli_config *c);

#endif
