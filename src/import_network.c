/* import_network.c - walking-network import (placeholder until the network
 * importer lands: refuses cleanly). */
#include "import.h"

int import_network(struct store *st, const struct import_opts *o, struct import_report *rep,
                   struct err *e)
{
    (void)st;
    (void)rep;
    return err_set(e, ERR_INPUT, "%s: network import is not available yet", o->src.path);
}
