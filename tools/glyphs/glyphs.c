/* SPDX-License-Identifier: MIT */
/* glyphs.c - tsunagu-glyphs FONT STACK OUTDIR: writes the glyph ranges
 * MapLibre GL JS asks a style's "glyphs" URL for (OUTDIR/STACK/0-255.pbf,
 * 256-511.pbf, ...: every range of 256 code points in which the font has a
 * glyph), run at build time on a Debian font (fonts-ipafont-gothic).
 *
 * Kept tools do the work: FreeType (libfreetype6 2.11 and later) renders
 * each glyph as a signed distance field itself (FT_RENDER_MODE_SDF), and
 * protobuf-c writes the messages of glyphs.proto. What is ours is the glue:
 * the 24-pixel size and 3-pixel border MapLibre expects, and mapping
 * FreeType's distance scale (128 = the outline, 128 / spread per pixel) to
 * MapLibre's (192 = the outline, 255 / 8 per pixel, as node-fontnik and
 * MapLibre's own TinySDF write). Chosen over node-fontnik (a native npm
 * module that must be compiled against Node and fetched) and TinySDF (it
 * needs a browser canvas): FreeType is already on every machine that
 * builds tsunagu (cairo and Pango use it) and works offline.
 *
 * Entry point: main. Exits 0 with the number of ranges written on stdout,
 * 1 with one sentence on stderr. */
#include "glyphs.pb-c.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_MODULE_H

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GLYPHS_SIZE 24       /* pixels per em, MapLibre's glyph size */
#define GLYPHS_BORDER 3      /* pixels of distance field around each glyph */
#define GLYPHS_EDGE 192.0    /* MapLibre's value on the outline */
#define GLYPHS_PER_PX 31.875 /* MapLibre's value change per pixel (255 / 8) */
#define GLYPHS_RANGES 256    /* ranges of the Basic Multilingual Plane */
#define GLYPHS_PATH_MAX 4200

/* Renders code point cp of face into g (bitmap malloc'd into *buf); 0 when
 * the font has no such glyph, -1 on a FreeType error. */
static int glyphs_render(FT_Face face, unsigned cp, Glyphs__Glyph *g, unsigned char **buf)
{
    FT_UInt index = FT_Get_Char_Index(face, cp);
    if (index == 0)
        return 0;
    if (FT_Load_Glyph(face, index, FT_LOAD_NO_HINTING) != 0)
        return -1;
    FT_GlyphSlot s = face->glyph;
    glyphs__glyph__init(g);
    g->id = cp;
    g->advance = (uint32_t)lround(s->advance.x / 64.0);
    *buf = NULL;
    if (s->outline.n_points == 0) /* a space: metrics only */
        return 1;
    if (FT_Render_Glyph(s, FT_RENDER_MODE_SDF) != 0)
        return -1;
    const FT_Bitmap *b = &s->bitmap;
    if (b->width < 2 * GLYPHS_BORDER || b->rows < 2 * GLYPHS_BORDER)
        return 1;
    size_t n = (size_t)b->width * b->rows;
    unsigned char *out = malloc(n);
    if (out == NULL)
        return -1;
    for (unsigned y = 0; y < b->rows; y++)
        for (unsigned x = 0; x < b->width; x++) {
            /* FreeType: 128 on the outline, +-128 at +-spread pixels (inside positive). */
            double px = ((double)b->buffer[y * b->pitch + x] - 128.0) / 128.0 * GLYPHS_BORDER;
            double v = GLYPHS_EDGE + px * GLYPHS_PER_PX;
            out[y * b->width + x] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : lround(v));
        }
    g->has_bitmap = 1;
    g->bitmap.data = out;
    g->bitmap.len = n;
    g->width = b->width - 2 * GLYPHS_BORDER;
    g->height = b->rows - 2 * GLYPHS_BORDER;
    g->left = s->bitmap_left + GLYPHS_BORDER;
    /* MapLibre places a glyph's top at `top` below a line 27.5 px above the
     * baseline's... as its own local glyphs (glyph_manager: glyphTop - 27.5),
     * so glyphs from here and ideographs drawn locally share one baseline. */
    g->top = s->bitmap_top - GLYPHS_BORDER - 27;
    *buf = out;
    return 1;
}

