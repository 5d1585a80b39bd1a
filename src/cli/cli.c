/* SPDX-License-Identifier: MIT */
/* cli.c - option parsing and error reporting shared by the commands
 * (cli_parse, cli_fail). Options are tables, so each command states its
 * inputs in one place. */
#include "cli.h"

#include <string.h>

int cli_parse(int argc, char **argv, int first, const struct cli_opt *opts,
              const char *const *flags, int **flag_dest, const char **pos, int npos, int *npos_out,
              struct err *e)
{
    int np = 0;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 || strcmp(a, "--") == 0) {
            if (strcmp(a, "--") == 0) {
                for (i++; i < argc; i++) {
                    if (np >= npos)
                        return err_set(e, ERR_INPUT, "unexpected argument '%.80s'", argv[i]);
                    pos[np++] = argv[i];
                }
                break;
            }
            if (np >= npos)
                return err_set(e, ERR_INPUT, "unexpected argument '%.80s'", a);
            pos[np++] = a;
            continue;
        }
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        int done = 0;
        for (int k = 0; flags && flags[k] && !done; k++)
            if (strlen(flags[k]) == nlen && strncmp(flags[k], name, nlen) == 0) {
                if (eq)
                    return err_set(e, ERR_INPUT, "--%s takes no value", flags[k]);
                *flag_dest[k] = 1;
                done = 1;
            }
        for (int k = 0; opts && opts[k].name && !done; k++)
            if (strlen(opts[k].name) == nlen && strncmp(opts[k].name, name, nlen) == 0) {
                if (eq)
                    *opts[k].dest = eq + 1;
                else if (i + 1 < argc)
                    *opts[k].dest = argv[++i];
                else
                    return err_set(e, ERR_INPUT, "--%s needs a value", opts[k].name);
                done = 1;
            }
        if (!done)
            return err_set(e, ERR_INPUT, "unknown option --%.*s", (int)(nlen > 60 ? 60 : nlen),
                           name);
    }
    *npos_out = np;
    return ERR_OK;
}

int cli_fail(const struct err *e)
{
    fprintf(stderr, "tsunagu: %s\n", e->msg[0] ? e->msg : "failed");
    return err_exit_status(e->code);
}
