/* SPDX-License-Identifier: MIT */
/* graph_file.c - implements graph_file.h: saving a graph's arrays into one
 * file (graph_file_write: temporary file, then rename) and mapping it back
 * read-only with every check before use (graph_file_map), plus the file's
 * name beside the database (graph_file_path). The only file of the walking
 * engine that does file I/O; graph.c stays in memory. */
#include "graph_file.h"

#include "hash.h"
#include "hugemem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

_Static_assert(sizeof(double) == 8 && sizeof(float) == 4, "IEEE 754 doubles expected");

#if defined(MAP_POPULATE)
#define GF_POPULATE MAP_POPULATE
#elif defined(__linux__)
#define GF_POPULATE 0x8000
#else
#define GF_POPULATE 0
#endif

#define GF_MAGIC "TSNGRAPH"
#define GF_ENDIAN 0x01020304u
#define GF_ALIGN 64u

/* The sections, in file order. */
enum {
    GF_NODE_XY,
    GF_ADJ_OFF,
    GF_ADJ_TO,
    GF_ADJ_EDGE,
    GF_EDGE_UV,
    GF_EDGE_LEN,
    GF_EDGE_FLAGS,
    GF_PT_OFF,
    GF_ANCHOR,
    GF_STEP,
    GF_ESC_AT,
    GF_ESC_D,
    GF_CELL_OFF,
    GF_IDS,
    GF_NSECT
};

/* The header, written as this struct in the machine's own layout; the
 * endian mark, header_bytes and the sizes below refuse another machine's. */
struct graph_file_header {
    char magic[8];
    uint32_t format;       /* GRAPH_FILE_FORMAT */
    uint32_t endian;       /* GF_ENDIAN as written */
    uint32_t header_bytes; /* sizeof(struct graph_file_header) */
    uint32_t nsect;        /* GF_NSECT */
    uint64_t key;          /* the caller's key (the database's network version) */
    uint64_t file_bytes;   /* the whole file */
    uint32_t nnodes, nedges, npts, nesc, grid_nx, grid_ny;
    uint64_t grid_nids;
    double ox, oy, minx, miny, maxx, maxy, grid_x0, grid_y0, grid_cell;
    uint64_t off[GF_NSECT];   /* section offsets */
    uint64_t bytes[GF_NSECT]; /* section sizes */
    uint64_t data_sum;        /* graph_file_sum over the sections */
    uint64_t head_sum;        /* FNV-1a of every byte above */
};

int graph_file_path(const char *db_path, char *buf, size_t n, struct err *e)
{
    int w = snprintf(buf, n, "%s.graph", db_path);
    if (w < 0 || (size_t)w >= n)
        return err_set(e, ERR_LIMIT, "the database path is too long for its graph file");
    return ERR_OK;
}

/* Section sizes implied by the counts of h (bytes). */
static void graph_file_sizes(const struct graph_file_header *h, uint64_t bytes[GF_NSECT])
{
    uint64_t n = h->nnodes, m = h->nedges, steps = h->npts >= m ? h->npts - m : 0;
    bytes[GF_NODE_XY] = 2 * n * sizeof(double);
    bytes[GF_ADJ_OFF] = (n + 1) * sizeof(uint32_t);
    bytes[GF_ADJ_TO] = 2 * m * sizeof(uint32_t);
    bytes[GF_ADJ_EDGE] = 2 * m * sizeof(uint32_t);
    bytes[GF_EDGE_UV] = 2 * m * sizeof(uint32_t);
    bytes[GF_EDGE_LEN] = m * sizeof(double);
    bytes[GF_EDGE_FLAGS] = m;
    bytes[GF_PT_OFF] = (m + 1) * sizeof(uint32_t);
    bytes[GF_ANCHOR] = 2 * m * sizeof(int32_t);
    bytes[GF_STEP] = 2 * steps * sizeof(int16_t);
    bytes[GF_ESC_AT] = (uint64_t)h->nesc * sizeof(uint32_t);
    bytes[GF_ESC_D] = 2 * (uint64_t)h->nesc * sizeof(int32_t);
    bytes[GF_CELL_OFF] = ((uint64_t)h->grid_nx * h->grid_ny + 1) * sizeof(uint32_t);
    bytes[GF_IDS] = h->grid_nids * sizeof(uint32_t);
}

/* Offsets of the sections one after another, each GF_ALIGN-aligned, after
 * the header; returns the file size. */
static uint64_t graph_file_layout(const uint64_t bytes[GF_NSECT], uint64_t off[GF_NSECT])
{
    uint64_t at = sizeof(struct graph_file_header);
    for (int i = 0; i < GF_NSECT; i++) {
        at = (at + GF_ALIGN - 1) / GF_ALIGN * GF_ALIGN;
        off[i] = at;
        at += bytes[i];
    }
    return at;
}