/* Writes range r (code points 256 r .. 256 r + 255) of face; 0 when the
 * font has no glyph there, 1 when written, -1 on failure. */
static int glyphs_range(FT_Face face, const char *stack, const char *dir, unsigned r)
{
    Glyphs__Glyph items[256], *ptrs[256];
    unsigned char *bufs[256];
    size_t n = 0;
    int rc = 0;
    for (unsigned cp = r * 256; cp < r * 256 + 256; cp++) {
        int got = glyphs_render(face, cp, &items[n], &bufs[n]);
        if (got < 0) {
            fprintf(stderr, "tsunagu-glyphs: FreeType cannot render U+%04X\n", cp);
            rc = -1;
            goto done;
        }
        if (got) {
            ptrs[n] = &items[n];
            n++;
        }
    }
    if (n == 0)
        goto done;
    char name[32], path[GLYPHS_PATH_MAX + 40];
    snprintf(name, sizeof name, "%u-%u", r * 256, r * 256 + 255);
    Glyphs__Fontstack fs = GLYPHS__FONTSTACK__INIT;
    fs.name = (char *)stack;
    fs.range = name;
    fs.n_glyphs = n;
    fs.glyphs = ptrs;
    Glyphs__Fontstack *stacks[1] = {&fs};
    Glyphs__Glyphs msg = GLYPHS__GLYPHS__INIT;
    msg.n_stacks = 1;
    msg.stacks = stacks;
    size_t len = glyphs__glyphs__get_packed_size(&msg);
    unsigned char *data = malloc(len ? len : 1);
    if (data == NULL) {
        rc = -1;
        goto done;
    }
    glyphs__glyphs__pack(&msg, data);
    snprintf(path, sizeof path, "%s/%s.pbf", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "tsunagu-glyphs: cannot write %s\n", path);
        rc = -1;
    } else {
        rc = 1;
    }
    free(data);
done:
    for (size_t i = 0; i < n; i++)
        free(bufs[i]);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs("usage: tsunagu-glyphs FONT STACK OUTDIR\n", stderr);
        return 1;
    }
    const char *font = argv[1], *stack = argv[2];
    char dir[GLYPHS_PATH_MAX];
    if (strchr(stack, '/') || stack[0] == '.' ||
        snprintf(dir, sizeof dir, "%s/%s", argv[3], stack) >= (int)sizeof dir) {
        fprintf(stderr, "tsunagu-glyphs: the stack name '%s' cannot be a directory name\n", stack);
        return 1;
    }
    if ((mkdir(argv[3], 0755) != 0 && errno != EEXIST) ||
        (mkdir(dir, 0755) != 0 && errno != EEXIST)) {
        fprintf(stderr, "tsunagu-glyphs: cannot create %s\n", dir);
        return 1;
    }
    FT_Library lib;
    FT_Face face;
    if (FT_Init_FreeType(&lib) != 0) {
        fputs("tsunagu-glyphs: FreeType cannot start\n", stderr);
        return 1;
    }
    FT_Int spread = GLYPHS_BORDER;
    if (FT_Property_Set(lib, "sdf", "spread", &spread) != 0 ||
        FT_New_Face(lib, font, 0, &face) != 0 || FT_Set_Pixel_Sizes(face, 0, GLYPHS_SIZE) != 0) {
        fprintf(stderr,
                "tsunagu-glyphs: %s is not a font FreeType reads (or has no SDF renderer)\n", font);
        FT_Done_FreeType(lib);
        return 1;
    }
    int written = 0, rc = 0;
    for (unsigned r = 0; r < GLYPHS_RANGES && rc >= 0; r++) {
        rc = glyphs_range(face, stack, dir, r);
        written += rc > 0;
    }
    FT_Done_Face(face);
    FT_Done_FreeType(lib);
    if (rc < 0)
        return 1;
    printf("%d glyph ranges of %s written to %s\n", written, font, dir);
    return 0;
}
