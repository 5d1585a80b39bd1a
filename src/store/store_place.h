/* SPDX-License-Identifier: MIT */
/* store_place.h - the name of the place a database is for (e.g. 宇部市),
 * shown in the page's title: the `municipality` meta value when one was
 * recorded, else the one municipality the address reference covers, and
 * whether the database is the fictional demo town (meta `demo`).
 *
 * Entry points: store_place_name.
 */
#ifndef TSUNAGU_STORE_PLACE_H
#define TSUNAGU_STORE_PLACE_H

#include "err.h"
#include "store.h"

#include <stddef.h>

#define STORE_PLACE_MAX 128 /* bytes of a place name, with its NUL */

/* Copies the place name into buf (n bytes; "" when the data names none or
 * names several municipalities) and sets *demo to 1 for the demo town, else
 * 0. ERR_IO on a database error (buf is then ""). */
int store_place_name(struct store *s, char *buf, size_t n, int *demo, struct err *e);

#endif