/* Checksum of the data, continuing from h: the structure of xxHash64 (four
 * lanes of 64-bit words, each round acc = rotl(acc + w * P2, 31) * P1, lanes
 * merged and the result avalanched with shifts and multiplies), so a change
 * anywhere reaches every bit. Hand-written because the data is checked at
 * every load and must stay within the 0.5 s load budget at 2M edges (~150
 * MB): libxxhash is not among tsunagu's dependencies, nettle's SHA-256 runs
 * at ~0.4 GB/s and byte-wise FNV-1a (hash.h) at ~1 GB/s, while four
 * independent word lanes run near memory speed. It guards against damage,
 * not tampering (the file sits beside the database, with its permissions). */
#define GF_P1 11400714785074694791ULL
#define GF_P2 14029467366897019727ULL
#define GF_P3 1609587929392839161ULL
#define GF_P5 2870177450012600261ULL

static uint64_t graph_file_rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t graph_file_round(uint64_t acc, uint64_t w)
{
    return graph_file_rotl(acc + w * GF_P2, 31) * GF_P1;
}

static uint64_t graph_file_sum(uint64_t h, const unsigned char *p, uint64_t n)
{
    uint64_t l[4] = {h + GF_P1 + GF_P2, h + GF_P2, h, h - GF_P1};
    uint64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        uint64_t w[4];
        memcpy(w, p + i, sizeof w);
        for (int k = 0; k < 4; k++)
            l[k] = graph_file_round(l[k], w[k]);
    }
    uint64_t s = graph_file_rotl(l[0], 1) + graph_file_rotl(l[1], 7) + graph_file_rotl(l[2], 12) +
                 graph_file_rotl(l[3], 18);
    for (; i < n; i++)
        s = graph_file_rotl(s ^ (p[i] * GF_P5), 11) * GF_P1;
    s ^= n;
    s ^= s >> 33;
    s *= GF_P2;
    s ^= s >> 29;
    s *= GF_P3;
    s ^= s >> 32;
    return s;
}

/* The data checksum of a file image `base`: every byte after the header,
 * the padding before each section included. */
static uint64_t graph_file_data_sum(const struct graph_file_header *h, const unsigned char *base)
{
    uint64_t s = HASH_FNV_SEED, at = sizeof *h;
    for (int i = 0; i < GF_NSECT; i++) {
        s = graph_file_sum(s, base + at, h->off[i] - at);
        s = graph_file_sum(s, base + h->off[i], h->bytes[i]);
        at = h->off[i] + h->bytes[i];
    }
    return s;
}

/* Write all n bytes of p to fd. */
static int graph_file_write_all(int fd, const void *p, size_t n)
{
    const unsigned char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

int graph_file_write(const struct graph *g, const char *path, uint64_t key, struct err *e)
{
    struct graph_parts p;
    graph_parts(g, &p);
    struct graph_file_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, GF_MAGIC, sizeof h.magic);
    h.format = GRAPH_FILE_FORMAT;
    h.endian = GF_ENDIAN;
    h.header_bytes = sizeof h;
    h.nsect = GF_NSECT;
    h.key = key;
    h.nnodes = p.nnodes;
    h.nedges = p.nedges;
    h.npts = p.npts;
    h.nesc = p.nesc;
    h.grid_nx = p.grid_nx;
    h.grid_ny = p.grid_ny;
    h.grid_nids = p.grid_nids;
    h.ox = p.ox;
    h.oy = p.oy;
    h.minx = p.minx;
    h.miny = p.miny;
    h.maxx = p.maxx;
    h.maxy = p.maxy;
    h.grid_x0 = p.grid_x0;
    h.grid_y0 = p.grid_y0;
    h.grid_cell = p.grid_cell;
    graph_file_sizes(&h, h.bytes);
    h.file_bytes = graph_file_layout(h.bytes, h.off);
    const void *data[GF_NSECT] = {[GF_NODE_XY] = p.node_xy,        [GF_ADJ_OFF] = p.adj_off,
                                  [GF_ADJ_TO] = p.adj_to,          [GF_ADJ_EDGE] = p.adj_edge,
                                  [GF_EDGE_UV] = p.edge_uv,        [GF_EDGE_LEN] = p.edge_len,
                                  [GF_EDGE_FLAGS] = p.edge_flags,  [GF_PT_OFF] = p.pt_off,
                                  [GF_ANCHOR] = p.anchor,          [GF_STEP] = p.step,
                                  [GF_ESC_AT] = p.esc_at,          [GF_ESC_D] = p.esc_d,
                                  [GF_CELL_OFF] = p.grid_cell_off, [GF_IDS] = p.grid_ids};
    /* The data checksum over the bytes as they will lie in the file (zero
     * padding, then each section), as graph_file_data_sum reads them. */
    static const unsigned char zeros[GF_ALIGN];
    uint64_t s = HASH_FNV_SEED, at = sizeof h;
    for (int i = 0; i < GF_NSECT; i++) {
        s = graph_file_sum(s, zeros, h.off[i] - at);
        s = graph_file_sum(s, data[i], h.bytes[i]);
        at = h.off[i] + h.bytes[i];
    }
    h.data_sum = s;
    h.head_sum = hash_fnv(HASH_FNV_SEED, &h, offsetof(struct graph_file_header, head_sum));

    /* A fresh temporary name in the same directory (so rename is atomic). */
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 48);
    if (tmp == NULL)
        return err_nomem(e);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(tmp, plen + 48, "%s.tmp.%ld.%ld", path, (long)getpid(), (long)ts.tv_nsec);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        err_set(e, ERR_IO, "cannot create the graph file beside the database: %s", strerror(errno));
        free(tmp);
        return ERR_IO;
    }
    int bad = graph_file_write_all(fd, &h, sizeof h);
    at = sizeof h;
    for (int i = 0; !bad && i < GF_NSECT; i++) {
        if (h.off[i] > at)
            bad = graph_file_write_all(fd, zeros, (size_t)(h.off[i] - at));
        if (!bad && h.bytes[i] > 0)
            bad = graph_file_write_all(fd, data[i], (size_t)h.bytes[i]);
        at = h.off[i] + h.bytes[i];
    }
    /* No fsync: a file torn by a crash fails the size or checksum test at
     * the next load and is rebuilt; the database stays the truth. */
    if (close(fd) != 0)
        bad = 1;
    if (bad || rename(tmp, path) != 0) {
        err_set(e, ERR_IO, "cannot write the graph file beside the database: %s", strerror(errno));
        unlink(tmp);
        free(tmp);
        return ERR_IO;
    }
    free(tmp);
    return ERR_OK;
}

/* The file's image in memory, handed to the graph as its owner. */
struct graph_file_map {
    void *addr;                /* the image */
    size_t len;                /* its length */
    enum graph_file_hold hold; /* mmap'd (GRAPH_FILE_MAPPED) or hugemem_alloc'd */
};

/* Release an image of `len` bytes held as `hold`. */
static void graph_file_release(void *addr, size_t len, enum graph_file_hold hold)
{
    if (hold == GRAPH_FILE_MAPPED)
        munmap(addr, len);
    else
        hugemem_free(addr, len);
}

static void graph_file_unmap(void *owner)
{
    struct graph_file_map *m = owner;
    graph_file_release(m->addr, m->len, m->hold);
    free(m);
}

/* Read all len bytes of fd from offset 0 into p. */
static int graph_file_read_all(int fd, unsigned char *p, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t r = pread(fd, p + got, len - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0)
            errno = 0; /* the file ended early */
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

/* Check the header of a file of `size` bytes. Returns NULL when sound, or
 * what is wrong. */
static const char *graph_file_header_problem(const struct graph_file_header *h, uint64_t size,
                                             uint64_t key)
{
    if (memcmp(h->magic, GF_MAGIC, sizeof h->magic) != 0)
        return "is not a graph file";
    if (h->endian != GF_ENDIAN || h->header_bytes != sizeof *h || h->nsect != GF_NSECT)
        return "was written by another kind of machine";
    if (h->format != GRAPH_FILE_FORMAT)
        return "has another format version";
    if (h->head_sum != hash_fnv(HASH_FNV_SEED, h, offsetof(struct graph_file_header, head_sum)))
        return "has a damaged header";
    if (h->key != key)
        return "is stale (the network changed, or it belongs to another database)";
    if (h->file_bytes != size)
        return "is truncated or padded";
    /* Counts bounded before any size is computed from them. */
    if (h->nnodes > GRAPH_MAX_NODES || h->nedges > GRAPH_MAX_EDGES || h->npts > GRAPH_MAX_POINTS ||
        h->npts < 2 * (uint64_t)h->nedges || h->nesc > h->npts || h->grid_nx == 0 ||
        h->grid_ny == 0 || (uint64_t)h->grid_nx * h->grid_ny > 5 * (uint64_t)h->nedges + 38 ||
        h->grid_nids > UINT32_MAX)
        return "has impossible counts";
    uint64_t bytes[GF_NSECT], off[GF_NSECT];
    graph_file_sizes(h, bytes);
    if (graph_file_layout(bytes, off) != size)
        return "has sections that do not fit its size";
    for (int i = 0; i < GF_NSECT; i++)
        if (h->bytes[i] != bytes[i] || h->off[i] != off[i])
            return "has a damaged section table";
    return NULL;
}

/* The len bytes of the open file fd, held as `hold`, or NULL with `e` set. */
static void *graph_file_take(int fd, size_t len, enum graph_file_hold hold, struct err *e)
{
    if (hold == GRAPH_FILE_MAPPED) {
        /* MAP_POPULATE (Linux; hidden by _POSIX_C_SOURCE, hence the number
         * from <linux/mman.h> when absent): every page is read by the
         * checks anyway; one call maps them all instead of a fault per page. */
        void *addr = mmap(NULL, len, PROT_READ, MAP_PRIVATE | GF_POPULATE, fd, 0);
        if (addr == MAP_FAILED) {
            err_set(e, ERR_IO, "cannot map the graph file: %s", strerror(errno));
            return NULL;
        }
        return addr;
    }
    /* Read, not mapped: a file mapping has 4 KiB pages (hugemem.h says
     * what that costs a query). Every byte is read by the checksum
     * anyway; the kernel zeroes the huge pages and copies the file in. */
    void *addr = hugemem_alloc(len);
    if (addr == NULL) {
        err_nomem(e);
        return NULL;
    }
    if (graph_file_read_all(fd, addr, len) != 0) {
        int errnum = errno;
        hugemem_free(addr, len);
        err_set(e, ERR_IO, "cannot read the graph file: %s",
                errnum ? strerror(errnum) : "it ended early");
        return NULL;
    }
    hugemem_seal(addr, len);
    return addr;
}

struct graph *graph_file_map(const char *path, uint64_t key, enum graph_file_hold hold,
                             struct err *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            err_set(e, ERR_NOTFOUND, "there is no graph file");
        else
            err_set(e, ERR_IO, "cannot open the graph file: %s", strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        err_set(e, ERR_IO, "cannot read the graph file");
        return NULL;
    }
    if ((uint64_t)sb.st_size < sizeof(struct graph_file_header) ||
        (uint64_t)sb.st_size > SIZE_MAX) {
        close(fd);
        err_set(e, ERR_INPUT, "the graph file is truncated");
        return NULL;
    }
    size_t len = (size_t)sb.st_size;
    void *addr = graph_file_take(fd, len, hold, e);
    close(fd);
    if (addr == NULL)
        return NULL;
    const unsigned char *base = addr;
    struct graph_file_header h;
    memcpy(&h, base, sizeof h);
    const char *why = graph_file_header_problem(&h, (uint64_t)len, key);
    if (why == NULL && graph_file_data_sum(&h, base) != h.data_sum)
        why = "fails its checksum";
    struct graph_file_map *m = NULL;
    if (why != NULL) {
        err_set(e, ERR_INPUT, "the graph file %s", why);
        goto fail;
    }
    m = malloc(sizeof *m);
    if (m == NULL) {
        err_nomem(e);
        goto fail;
    }
    m->addr = addr;
    m->len = len;
    m->hold = hold;
    struct graph_parts p = {
        .nnodes = h.nnodes,
        .nedges = h.nedges,
        .npts = h.npts,
        .nesc = h.nesc,
        .ox = h.ox,
        .oy = h.oy,
        .minx = h.minx,
        .miny = h.miny,
        .maxx = h.maxx,
        .maxy = h.maxy,
        .node_xy = (const double *)(base + h.off[GF_NODE_XY]),
        .adj_off = (const uint32_t *)(base + h.off[GF_ADJ_OFF]),
        .adj_to = (const uint32_t *)(base + h.off[GF_ADJ_TO]),
        .adj_edge = (const uint32_t *)(base + h.off[GF_ADJ_EDGE]),
        .edge_uv = (const uint32_t *)(base + h.off[GF_EDGE_UV]),
        .edge_len = (const double *)(base + h.off[GF_EDGE_LEN]),
        .edge_flags = base + h.off[GF_EDGE_FLAGS],
        .pt_off = (const uint32_t *)(base + h.off[GF_PT_OFF]),
        .anchor = (const int32_t *)(base + h.off[GF_ANCHOR]),
        .step = (const int16_t *)(base + h.off[GF_STEP]),
        .esc_at = (const uint32_t *)(base + h.off[GF_ESC_AT]),
        .esc_d = (const int32_t *)(base + h.off[GF_ESC_D]),
        .grid_x0 = h.grid_x0,
        .grid_y0 = h.grid_y0,
        .grid_cell = h.grid_cell,
        .grid_nx = h.grid_nx,
        .grid_ny = h.grid_ny,
        .grid_cell_off = (const uint32_t *)(base + h.off[GF_CELL_OFF]),
        .grid_ids = (const uint32_t *)(base + h.off[GF_IDS]),
        .grid_nids = h.grid_nids,
    };
    struct graph *g = graph_from_parts(&p, graph_file_unmap, m, e);
    if (g == NULL) {
        if (e->code == ERR_INPUT)
            err_set(e, ERR_INPUT, "the graph file is inconsistent");
        goto fail;
    }
    return g;
fail:
    free(m);
    graph_file_release(addr, len, hold);
    return NULL;
}
