/* SPDX-License-Identifier: MIT */
/* demogen.c - deterministic generator of the fictional demo town 架空市つなぐ町.
 *
 * Builds the town in a local metric frame (metres east and north of
 * DEMOGEN_ORIGIN_LON/LAT), then writes it as lon/lat GeoJSON (always through
 * jansson), a CSV of synthetic households and a README, into one directory.
 *
 * Entry point: demogen_write(). Everything else is static, one function per
 * layer of the town, called in this order by demogen_build():
 *   demogen_lay_lattice     town outline and the lattice districts follow
 *   demogen_lay_areas       census small areas (町丁) and their population
 *   demogen_lay_grid        jittered street grid with its road classes
 *   demogen_cut_river       a river across the town, crossed by three bridges
 *   demogen_carve_park      a hill park with footpaths and steps
 *   demogen_carve_farm      farmland without streets in the south-east
 *   demogen_lay_old_road    a diagonal old highway
 *   demogen_add_dead_ends   cul-de-sacs
 *   demogen_thin_streets    random closures that keep the network connected
 *   demogen_keep_main       drops pieces the carving cut off
 *   demogen_add_island      footpaths on a river island, deliberately unconnected
 *   demogen_bend_streets    intermediate vertices on some streets
 *   demogen_place_resources, demogen_place_households, demogen_place_candidates
 * and one writer per file (demogen_write_network ... demogen_write_readme).
 *
 * Determinism: the only randomness is the hand-written splitmix64 below with
 * fixed seeds, one stream per layer; the geometry uses + - * / and sqrt only
 * (all correctly rounded in IEEE 754), never sin/cos, whose last bit differs
 * between C libraries; metres per degree are fixed literals. Coordinates are
 * rounded to integer units of 1e-7 degree before they are written.
 */
#include "demogen.h"

#include "vec.h"

#include <assert.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/* A fused multiply-add rounds once instead of twice and would change the
 * town's last bits; GCC in ISO C mode never contracts, clang must be told. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

const char *const demogen_file_names[DEMOGEN_NFILES] = {
    "town_network.geojson",
    "town_districts_elementary.geojson",
    "town_districts_junior_high.geojson",
    "town_resources.geojson",
    "town_households.csv",
    "town_population.geojson",
    "town_candidates.geojson",
    "README.md",
};

enum demogen_file {
    DEMOGEN_F_NETWORK,
    DEMOGEN_F_ELEMENTARY,
    DEMOGEN_F_JUNIOR,
    DEMOGEN_F_RESOURCES,
    DEMOGEN_F_HOUSEHOLDS,
    DEMOGEN_F_POPULATION,
    DEMOGEN_F_CANDIDATES,
    DEMOGEN_F_README
};

/* Metres per degree around the origin: 6371008.8 m (mean Earth radius) times
 * pi/180, and that times cos(34.95 deg). Literals, so no libm call is needed. */
#define DEMOGEN_M_PER_DEG_LAT 111195.08023353292
#define DEMOGEN_M_PER_DEG_LON 91141.3001688542
#define DEMOGEN_ORIGIN_LON_E7 1369500000LL
#define DEMOGEN_ORIGIN_LAT_E7 349500000LL

#define DEMOGEN_SEED 0x7473756E61677521ULL /* "tsunagu!" */

/* Street grid: DEMOGEN_GX x DEMOGEN_GY crossings, DEMOGEN_STEP metres apart,
 * from (DEMOGEN_X0, DEMOGEN_Y0). */
#define DEMOGEN_GX 41
#define DEMOGEN_GY 31
#define DEMOGEN_STEP 100.0
#define DEMOGEN_X0 (-2000.0)
#define DEMOGEN_Y0 (-1500.0)
#define DEMOGEN_JITTER 10.0

/* District lattice: DEMOGEN_LX x DEMOGEN_LY cells over the same 4 km x 3 km. */
#define DEMOGEN_LX 12
#define DEMOGEN_LY 9
#define DEMOGEN_RING_MAX (2 * (DEMOGEN_LX + DEMOGEN_LY) + 1)
#define DEMOGEN_AREA_MAX 40

#define DEMOGEN_MAX_VIA 2

/* Hill park: centre, radius cleared of streets, radius of its loop path. */
#define DEMOGEN_PARK_X 1150.0
#define DEMOGEN_PARK_Y 1000.0
#define DEMOGEN_PARK_R 380.0
#define DEMOGEN_PARK_LOOP 250.0

/* Farmland: no street crossing lies east of FARM_X and south of FARM_Y. */
#define DEMOGEN_FARM_X 950.0
#define DEMOGEN_FARM_Y (-650.0)

/* Households placed along streets, plus the off-network farm households. */
#define DEMOGEN_NSTREET_HOUSEHOLDS 347
#define DEMOGEN_NFARM_HOUSEHOLDS 3
#define DEMOGEN_NHOUSEHOLDS (DEMOGEN_NSTREET_HOUSEHOLDS + DEMOGEN_NFARM_HOUSEHOLDS)
#define DEMOGEN_PLACE_TRIES 100000

#define DEMOGEN_PATH_MAX (DEMOGEN_DIR_MAX + 64)

/* ---------------------------------------------------------------- PRNG */

/* splitmix64 (Steele, Lea and Flood, 2014). Hand-written rather than libc
 * rand(): rand()'s algorithm and RAND_MAX differ between C libraries, so the
 * same seed would build a different town on another platform. */
struct demogen_rng {
    uint64_t s; /* state; any value is valid */
};

static void demogen_rng_init(struct demogen_rng *r, uint64_t stream)
{
    r->s = DEMOGEN_SEED ^ (stream * 0xD1B54A32D192ED03ULL);
}

static uint64_t demogen_rng_next(struct demogen_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1), exact: 53 random bits scaled by a power of two. */
static double demogen_rng_unit(struct demogen_rng *r)
{
    return (double)(demogen_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static double demogen_rng_range(struct demogen_rng *r, double lo, double hi)
{
    double u = demogen_rng_unit(r);
    return lo + (hi - lo) * u;
}

/* Uniform integer in [0, n), n > 0 (modulo bias is irrelevant here). */
static int demogen_rng_int(struct demogen_rng *r, int n)
{
    return (int)(demogen_rng_next(r) % (uint64_t)n);
}

/* ---------------------------------------------------------------- geometry */

struct demogen_pt {
    double x; /* metres east of the origin */
    double y; /* metres north of the origin */
};

static struct demogen_pt demogen_pt(double x, double y)
{
    struct demogen_pt p = {x, y};
    return p;
}

static double demogen_dist(struct demogen_pt a, struct demogen_pt b)
{
    double dx = a.x - b.x;
    double dy = a.y - b.y;
    return sqrt(dx * dx + dy * dy);
}

/* Piecewise-linear function through (xs[k], ys[k]), constant beyond the ends. */
static double demogen_interp(const double *xs, const double *ys, size_t n, double x)
{
    if (x <= xs[0])
        return ys[0];
    for (size_t k = 1; k < n; k++) {
        if (x <= xs[k]) {
            double t = (x - xs[k - 1]) / (xs[k] - xs[k - 1]);
            return ys[k - 1] + (ys[k] - ys[k - 1]) * t;
        }
    }
    return ys[n - 1];
}

/* The river runs west to east; it widens around x = -900 for an island. */
static const double demogen_river_xs[] = {-2200, -1200, -900, -400, 300, 1000, 2200};
static const double demogen_river_ys[] = {150, 300, 250, 100, 250, 350, 200};
static const double demogen_river_wxs[] = {-2200, -1150, -1000, -800, -650, 2200};
static const double demogen_river_hws[] = {25, 25, 100, 100, 25, 25};

static double demogen_river_y(double x)
{
    return demogen_interp(demogen_river_xs, demogen_river_ys,
                          sizeof demogen_river_xs / sizeof demogen_river_xs[0], x);
}

/* True when p is within the river band widened by margin metres. */
static int demogen_in_river(struct demogen_pt p, double margin)
{
    double hw = demogen_interp(demogen_river_wxs, demogen_river_hws,
                               sizeof demogen_river_wxs / sizeof demogen_river_wxs[0], p.x);
    return fabs(p.y - demogen_river_y(p.x)) < hw + margin;
}

static int demogen_in_park(struct demogen_pt p, double margin)
{
    return demogen_dist(p, demogen_pt(DEMOGEN_PARK_X, DEMOGEN_PARK_Y)) < DEMOGEN_PARK_R + margin;
}

static int demogen_in_farm(struct demogen_pt p)
{
    return p.x > DEMOGEN_FARM_X && p.y < DEMOGEN_FARM_Y;
}

/* Ray-casting point-in-polygon test on a closed ring of n points. */
static int demogen_in_ring(struct demogen_pt p, const struct demogen_pt *ring, size_t n)
{
    int in = 0;
    for (size_t k = 0, l = n - 1; k < n; l = k++) {
        if ((ring[k].y > p.y) != (ring[l].y > p.y)) {
            double xc =
                ring[l].x + (p.y - ring[l].y) * (ring[k].x - ring[l].x) / (ring[k].y - ring[l].y);
            if (p.x < xc)
                in = !in;
        }
    }
    return in;
}

/* Unit vectors at multiples of 15 degrees, as literals (see the file header). */
static const double demogen_unit24[24][2] = {
    {1, 0},
    {0.9659258, 0.2588190},
    {0.8660254, 0.5},
    {0.7071068, 0.7071068},
    {0.5, 0.8660254},
    {0.2588190, 0.9659258},
    {0, 1},
    {-0.2588190, 0.9659258},
    {-0.5, 0.8660254},
    {-0.7071068, 0.7071068},
    {-0.8660254, 0.5},
    {-0.9659258, 0.2588190},
    {-1, 0},
    {-0.9659258, -0.2588190},
    {-0.8660254, -0.5},
    {-0.7071068, -0.7071068},
    {-0.5, -0.8660254},
    {-0.2588190, -0.9659258},
    {0, -1},
    {0.2588190, -0.9659258},
    {0.5, -0.8660254},
    {0.7071068, -0.7071068},
    {0.8660254, -0.5},
    {0.9659258, -0.2588190},
};

/* Local metres to integer units of 1e-7 degree. */
static void demogen_to_e7(struct demogen_pt p, long long *lon7, long long *lat7)
{
    *lon7 = DEMOGEN_ORIGIN_LON_E7 + llround(p.x * 1e7 / DEMOGEN_M_PER_DEG_LON);
    *lat7 = DEMOGEN_ORIGIN_LAT_E7 + llround(p.y * 1e7 / DEMOGEN_M_PER_DEG_LAT);
}

/* ---------------------------------------------------------------- the town */

/* Which layer made an edge; decides what later layers may do to it. */
enum demogen_origin {
    DEMOGEN_O_GRID,
    DEMOGEN_O_BRIDGE,
    DEMOGEN_O_PARK,
    DEMOGEN_O_OLD_ROAD,
    DEMOGEN_O_DEAD_END,
    DEMOGEN_O_ISLAND
};

struct demogen_node {
    struct demogen_pt p; /* position */
    int alive;           /* 0 once carved away */
};

struct demogen_edge {
    int a, b;                               /* end nodes, indices into town.node */
    int nvia;                               /* vertices used in via[] */
    struct demogen_pt via[DEMOGEN_MAX_VIA]; /* vertices between a and b, in order */
    const char *highway;                    /* OSM highway value, static */
    const char *name;                       /* street name, static, or NULL */
    enum demogen_origin origin;             /* layer that made the edge */
    int alive;                              /* 0 once removed */
};

/* A school district: a block [i0,i1) x [j0,j1) of lattice cells. */
struct demogen_district {
    const char *code;      /* "E01" */
    const char *name;      /* district name */
    const char *school;    /* school name */
    const char *area_base; /* census-area name stem; NULL for junior-high */
    int i0, j0, i1, j1;    /* lattice cell block */
    int density;           /* relative residents per cell */
};

/* Census small area (町丁): a block of lattice cells inside one district. */
struct demogen_area {
    int i0, j0, i1, j1;  /* lattice cell block */
    char code[8];        /* "T01" */
    char name[64];       /* "つなぐ町一丁目" */
    long residents;      /* people */
    long households;     /* households */
    size_t district;     /* index into demogen_elementary */
    long aged65;         /* census-style indicators (invented): 65歳以上人口 */
    long aged75;         /* 75歳以上人口 */
    long single_elderly; /* 高齢単身世帯 */
    long children;       /* 0〜14歳人口 */
    long single_mother;  /* 母子世帯 */
};

struct demogen_household {
    struct demogen_pt p; /* position */
    int members;         /* 1..6 */
    const char *needs;   /* ";"-separated need tags, static */
    int consent;         /* 1 when the household agreed to sharing */
    const char *agency;  /* agency code, static */
    int off_network;     /* 1 for the farm households far from any street */
};

struct demogen_resource_spec {
    const char *name;     /* facility name */
    const char *kind;     /* resource kind */
    const char *fields;   /* statutory fields, ";"-separated, or "all" */
    const char *hub_type; /* basic|integrated|community for hubs, else NULL */
    const char *schedule; /* OSM opening_hours */
    const char *operator_name;
    const char *target; /* target group */
    double x, y;        /* wished location; snapped next to a street */
};

struct demogen_candidate_spec {
    const char *name;      /* site name */
    const char *kind_hint; /* resource kind the site suits */
    double x, y;           /* wished location; snapped next to a street */
};

static const struct demogen_district demogen_elementary[] = {
    {"E01", "つなぐ北小学校区", "架空市立つなぐ北小学校", "北つなぐ", 0, 6, 6, 9, 90},
    {"E02", "つなぐ中央小学校区", "架空市立つなぐ中央小学校", "つなぐ町", 0, 3, 6, 6, 130},
    {"E03", "つなぐ南小学校区", "架空市立つなぐ南小学校", "南つなぐ", 0, 0, 6, 3, 100},
    {"E04", "つなぐ川辺小学校区", "架空市立つなぐ川辺小学校", "川辺町", 6, 0, 9, 9, 110},
    {"E05", "つなぐ丘小学校区", "架空市立つなぐ丘小学校", "丘の上", 9, 4, 12, 9, 80},
    {"E06", "つなぐ東小学校区", "架空市立つなぐ東小学校", "東田町", 9, 0, 12, 4, 35},
};
#define DEMOGEN_NELEMENTARY (sizeof demogen_elementary / sizeof demogen_elementary[0])

static const struct demogen_district demogen_junior[] = {
    {"J01", "つなぐ西中学校区", "架空市立つなぐ西中学校", NULL, 0, 0, 6, 9, 0},
    {"J02", "つなぐ東中学校区", "架空市立つなぐ東中学校", NULL, 6, 0, 12, 9, 0},
};
#define DEMOGEN_NJUNIOR (sizeof demogen_junior / sizeof demogen_junior[0])

/* Consultation desks sit south and west; the north-east of E05 is left
 * without one within 30 minutes' walk on purpose, so coverage gaps show. */
static const struct demogen_resource_spec demogen_resources[] = {
    {"架空市総合相談窓口「つなぐ相談ステーション」", "consultation", "all", NULL,
     "Mo-Fr 08:30-17:15", "架空市", "どなたでも（分野を問わない相談）", -150, -520},
    {"架空市自立相談支援機関「くらしサポートつなぐ」", "consultation", "hardship", NULL,
     "Mo-Fr 08:30-17:15", "架空市社会福祉協議会", "生活や仕事に困りごとのある方", -250, -430},
    {"架空市子育て世代包括支援センター「はぐくみ」", "consultation", "children", NULL,
     "Mo-Fr 08:30-17:15; Sa 09:00-12:00", "架空市", "妊産婦と子育て家庭", -50, -650},
    {"地域包括支援センターつなぐ西", "consultation", "elderly", NULL, "Mo-Fr 08:30-17:15",
     "社会福祉法人つなぐ福祉会", "65歳以上の方とその家族", -1300, -500},
    {"地域包括支援センターつなぐ東", "consultation", "elderly", NULL, "Mo-Fr 08:30-17:15",
     "医療法人つなぐ会", "65歳以上の方とその家族", 500, -700},
    {"障害者相談支援事業所さくらんぼ", "consultation", "disability", NULL, "Mo-Fr 09:00-17:00",
     "NPO法人さくらんぼ", "障害のある方とその家族", -650, -150},
    {"架空市基幹相談支援センター", "consultation", "disability", NULL, "Mo-Fr 08:30-17:15",
     "架空市", "障害のある方、支援者", -350, -700},
    {"北つなぐなんでも相談窓口", "consultation", "all", NULL, "We,Sa 10:00-15:00",
     "北つなぐ地区社会福祉協議会", "どなたでも", -1500, 1100},
    {"まちの保健室つなぐ北", "health_room", "all", NULL, "Tu,Th 10:00-15:00", "架空市看護協会",
     "どなたでも（健康相談）", -700, 800},
    {"まちの保健室みなみ", "health_room", "all", NULL, "We 13:00-16:00", "つなぐ南薬局",
     "どなたでも（健康相談）", -1000, -1100},
    {"高齢者の居場所ひだまり", "hub", "elderly", "basic", "Mo-Fr 10:00-16:00",
     "社会福祉法人つなぐ福祉会", "高齢の方", -1500, -800},
    {"つなぐリビングルーム", "hub", "elderly;disability;children", "integrated",
     "Mo-Sa 10:00-18:00", "NPO法人まちのえんがわ", "年齢や障害の有無を問わずどなたでも", 200, -300},
    {"みんなの家えんがわ", "hub", "all", "community", "Tu,Th,Sa 10:00-16:00", "川辺町自治会",
     "地域のどなたでも", -800, 600},
    {"丘の上ささえあいハウス", "hub", "all", "community", "Mo,We,Fr 10:00-15:00",
     "丘の上団地自治会", "団地と周辺のどなたでも", 1600, 1200},
    {"地域活動支援センターふらっと", "hub", "disability", "basic", "Mo-Fr 10:00-17:00",
     "NPO法人さくらんぼ", "障害のある方", -400, 450},
    {"いきいきサロン北つなぐ", "salon", "elderly", NULL, "We[2,4] 13:30-15:30",
     "北つなぐ地区社会福祉協議会", "おおむね65歳以上の方", -1600, 1300},
    {"川辺ふれあいサロン", "salon", "elderly", NULL, "Mo[1] 10:00-12:00", "川辺町自治会",
     "おおむね65歳以上の方", -1300, 650},
    {"つなぐ町三丁目サロン", "salon", "elderly", NULL, "Th[1,3] 10:00-11:30",
     "つなぐ町三丁目自治会", "地域の高齢の方", 300, -900},
    {"南つなぐふれあいサロン", "salon", "elderly", NULL, "Tu[2] 13:30-15:30",
     "南つなぐ校区福祉委員会", "地域の高齢の方", -900, -1300},
    {"東田ふれあいサロン", "salon", "elderly", NULL, "Fr[2] 10:00-12:00", "東田町自治会",
     "地域の高齢の方", 1400, -50},
    {"子育てサロンぴよぴよ", "salon", "children", NULL, "Th 10:00-12:00", "主任児童委員会",
     "未就園児と保護者", -300, 900},
    {"ふれあいサロンにじいろ", "salon", "disability", NULL, "Sa[1] 13:00-15:00", "障害者団体連絡会",
     "障害のある方と家族", -700, -900},
    {"つなぐ子ども食堂", "cafeteria", "children;hardship", NULL, "Fr[1,3] 17:00-19:30",
     "NPO法人まちのえんがわ", "子どもと保護者（どなたでも）", -450, -250},
    {"北つなぐみんなの食堂", "cafeteria", "all", NULL, "Sa[2] 11:30-14:00",
     "北つなぐ地区社会福祉協議会", "地域のどなたでも", -900, 1200},
    {"川辺こども食堂", "cafeteria", "children", NULL, "Sa[1,3] 11:30-13:30",
     "ボランティアグループかわべ", "小中学生と保護者", -1700, -200},
    {"東つなぐ子ども食堂", "cafeteria", "children;hardship", NULL, "We[2,4] 17:00-19:00",
     "東つなぐ地区社会福祉協議会", "子どもと保護者", 700, -200},
    {"つなぐ中央公民館", "gathering_place", "all", NULL, "Tu-Su 09:00-21:00", "架空市",
     "どなたでも", -500, -600},
    {"北つなぐ集会所（通いの場）", "gathering_place", "elderly", NULL, "Mo 10:00-11:30",
     "北つなぐ自治会", "体操に参加したい高齢の方", -1200, 1300},
    {"川辺町集会所（通いの場）", "gathering_place", "elderly", NULL, "Th 10:00-11:30",
     "川辺町自治会", "体操に参加したい高齢の方", -1700, 450},
    {"南つなぐいきいき体操の会", "gathering_place", "elderly", NULL, "We 09:30-11:00",
     "南つなぐ自治会", "体操に参加したい高齢の方", -1400, -1200},
    {"東つなぐ自治会館", "gathering_place", "all", NULL, "Sa 09:00-17:00", "東つなぐ自治会",
     "地域のどなたでも", 800, 600},
    {"丘の上集会所", "gathering_place", "all", NULL, "Tu[2,4] 13:00-16:00", "丘の上団地自治会",
     "団地のどなたでも", 1450, 1400},
    {"学習支援教室まなびば", "learning_support", "children;hardship", NULL, "Tu,Fr 17:00-19:00",
     "架空市社会福祉協議会", "生活に困りごとのある家庭の小中学生", -200, -100},
    {"北つなぐ寺子屋", "learning_support", "children", NULL, "Sa 09:30-11:30",
     "北つなぐ地区社会福祉協議会", "小学生", -500, 1100},
    {"東つなぐ学習会", "learning_support", "children;hardship", NULL, "We 17:30-19:30",
     "NPO法人まちのえんがわ", "中学生", 600, -1000},
    {"就労体験つなぐファーム", "work_support", "disability;hardship", NULL, "Mo,We,Fr 10:00-15:00",
     "合同会社つなぐ農園", "就労に不安のある方", 850, -750},
    {"就労準備支援はたらくラボ", "work_support", "hardship", NULL, "Mo-Fr 10:00-16:00",
     "架空市社会福祉協議会", "ひきこもり経験のある方、仕事を探している方", -300, -400},
    {"カフェ就労体験ひなた", "work_support", "disability;hardship", NULL, "Tu-Sa 10:00-16:00",
     "NPO法人ひなた", "働く練習をしたい方", -800, -350},
    {"特別養護老人ホームつなぐ苑", "welfare_facility", "elderly", NULL, "24/7",
     "社会福祉法人つなぐ福祉会", "要介護の高齢の方", -1800, -1300},
    {"障害者支援施設みどり園", "welfare_facility", "disability", NULL, "24/7",
     "社会福祉法人みどり会", "障害のある方", 1600, -550},
    {"就労継続支援B型ひまわり", "welfare_facility", "disability", NULL, "Mo-Fr 09:00-16:00",
     "NPO法人ひまわり", "障害のある方", -1000, -700},
    {"つなぐ保育園", "welfare_facility", "children", NULL, "Mo-Sa 07:00-19:00",
     "社会福祉法人つなぐ福祉会", "乳幼児", -100, -900},
    {"デイサービス丘の上", "welfare_facility", "elderly", NULL, "Mo-Sa 08:30-17:30",
     "医療法人つなぐ会", "要支援・要介護の高齢の方", 1200, 450},
    {"オレンジカフェつなぐ", "dementia_cafe", "elderly", NULL, "Tu[3] 13:30-15:30",
     "地域包括支援センターつなぐ西", "認知症の方と家族、地域の方", -600, -450},
    {"認知症カフェかわべ", "dementia_cafe", "elderly", NULL, "Sa[4] 10:00-12:00", "川辺町自治会",
     "認知症の方と家族、地域の方", -1100, 500},
    {"オレンジカフェ丘", "dementia_cafe", "elderly", NULL, "Th[2] 13:30-15:30",
     "地域包括支援センターつなぐ東", "認知症の方と家族、地域の方", 1700, 600},
};
#define DEMOGEN_NRESOURCES (sizeof demogen_resources / sizeof demogen_resources[0])

static const struct demogen_candidate_spec demogen_candidates[] = {
    {"架空市立つなぐ北小学校", "learning_support", -1000, 1000},
    {"架空市立つなぐ中央小学校", "cafeteria", -1300, -200},
    {"架空市立つなぐ南小学校", "learning_support", -1000, -1000},
    {"架空市立つなぐ川辺小学校", "cafeteria", 450, -150},
    {"架空市立つなぐ丘小学校", "learning_support", 1600, 600},
    {"架空市立つなぐ東小学校", "salon", 1500, -400},
    {"架空市立つなぐ西中学校", "learning_support", -600, 350},
    {"架空市立つなぐ東中学校", "learning_support", 1300, 500},
    {"丘の上コミュニティセンター", "consultation", 1700, 1150},
    {"市営丘の上団地集会所", "salon", 1500, 1350},
    {"つなぐ駅前市民プラザ", "consultation", -300, -350},
    {"北つなぐ地区センター", "hub", -1400, 900},
    {"東田農村環境改善センター", "gathering_place", 1300, -400},
    {"川辺町防災センター", "gathering_place", -1700, 0},
    {"旧つなぐ保育所跡地", "hub", 800, 650},
};
#define DEMOGEN_NCANDIDATES (sizeof demogen_candidates / sizeof demogen_candidates[0])

enum demogen_agency_rule {
    DEMOGEN_AG_ELDER,
    DEMOGEN_AG_DISAB,
    DEMOGEN_AG_CHILD,
    DEMOGEN_AG_SHAKYO
};

/* Plausible need combinations of at-risk households. */
struct demogen_profile {
    const char *needs; /* ";"-separated need tags */
    int min_members;   /* household size range */
    int max_members;
    int weight;                      /* relative frequency */
    enum demogen_agency_rule agency; /* which agency usually knows the household */
    int consent_pct;                 /* chance of consent to sharing, percent */
};

static const struct demogen_profile demogen_profiles[] = {
    {"高齢独居", 1, 1, 14, DEMOGEN_AG_ELDER, 80},
    {"高齢独居;認知症", 1, 1, 8, DEMOGEN_AG_ELDER, 70},
    {"高齢独居;孤立", 1, 1, 8, DEMOGEN_AG_ELDER, 60},
    {"高齢独居;ごみ屋敷;孤立", 1, 1, 3, DEMOGEN_AG_ELDER, 40},
    {"要介護;認知症", 2, 2, 8, DEMOGEN_AG_ELDER, 85},
    {"要介護;ダブルケア", 4, 6, 4, DEMOGEN_AG_ELDER, 80},
    {"要介護;ヤングケアラー", 3, 5, 3, DEMOGEN_AG_CHILD, 60},
    {"8050;ひきこもり", 2, 3, 7, DEMOGEN_AG_ELDER, 60},
    {"8050;ひきこもり;生活困窮", 2, 3, 4, DEMOGEN_AG_SHAKYO, 55},
    {"障害", 1, 4, 6, DEMOGEN_AG_DISAB, 85},
    {"障害;生活困窮", 1, 3, 4, DEMOGEN_AG_DISAB, 75},
    {"障害;ヤングケアラー", 3, 5, 2, DEMOGEN_AG_CHILD, 60},
    {"生活困窮", 1, 4, 7, DEMOGEN_AG_SHAKYO, 75},
    {"生活困窮;不登校", 2, 4, 4, DEMOGEN_AG_CHILD, 65},
    {"不登校;ひきこもり", 3, 4, 3, DEMOGEN_AG_CHILD, 60},
    {"外国籍;孤立", 2, 5, 3, DEMOGEN_AG_SHAKYO, 70},
    {"外国籍;生活困窮", 3, 6, 3, DEMOGEN_AG_SHAKYO, 70},
    {"虐待の疑い;生活困窮", 3, 5, 2, DEMOGEN_AG_CHILD, 30},
    {"DV", 2, 4, 2, DEMOGEN_AG_CHILD, 35},
    {"DV;生活困窮", 2, 4, 2, DEMOGEN_AG_SHAKYO, 35},
    {"孤立;ごみ屋敷", 1, 2, 2, DEMOGEN_AG_SHAKYO, 40},
};
#define DEMOGEN_NPROFILES (sizeof demogen_profiles / sizeof demogen_profiles[0])

/* The farm households, deliberately more than 500 m from any street. */
static const struct demogen_household demogen_farm_households[DEMOGEN_NFARM_HOUSEHOLDS] = {
    {{1500, -1250}, 1, "高齢独居;孤立", 1, "包括B", 1},
    {{1650, -1320}, 2, "8050;ひきこもり", 1, "包括B", 1},
    {{1780, -1400}, 5, "要介護;ダブルケア", 0, "包括B", 1},
};

struct demogen_town {
    struct demogen_node *node; /* all nodes ever made, alive or not */
    size_t nnode, capnode;
    struct demogen_edge *edge; /* all edges ever made, alive or not */
    size_t nedge, capedge;
    int grid[DEMOGEN_GX][DEMOGEN_GY];                          /* node of each grid crossing */
    struct demogen_pt lattice[DEMOGEN_LX + 1][DEMOGEN_LY + 1]; /* district lattice */
    struct demogen_area area[DEMOGEN_AREA_MAX];                /* census small areas */
    size_t narea;
    struct demogen_pt res_at[DEMOGEN_NRESOURCES];   /* placed resources */
    char res_address[DEMOGEN_NRESOURCES][128];      /* their addresses */
    struct demogen_pt cand_at[DEMOGEN_NCANDIDATES]; /* placed candidate sites */
    struct demogen_household hh[DEMOGEN_NHOUSEHOLDS];
    size_t nhh;
};

static void demogen_town_free(struct demogen_town *t)
{
    if (t == NULL)
        return;
    free(t->node);
    free(t->edge);
    free(t);
}

/* Append a node; returns its index, or -1 with ERR_NOMEM recorded. */
static int demogen_add_node(struct demogen_town *t, struct demogen_pt p, struct err *e)
{
    if (vec_reserve((void **)&t->node, &t->capnode, t->nnode + 1, sizeof *t->node) != ERR_OK) {
        err_nomem(e);
        return -1;
    }
    t->node[t->nnode].p = p;
    t->node[t->nnode].alive = 1;
    return (int)t->nnode++;
}

/* Append a straight edge between nodes a and b; returns its index, or -1 with
 * ERR_NOMEM recorded. */
static int demogen_add_edge(struct demogen_town *t, int a, int b, const char *highway,
                            const char *name, enum demogen_origin origin, struct err *e)
{
    if (vec_reserve((void **)&t->edge, &t->capedge, t->nedge + 1, sizeof *t->edge) != ERR_OK) {
        err_nomem(e);
        return -1;
    }
    struct demogen_edge *ed = &t->edge[t->nedge];
    memset(ed, 0, sizeof *ed);
    ed->a = a;
    ed->b = b;
    ed->highway = highway;
    ed->name = name;
    ed->origin = origin;
    ed->alive = 1;
    return (int)t->nedge++;
}

/* Add a node at p and an edge to it from node a; returns the new node. */
static int demogen_add_spur(struct demogen_town *t, int a, struct demogen_pt p, const char *highway,
                            const char *name, enum demogen_origin origin, struct err *e)
{
    int b = demogen_add_node(t, p, e);
    if (b < 0 || demogen_add_edge(t, a, b, highway, name, origin, e) < 0)
        return -1;
    return b;
}

/* Remove a node and every edge touching it. */
static void demogen_kill_node(struct demogen_town *t, int n)
{
    t->node[n].alive = 0;
    for (size_t k = 0; k < t->nedge; k++)
        if (t->edge[k].a == n || t->edge[k].b == n)
            t->edge[k].alive = 0;
}

/* Degree of every node over alive edges; deg has t->nnode entries. */
static void demogen_degrees(const struct demogen_town *t, int *deg)
{
    memset(deg, 0, t->nnode * sizeof *deg);
    for (size_t k = 0; k < t->nedge; k++) {
        if (t->edge[k].alive) {
            deg[t->edge[k].a]++;
            deg[t->edge[k].b]++;
        }
    }
}

static size_t demogen_uf_find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Union-find over alive edges; returns the number of components among nodes
 * with at least one alive edge. parent has t->nnode entries; afterwards
 * parent[n] is SIZE_MAX for nodes without an alive edge. */
static size_t demogen_components(const struct demogen_town *t, size_t *parent)
{
    size_t ncomp = 0;
    for (size_t n = 0; n < t->nnode; n++)
        parent[n] = SIZE_MAX;
    for (size_t k = 0; k < t->nedge; k++) {
        const struct demogen_edge *ed = &t->edge[k];
        if (!ed->alive)
            continue;
        size_t ends[2] = {(size_t)ed->a, (size_t)ed->b};
        for (int s = 0; s < 2; s++) {
            if (parent[ends[s]] == SIZE_MAX) {
                parent[ends[s]] = ends[s];
                ncomp++;
            }
        }
        size_t ra = demogen_uf_find(parent, ends[0]);
        size_t rb = demogen_uf_find(parent, ends[1]);
        if (ra != rb) {
            parent[ra] = rb;
            ncomp--;
        }
    }
    return ncomp;
}

/* Closed, counter-clockwise ring around lattice cell block [i0,i1) x [j0,j1),
 * through every lattice vertex on its boundary, so neighbouring blocks share
 * their boundary vertices exactly. Returns the number of points written. */
static size_t demogen_block_ring(const struct demogen_town *t, int i0, int j0, int i1, int j1,
                                 struct demogen_pt *ring)
{
    size_t n = 0;
    for (int i = i0; i < i1; i++)
        ring[n++] = t->lattice[i][j0];
    for (int j = j0; j < j1; j++)
        ring[n++] = t->lattice[i1][j];
    for (int i = i1; i > i0; i--)
        ring[n++] = t->lattice[i][j1];
    for (int j = j1; j > j0; j--)
        ring[n++] = t->lattice[i0][j];
    ring[n++] = ring[0];
    assert(n <= DEMOGEN_RING_MAX);
    return n;
}

/* Index of the census area containing p, or -1. */
static int demogen_area_at(const struct demogen_town *t, struct demogen_pt p)
{
    struct demogen_pt ring[DEMOGEN_RING_MAX];
    for (size_t k = 0; k < t->narea; k++) {
        const struct demogen_area *a = &t->area[k];
        size_t n = demogen_block_ring(t, a->i0, a->j0, a->i1, a->j1, ring);
        if (demogen_in_ring(p, ring, n))
            return (int)k;
    }
    return -1;
}

/* ---------------------------------------------------------------- layers */

/* Town outline and district lattice: interior vertices jittered by up to 60 m,
 * outline vertices pushed 40-140 m outwards so every street lies inside. */
static void demogen_lay_lattice(struct demogen_town *t)
{
    struct demogen_rng r;
    demogen_rng_init(&r, 1);
    for (int i = 0; i <= DEMOGEN_LX; i++) {
        for (int j = 0; j <= DEMOGEN_LY; j++) {
            double x = DEMOGEN_X0 + 4000.0 * i / DEMOGEN_LX;
            double y = DEMOGEN_Y0 + 3000.0 * j / DEMOGEN_LY;
            int ox = i == 0 ? -1 : i == DEMOGEN_LX ? 1 : 0;
            int oy = j == 0 ? -1 : j == DEMOGEN_LY ? 1 : 0;
            double jx = demogen_rng_range(&r, -60, 60);
            double jy = demogen_rng_range(&r, -60, 60);
            double push = demogen_rng_range(&r, 40, 140);
            x += ox != 0 ? ox * push : jx;
            y += oy != 0 ? oy * push : jy;
            t->lattice[i][j] = demogen_pt(x, y);
        }
    }
}

static const char *const demogen_kanji_numbers[] = {"一", "二", "三", "四", "五", "六"};

/* Split length len into parts of at most max, sizes as equal as possible;
 * writes the part boundaries (offsets from 0) into cut[0..parts]. */
static int demogen_split(int len, int max, int *cut)
{
    int parts = (len + max - 1) / max;
    int base = len / parts, rem = len % parts;
    cut[0] = 0;
    for (int k = 0; k < parts; k++)
        cut[k + 1] = cut[k] + base + (k < rem ? 1 : 0);
    return parts;
}

/* Census small areas: each elementary district cut into blocks of at most
 * 3 x 2 lattice cells, numbered 一丁目, 二丁目, ...; 15,000 residents shared
 * out by district density with +-20 % noise, 2.0-2.6 people per household. */
static int demogen_lay_areas(struct demogen_town *t, struct err *e)
{
    struct demogen_rng r;
    demogen_rng_init(&r, 2);
    long weight[DEMOGEN_AREA_MAX];
    long total_weight = 0;
    t->narea = 0;
    for (size_t d = 0; d < DEMOGEN_NELEMENTARY; d++) {
        const struct demogen_district *ds = &demogen_elementary[d];
        int xcut[8], ycut[8];
        int nx = demogen_split(ds->i1 - ds->i0, 3, xcut);
        int ny = demogen_split(ds->j1 - ds->j0, 2, ycut);
        int chome = 0;
        for (int b = ny - 1; b >= 0; b--) { /* number from the north */
            for (int a = 0; a < nx; a++) {
                if (t->narea == DEMOGEN_AREA_MAX || chome == 6)
                    return err_set(e, ERR_INTERNAL, "the demo town has too many census areas");
                struct demogen_area *ar = &t->area[t->narea];
                ar->i0 = ds->i0 + xcut[a];
                ar->i1 = ds->i0 + xcut[a + 1];
                ar->j0 = ds->j0 + ycut[b];
                ar->j1 = ds->j0 + ycut[b + 1];
                snprintf(ar->code, sizeof ar->code, "T%02zu", t->narea + 1);
                ar->district = d;
                snprintf(ar->name, sizeof ar->name, "%s%s丁目", ds->area_base,
                         demogen_kanji_numbers[chome++]);
                long cells = (long)(ar->i1 - ar->i0) * (ar->j1 - ar->j0);
                weight[t->narea] = cells * ds->density * (80 + demogen_rng_int(&r, 41));
                total_weight += weight[t->narea];
                t->narea++;
            }
        }
    }
    long assigned = 0;
    for (size_t k = 0; k < t->narea; k++) {
        t->area[k].residents = 15000L * weight[k] / total_weight;
        assigned += t->area[k].residents;
    }
    t->area[0].residents += 15000L - assigned;
    for (size_t k = 0; k < t->narea; k++)
        t->area[k].households = t->area[k].residents * 100 / (200 + demogen_rng_int(&r, 61));
    /* Census-style indicators, from their own random stream so the rest of
     * the town stays as it was. Shares of 65+ and of elderly living alone
     * per district (E01..E06); つなぐ川辺 (E04) is old and alone far more
     * often than the households known there suggest: the deliberately
     * under-identified district of `tsunagu needs`. */
    static const int aged_pct[] = {28, 24, 30, 36, 27, 33};
    static const int alone_pct[] = {18, 22, 17, 38, 20, 16};
    struct demogen_rng q;
    demogen_rng_init(&q, 3);
    for (size_t k = 0; k < t->narea; k++) {
        struct demogen_area *a = &t->area[k];
        size_t d = a->district < 6 ? a->district : 0;
        a->aged65 = a->residents * (aged_pct[d] * 10 + demogen_rng_int(&q, 41) - 20) / 1000;
        a->aged75 = a->aged65 * (48 + demogen_rng_int(&q, 9)) / 100;
        a->single_elderly = a->aged65 * (alone_pct[d] * 10 + demogen_rng_int(&q, 21) - 10) / 1000;
        a->children = a->residents * (100 + demogen_rng_int(&q, 41)) / 1000;
        a->single_mother = a->households * (8 + demogen_rng_int(&q, 9)) / 1000;
    }
    return ERR_OK;
}

/* Road class and name of the grid edge leaving crossing (i, j) eastwards
 * (horizontal) or northwards. */
static void demogen_grid_class(int i, int j, int horizontal, const char **highway,
                               const char **name)
{
    *highway = "residential";
    *name = NULL;
    if (horizontal) {
        if (j == 10) {
            *highway = "primary";
            *name = "県道つなぐ線";
            return;
        }
        if (j == 24) {
            *highway = "secondary";
            *name = "北通り";
            return;
        }
        if (j == 4) {
            *highway = "secondary";
            *name = "南通り";
            return;
        }
        if (j == 12 && i >= 14 && i < 19) {
            *highway = "pedestrian";
            *name = "つなぐ銀座商店街";
            return;
        }
        if (j == 20)
            *name = "川辺通り";
    } else {
        if (i == 20) {
            *highway = "primary";
            *name = "つなぐ大通り";
            return;
        }
        if (i == 8) {
            *highway = "secondary";
            *name = "西通り";
            return;
        }
        if (i == 28) {
            *highway = "secondary";
            *name = "東通り";
            return;
        }
        if (i == 14)
            *name = "駅前通り";
    }
    int i1 = horizontal ? i + 1 : i, j1 = horizontal ? j : j + 1;
    if (i >= 13 && i1 <= 19 && j >= 11 && j1 <= 14 && *name == NULL)
        *highway = "living_street"; /* the old town around the station */
    else if (i >= 14 && i1 <= 22 && j1 <= 2)
        *highway = "service"; /* the factory estate in the south */
}

/* Street grid: crossings every 100 m jittered by up to 10 m, every pair of
 * neighbours joined by one edge. */
static int demogen_lay_grid(struct demogen_town *t, struct err *e)
{
    struct demogen_rng r;
    demogen_rng_init(&r, 3);
    for (int i = 0; i < DEMOGEN_GX; i++) {
        for (int j = 0; j < DEMOGEN_GY; j++) {
            double x = DEMOGEN_X0 + DEMOGEN_STEP * i +
                       demogen_rng_range(&r, -DEMOGEN_JITTER, DEMOGEN_JITTER);
            double y = DEMOGEN_Y0 + DEMOGEN_STEP * j +
                       demogen_rng_range(&r, -DEMOGEN_JITTER, DEMOGEN_JITTER);
            t->grid[i][j] = demogen_add_node(t, demogen_pt(x, y), e);
            if (t->grid[i][j] < 0)
                return ERR_NOMEM;
        }
    }
    for (int i = 0; i < DEMOGEN_GX; i++) {
        for (int j = 0; j < DEMOGEN_GY; j++) {
            const char *highway, *name;
            if (i + 1 < DEMOGEN_GX) {
                demogen_grid_class(i, j, 1, &highway, &name);
                if (demogen_add_edge(t, t->grid[i][j], t->grid[i + 1][j], highway, name,
                                     DEMOGEN_O_GRID, e) < 0)
                    return ERR_NOMEM;
            }
            if (j + 1 < DEMOGEN_GY) {
                demogen_grid_class(i, j, 0, &highway, &name);
                if (demogen_add_edge(t, t->grid[i][j], t->grid[i][j + 1], highway, name,
                                     DEMOGEN_O_GRID, e) < 0)
                    return ERR_NOMEM;
            }
        }
    }
    return ERR_OK;
}

/* Is grid crossing (i, j) still there? */
static int demogen_grid_alive(const struct demogen_town *t, int i, int j)
{
    return t->grid[i][j] >= 0 && t->node[t->grid[i][j]].alive;
}

/* River: crossings within 12 m of the water and every edge touching the water
 * are removed; three grid columns get a bridge between the last crossing on
 * the south bank and the first on the north bank. */
static int demogen_cut_river(struct demogen_town *t, struct err *e)
{
    static const struct {
        int column;
        const char *highway;
        const char *name;
    } bridges[] = {
        {4, "residential", "にし橋"},
        {20, "primary", "つなぐ大橋"},
        {27, "footway", "ふれあい橋"},
    };
    for (int i = 0; i < DEMOGEN_GX; i++)
        for (int j = 0; j < DEMOGEN_GY; j++)
            if (demogen_in_river(t->node[t->grid[i][j]].p, 12.0))
                demogen_kill_node(t, t->grid[i][j]);
    for (size_t k = 0; k < t->nedge; k++) {
        struct demogen_edge *ed = &t->edge[k];
        struct demogen_pt a = t->node[ed->a].p, b = t->node[ed->b].p;
        for (int s = 0; s <= 20 && ed->alive; s++) {
            double u = s / 20.0;
            if (demogen_in_river(demogen_pt(a.x + (b.x - a.x) * u, a.y + (b.y - a.y) * u), 0.0))
                ed->alive = 0;
        }
    }
    for (size_t k = 0; k < sizeof bridges / sizeof bridges[0]; k++) {
        int i = bridges[k].column, south = -1, north = -1;
        for (int j = 0; j < DEMOGEN_GY; j++) {
            if (!demogen_grid_alive(t, i, j))
                continue;
            struct demogen_pt p = t->node[t->grid[i][j]].p;
            if (p.y < demogen_river_y(p.x))
                south = j;
            else if (north < 0)
                north = j;
        }
        if (south < 0 || north < 0)
            return err_set(e, ERR_INTERNAL, "the demo town's bridge %s has no banks",
                           bridges[k].name);
        if (demogen_add_edge(t, t->grid[i][south], t->grid[i][north], bridges[k].highway,
                             bridges[k].name, DEMOGEN_O_BRIDGE, e) < 0)
            return ERR_NOMEM;
    }
    return ERR_OK;
}

/* Hill park: streets within 380 m of the summit are removed; a loop footway
 * (12 nodes), three spokes up to the summit (paths and steps), a dead-end path
 * to a lookout, and four entrances to the nearest remaining crossings. */
static int demogen_carve_park(struct demogen_town *t, struct err *e)
{
    struct demogen_pt c = demogen_pt(DEMOGEN_PARK_X, DEMOGEN_PARK_Y);
    for (int i = 0; i < DEMOGEN_GX; i++)
        for (int j = 0; j < DEMOGEN_GY; j++)
            if (demogen_grid_alive(t, i, j) && demogen_in_park(t->node[t->grid[i][j]].p, 0.0))
                demogen_kill_node(t, t->grid[i][j]);
    for (size_t k = 0; k < t->nedge; k++) {
        struct demogen_edge *ed = &t->edge[k];
        struct demogen_pt a = t->node[ed->a].p, b = t->node[ed->b].p;
        if (ed->alive && demogen_in_park(demogen_pt((a.x + b.x) / 2, (a.y + b.y) / 2), 0.0))
            ed->alive = 0;
    }

    int rc = ERR_NOMEM;                        /* what a jump to fail reports unless changed */
    int *deg = malloc(t->nnode * sizeof *deg); /* degrees of the nodes made so far */
    if (deg == NULL)
        return err_nomem(e);
    demogen_degrees(t, deg);

    int loop[12];
    for (int k = 0; k < 12; k++) {
        const double *u = demogen_unit24[2 * k];
        loop[k] = demogen_add_node(
            t, demogen_pt(c.x + DEMOGEN_PARK_LOOP * u[0], c.y + DEMOGEN_PARK_LOOP * u[1]), e);
        if (loop[k] < 0)
            goto fail;
    }
    for (int k = 0; k < 12; k++) {
        int id = demogen_add_edge(t, loop[k], loop[(k + 1) % 12], "footway", "丘の上公園周回路",
                                  DEMOGEN_O_PARK, e);
        if (id < 0)
            goto fail;
        const double *u = demogen_unit24[2 * k + 1];
        t->edge[id].nvia = 1;
        t->edge[id].via[0] =
            demogen_pt(c.x + DEMOGEN_PARK_LOOP * u[0], c.y + DEMOGEN_PARK_LOOP * u[1]);
    }
    int summit = demogen_add_node(t, c, e);
    if (summit < 0)
        goto fail;
    static const struct {
        int loop;
        const char *lower, *upper; /* highway of the lower and upper half */
        const char *name;
    } spokes[] = {
        {0, "path", "steps", "展望台への石段"},
        {4, "steps", "steps", "北の石段"},
        {8, "path", "path", "林間の小径"},
    };
    for (size_t k = 0; k < sizeof spokes / sizeof spokes[0]; k++) {
        struct demogen_pt lp = t->node[loop[spokes[k].loop]].p;
        int mid = demogen_add_spur(t, loop[spokes[k].loop],
                                   demogen_pt((lp.x + c.x) / 2, (lp.y + c.y) / 2), spokes[k].lower,
                                   spokes[k].name, DEMOGEN_O_PARK, e);
        if (mid < 0 || demogen_add_edge(t, mid, summit, spokes[k].upper, spokes[k].name,
                                        DEMOGEN_O_PARK, e) < 0)
            goto fail;
    }
    if (demogen_add_spur(t, summit, demogen_pt(c.x + 50, c.y + 70), "path", "展望台",
                         DEMOGEN_O_PARK, e) < 0)
        goto fail;

    static const struct {
        int loop;
        const char *highway;
        const char *name;
    } gates[] = {
        {0, "footway", "丘の上公園東口"},
        {3, "path", NULL},
        {6, "steps", "西参道石段"},
        {9, "footway", "丘の上公園南口"},
    };
    for (size_t k = 0; k < sizeof gates / sizeof gates[0]; k++) {
        struct demogen_pt lp = t->node[loop[gates[k].loop]].p;
        int best = -1;
        double best_d = 0;
        for (int i = 0; i < DEMOGEN_GX; i++) {
            for (int j = 0; j < DEMOGEN_GY; j++) {
                int n = t->grid[i][j];
                if (!demogen_grid_alive(t, i, j) || deg[n] == 0 ||
                    demogen_in_park(t->node[n].p, 0.0))
                    continue;
                double d = demogen_dist(t->node[n].p, lp);
                if (best < 0 || d < best_d) {
                    best = n;
                    best_d = d;
                }
            }
        }
        if (best < 0) {
            rc = err_set(e, ERR_INTERNAL, "the demo town's hill park has no street to connect to");
            goto fail;
        }
        if (demogen_add_edge(t, best, loop[gates[k].loop], gates[k].highway, gates[k].name,
                             DEMOGEN_O_PARK, e) < 0)
            goto fail;
    }
    free(deg);
    return ERR_OK;
fail:
    free(deg);
    return rc;
}

/* Farmland in the south-east: every crossing there is removed. */
static void demogen_carve_farm(struct demogen_town *t)
{
    for (int i = 0; i < DEMOGEN_GX; i++)
        for (int j = 0; j < DEMOGEN_GY; j++)
            if (demogen_grid_alive(t, i, j) && demogen_in_farm(t->node[t->grid[i][j]].p))
                demogen_kill_node(t, t->grid[i][j]);
}

/* Old highway: eight diagonal edges through grid cells from the south-west
 * up to the prefectural road, each with a slight bend. */
static int demogen_lay_old_road(struct demogen_town *t, struct err *e)
{
    for (int k = 0; k < 8; k++) {
        int i = 1 + k, j = 2 + k;
        if (!demogen_grid_alive(t, i, j) || !demogen_grid_alive(t, i + 1, j + 1))
            return err_set(e, ERR_INTERNAL, "the demo town's old road is cut");
        int id = demogen_add_edge(t, t->grid[i][j], t->grid[i + 1][j + 1], "residential",
                                  "旧つなぐ街道", DEMOGEN_O_OLD_ROAD, e);
        if (id < 0)
            return ERR_NOMEM;
        struct demogen_pt a = t->node[t->grid[i][j]].p, b = t->node[t->grid[i + 1][j + 1]].p;
        double side = k % 2 == 0 ? 6.0 : -6.0;
        t->edge[id].nvia = 1;
        t->edge[id].via[0] = demogen_pt((a.x + b.x) / 2 - side, (a.y + b.y) / 2 + side);
    }
    return ERR_OK;
}

/* Cul-de-sacs: three lanes from a crossing into the middle of a block, and
 * one farm road that ends in the fields. */
static int demogen_add_dead_ends(struct demogen_town *t, struct err *e)
{
    static const int lanes[][2] = {{5, 26}, {12, 6}, {35, 12}};
    for (size_t k = 0; k < sizeof lanes / sizeof lanes[0]; k++) {
        int i = lanes[k][0], j = lanes[k][1];
        if (!demogen_grid_alive(t, i, j))
            return err_set(e, ERR_INTERNAL, "the demo town's dead end %zu has no street", k + 1);
        struct demogen_pt p = t->node[t->grid[i][j]].p;
        if (demogen_add_spur(t, t->grid[i][j], demogen_pt(p.x + 45, p.y + 45), "service", NULL,
                             DEMOGEN_O_DEAD_END, e) < 0)
            return ERR_NOMEM;
    }
    if (!demogen_grid_alive(t, 29, 6))
        return err_set(e, ERR_INTERNAL, "the demo town's farm road has no street");
    struct demogen_pt p = t->node[t->grid[29][6]].p;
    int end = demogen_add_spur(t, t->grid[29][6], demogen_pt(p.x + 130, p.y + 10), "residential",
                               "東田農道", DEMOGEN_O_DEAD_END, e);
    if (end < 0)
        return ERR_NOMEM;
    struct demogen_edge *ed = &t->edge[t->nedge - 1];
    ed->nvia = 1;
    ed->via[0] = demogen_pt(p.x + 65, p.y - 8);
    return ERR_OK;
}

/* Random closures: about 12 % of minor grid streets are removed, but only
 * where both ends keep two other streets and the network stays connected. */
static int demogen_thin_streets(struct demogen_town *t, struct err *e)
{
    struct demogen_rng r;
    demogen_rng_init(&r, 4);
    int *deg = malloc(t->nnode * sizeof *deg);
    size_t *parent = malloc(t->nnode * sizeof *parent);
    if (deg == NULL || parent == NULL) {
        free(deg);
        free(parent);
        return err_nomem(e);
    }
    demogen_degrees(t, deg);
    size_t ncomp = demogen_components(t, parent);
    for (size_t k = 0; k < t->nedge; k++) {
        struct demogen_edge *ed = &t->edge[k];
        if (!ed->alive || ed->origin != DEMOGEN_O_GRID || ed->name != NULL ||
            (strcmp(ed->highway, "residential") != 0 && strcmp(ed->highway, "living_street") != 0 &&
             strcmp(ed->highway, "service") != 0))
            continue;
        if (demogen_rng_unit(&r) >= 0.12 || deg[ed->a] < 3 || deg[ed->b] < 3)
            continue;
        ed->alive = 0;
        if (demogen_components(t, parent) != ncomp) {
            ed->alive = 1;
            continue;
        }
        deg[ed->a]--;
        deg[ed->b]--;
    }
    free(deg);
    free(parent);
    return ERR_OK;
}

/* Keep only the component holding the prefectural road's crossing with the
 * main avenue; pieces the river, park or farm cut off are dropped. */
static int demogen_keep_main(struct demogen_town *t, struct err *e)
{
    size_t *parent = malloc(t->nnode * sizeof *parent);
    if (parent == NULL)
        return err_nomem(e);
    demogen_components(t, parent);
    if (parent[t->grid[20][10]] == SIZE_MAX) {
        free(parent);
        return err_set(e, ERR_INTERNAL, "the demo town's main crossing was carved away");
    }
    size_t main_root = demogen_uf_find(parent, (size_t)t->grid[20][10]);
    for (size_t k = 0; k < t->nedge; k++)
        if (t->edge[k].alive && demogen_uf_find(parent, (size_t)t->edge[k].a) != main_root)
            t->edge[k].alive = 0;
    free(parent);
    return ERR_OK;
}

/* River island 中之島: a loop of six footways with a path across and a spur,
 * connected to nothing else (a separate network component on purpose). */
static int demogen_add_island(struct demogen_town *t, struct err *e)
{
    struct demogen_pt c = demogen_pt(-900, demogen_river_y(-900));
    int ring[6];
    for (int k = 0; k < 6; k++) {
        const double *u = demogen_unit24[4 * k];
        ring[k] = demogen_add_node(t, demogen_pt(c.x + 45 * u[0], c.y + 45 * u[1]), e);
        if (ring[k] < 0)
            return ERR_NOMEM;
    }
    for (int k = 0; k < 6; k++)
        if (demogen_add_edge(t, ring[k], ring[(k + 1) % 6], "footway", "中之島遊歩道",
                             DEMOGEN_O_ISLAND, e) < 0)
            return ERR_NOMEM;
    int mid = demogen_add_spur(t, ring[1], c, "path", NULL, DEMOGEN_O_ISLAND, e);
    if (mid < 0 || demogen_add_edge(t, mid, ring[4], "path", NULL, DEMOGEN_O_ISLAND, e) < 0)
        return ERR_NOMEM;
    if (demogen_add_spur(t, ring[0], demogen_pt(c.x + 75, c.y), "footway", "中之島遊歩道",
                         DEMOGEN_O_ISLAND, e) < 0)
        return ERR_NOMEM;
    return ERR_OK;
}

/* Bends: about 22 % of straight minor grid streets get a middle vertex
 * 5-15 m to one side. */
static void demogen_bend_streets(struct demogen_town *t)
{
    struct demogen_rng r;
    demogen_rng_init(&r, 5);
    for (size_t k = 0; k < t->nedge; k++) {
        struct demogen_edge *ed = &t->edge[k];
        if (!ed->alive || ed->origin != DEMOGEN_O_GRID || ed->nvia != 0 ||
            strcmp(ed->highway, "primary") == 0)
            continue;
        double u = demogen_rng_unit(&r);
        double off = demogen_rng_range(&r, 5, 15) * (demogen_rng_int(&r, 2) ? 1 : -1);
        if (u >= 0.22)
            continue;
        struct demogen_pt a = t->node[ed->a].p, b = t->node[ed->b].p;
        double len = demogen_dist(a, b);
        ed->nvia = 1;
        ed->via[0] = demogen_pt((a.x + b.x) / 2 - (b.y - a.y) / len * off,
                                (a.y + b.y) / 2 + (b.x - a.x) / len * off);
    }
}

/* The alive node nearest to p among those touching an alive street: not on
 * the island, in the park or on a bridge; -1 if there is none. */
static int demogen_nearest_street_node(const struct demogen_town *t, struct demogen_pt p)
{
    int best = -1;
    double best_d = 0;
    for (size_t k = 0; k < t->nedge; k++) {
        const struct demogen_edge *ed = &t->edge[k];
        if (!ed->alive || ed->origin == DEMOGEN_O_ISLAND || ed->origin == DEMOGEN_O_PARK ||
            ed->origin == DEMOGEN_O_BRIDGE)
            continue;
        int ends[2] = {ed->a, ed->b};
        for (int s = 0; s < 2; s++) {
            double d = demogen_dist(t->node[ends[s]].p, p);
            if (best < 0 || d < best_d) {
                best = ends[s];
                best_d = d;
            }
        }
    }
    return best;
}

/* Move each wished location to 20 m diagonally off its nearest street
 * crossing, avoiding water and the park. at[] receives the positions. */
static int demogen_snap(const struct demogen_town *t, struct demogen_rng *r, struct demogen_pt wish,
                        struct demogen_pt *at)
{
    int n = demogen_nearest_street_node(t, wish);
    if (n < 0)
        return -1;
    int first = demogen_rng_int(r, 4);
    for (int k = 0; k < 4; k++) {
        int q = (first + k) % 4;
        struct demogen_pt p = demogen_pt(t->node[n].p.x + (q & 1 ? 14.0 : -14.0),
                                         t->node[n].p.y + (q & 2 ? 14.0 : -14.0));
        if (!demogen_in_river(p, 3.0) && !demogen_in_park(p, 0.0)) {
            *at = p;
            return 0;
        }
    }
    return -1;
}

/* Resources: placed beside the street nearest their wished location, with a
 * fictional address in the census area they fall in. */
static int demogen_place_resources(struct demogen_town *t, struct err *e)
{
    struct demogen_rng r;
    demogen_rng_init(&r, 6);
    for (size_t k = 0; k < DEMOGEN_NRESOURCES; k++) {
        const struct demogen_resource_spec *s = &demogen_resources[k];
        if (demogen_snap(t, &r, demogen_pt(s->x, s->y), &t->res_at[k]) != 0)
            return err_set(e, ERR_INTERNAL, "the demo resource %s has no place by a street",
                           s->name);
        int a = demogen_area_at(t, t->res_at[k]);
        if (a < 0)
            return err_set(e, ERR_INTERNAL, "the demo resource %s lies outside the town", s->name);
        int block = 1 + demogen_rng_int(&r, 25), lot = 1 + demogen_rng_int(&r, 30);
        snprintf(t->res_address[k], sizeof t->res_address[k], "架空市%s%d-%d", t->area[a].name,
                 block, lot);
    }
    return ERR_OK;
}

static int demogen_place_candidates(struct demogen_town *t, struct err *e)
{
    struct demogen_rng r;
    demogen_rng_init(&r, 7);
    for (size_t k = 0; k < DEMOGEN_NCANDIDATES; k++)
        if (demogen_snap(t, &r, demogen_pt(demogen_candidates[k].x, demogen_candidates[k].y),
                         &t->cand_at[k]) != 0)
            return err_set(e, ERR_INTERNAL, "the demo candidate site %s has no place by a street",
                           demogen_candidates[k].name);
    return ERR_OK;
}

/* A household position 10-50 m to one side of a random street, on land; a
 * quarter are drawn near two clusters (the north-east estate, which lacks a
 * consultation desk, and the old town). Returns 0, or -1 if no place found. */
static int demogen_household_spot(const struct demogen_town *t, struct demogen_rng *r,
                                  const size_t *streets, size_t nstreets, struct demogen_pt *at)
{
    static const double clusters[2][2] = {{1600, 1150}, {-400, -250}};
    int cluster = demogen_rng_int(r, 4) == 0 ? demogen_rng_int(r, 2) : -1;
    for (int tries = 0; tries < DEMOGEN_PLACE_TRIES; tries++) {
        const struct demogen_edge *ed = &t->edge[streets[demogen_rng_int(r, (int)nstreets)]];
        struct demogen_pt v[DEMOGEN_MAX_VIA + 2];
        int nv = 0;
        v[nv++] = t->node[ed->a].p;
        for (int k = 0; k < ed->nvia; k++)
            v[nv++] = ed->via[k];
        v[nv++] = t->node[ed->b].p;
        int seg = demogen_rng_int(r, nv - 1);
        double u = demogen_rng_range(r, 0.15, 0.85);
        double off = demogen_rng_range(r, 10, 50) * (demogen_rng_int(r, 2) ? 1 : -1);
        struct demogen_pt a = v[seg], b = v[seg + 1];
        double len = demogen_dist(a, b);
        struct demogen_pt p = demogen_pt(a.x + (b.x - a.x) * u - (b.y - a.y) / len * off,
                                         a.y + (b.y - a.y) * u + (b.x - a.x) / len * off);
        if (cluster >= 0 &&
            demogen_dist(p, demogen_pt(clusters[cluster][0], clusters[cluster][1])) > 450)
            continue;
        if (demogen_in_river(p, 5.0) || demogen_in_park(p, 10.0) || demogen_in_farm(p) ||
            fabs(p.x) > 2030 || fabs(p.y) > 1530)
            continue;
        *at = p;
        return 0;
    }
    return -1;
}

/* Households: 347 beside streets with a need profile drawn by weight, and the
 * three farm households, interleaved at fixed positions of the id sequence. */
static int demogen_place_households(struct demogen_town *t, struct err *e)
{
    struct demogen_rng r;
    demogen_rng_init(&r, 8);
    size_t *streets = malloc(t->nedge * sizeof *streets);
    if (streets == NULL)
        return err_nomem(e);
    size_t nstreets = 0;
    for (size_t k = 0; k < t->nedge; k++)
        if (t->edge[k].alive && t->edge[k].origin != DEMOGEN_O_ISLAND &&
            t->edge[k].origin != DEMOGEN_O_BRIDGE && t->edge[k].origin != DEMOGEN_O_PARK)
            streets[nstreets++] = k;
    int total_weight = 0;
    for (size_t k = 0; k < DEMOGEN_NPROFILES; k++)
        total_weight += demogen_profiles[k].weight;

    size_t farm = 0;
    t->nhh = 0;
    while (t->nhh < DEMOGEN_NHOUSEHOLDS) {
        struct demogen_household *h = &t->hh[t->nhh];
        if (farm < DEMOGEN_NFARM_HOUSEHOLDS && t->nhh == 60 + 120 * farm) {
            *h = demogen_farm_households[farm++];
            t->nhh++;
            continue;
        }
        if (demogen_household_spot(t, &r, streets, nstreets, &h->p) != 0) {
            free(streets);
            return err_set(e, ERR_INTERNAL, "the demo town has no room for household %zu",
                           t->nhh + 1);
        }
        int w = demogen_rng_int(&r, total_weight);
        size_t pk = 0;
        while (w >= demogen_profiles[pk].weight)
            w -= demogen_profiles[pk++].weight;
        const struct demogen_profile *pr = &demogen_profiles[pk];
        h->needs = pr->needs;
        h->members = pr->min_members + demogen_rng_int(&r, pr->max_members - pr->min_members + 1);
        h->consent = demogen_rng_int(&r, 100) < pr->consent_pct;
        h->off_network = 0;
        switch (pr->agency) {
        case DEMOGEN_AG_ELDER:
            h->agency = h->p.x < 0 ? "包括A" : "包括B";
            break;
        case DEMOGEN_AG_DISAB:
            h->agency = "相談支援";
            break;
        case DEMOGEN_AG_CHILD:
            h->agency = "子ども家庭";
            break;
        default:
            h->agency = "社協";
            break;
        }
        t->nhh++;
    }
    free(streets);
    return ERR_OK;
}

/* Build the whole town. Returns ERR_OK or an error recorded in e. */
static int demogen_build(struct demogen_town *t, struct err *e)
{
    int rc;
    demogen_lay_lattice(t);
    if ((rc = demogen_lay_areas(t, e)) != ERR_OK || (rc = demogen_lay_grid(t, e)) != ERR_OK ||
        (rc = demogen_cut_river(t, e)) != ERR_OK || (rc = demogen_carve_park(t, e)) != ERR_OK)
        return rc;
    demogen_carve_farm(t);
    if ((rc = demogen_lay_old_road(t, e)) != ERR_OK ||
        (rc = demogen_add_dead_ends(t, e)) != ERR_OK ||
        (rc = demogen_thin_streets(t, e)) != ERR_OK || (rc = demogen_keep_main(t, e)) != ERR_OK ||
        (rc = demogen_add_island(t, e)) != ERR_OK)
        return rc;
    demogen_bend_streets(t);

    if ((rc = demogen_place_resources(t, e)) != ERR_OK ||
        (rc = demogen_place_candidates(t, e)) != ERR_OK)
        return rc;
    return demogen_place_households(t, e);
}

/* ---------------------------------------------------------------- output */

/* One output file, written under a temporary name and renamed into place. */
struct demogen_out {
    FILE *fp;                    /* open temporary file */
    char tmp[DEMOGEN_PATH_MAX];  /* temporary path */
    char path[DEMOGEN_PATH_MAX]; /* final path */
};

static int demogen_out_open(struct demogen_out *o, const char *dir, const char *name, struct err *e)
{
    int n1 = snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
    int n2 = snprintf(o->tmp, sizeof o->tmp, "%s/.%s.tmp", dir, name);
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof o->path || (size_t)n2 >= sizeof o->tmp)
        return err_set(e, ERR_LIMIT, "the path for %s in the demo directory is too long", name);
    o->fp = fopen(o->tmp, "w");
    if (o->fp == NULL)
        return err_set(e, ERR_IO, "cannot write %s: %s", o->path, strerror(errno));
    return ERR_OK;
}

/* Close the temporary file and, when rc is ERR_OK and every write succeeded,
 * rename it into place; otherwise remove it. Returns the resulting status. */
static int demogen_out_close(struct demogen_out *o, int rc, struct err *e)
{
    int failed = ferror(o->fp);
    if (fclose(o->fp) != 0)
        failed = 1;
    o->fp = NULL;
    if (rc == ERR_OK && failed)
        rc = err_set(e, ERR_IO, "cannot write %s: %s", o->path, strerror(errno));
    if (rc == ERR_OK && rename(o->tmp, o->path) != 0)
        rc = err_set(e, ERR_IO, "cannot write %s: %s", o->path, strerror(errno));
    if (rc != ERR_OK)
        remove(o->tmp);
    return rc;
}

/* Dump a JSON document to dir/name: one value per line, keys in insertion
 * order, coordinates with at most 10 significant digits (7 decimals). */
static int demogen_dump(const char *dir, const char *name, json_t *root, struct err *e)
{
    struct demogen_out o;
    int rc = demogen_out_open(&o, dir, name, e);
    if (rc != ERR_OK)
        return rc;
    if (json_dumpf(root, o.fp, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) !=
            0 ||
        fputc('\n', o.fp) == EOF)
        rc = err_set(e, ERR_IO, "cannot write %s: %s", o.path, strerror(errno));
    return demogen_out_close(&o, rc, e);
}

static json_t *demogen_str_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

/* [lon, lat] of p, rounded to 1e-7 degree; NULL when out of memory. */
static json_t *demogen_json_pos(struct demogen_pt p)
{
    long long lon7, lat7;
    demogen_to_e7(p, &lon7, &lat7);
    json_t *a = json_array();
    if (a == NULL)
        return NULL;
    if (json_array_append_new(a, json_real((double)lon7 / 1e7)) != 0 ||
        json_array_append_new(a, json_real((double)lat7 / 1e7)) != 0) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* {"type": type, "coordinates": coords}, stealing coords; NULL on failure. */
static json_t *demogen_json_geometry(const char *type, json_t *coords)
{
    json_t *g = json_object();
    if (g == NULL || coords == NULL || json_object_set_new(g, "type", json_string(type)) != 0) {
        json_decref(g);
        json_decref(coords);
        return NULL;
    }
    if (json_object_set_new(g, "coordinates", coords) != 0) {
        json_decref(g);
        return NULL;
    }
    return g;
}

/* A Feature from properties and geometry, stealing both; NULL on failure. */
static json_t *demogen_json_feature(json_t *props, json_t *geom)
{
    json_t *f = json_object();
    if (f == NULL || props == NULL || geom == NULL ||
        json_object_set_new(f, "type", json_string("Feature")) != 0) {
        json_decref(f);
        json_decref(props);
        json_decref(geom);
        return NULL;
    }
    if (json_object_set_new(f, "properties", props) != 0) {
        json_decref(f);
        json_decref(geom);
        return NULL;
    }
    if (json_object_set_new(f, "geometry", geom) != 0) {
        json_decref(f);
        return NULL;
    }
    return f;
}

/* An empty FeatureCollection labelled as fictional; features go into the
 * array returned through *features (borrowed). NULL on failure. */
static json_t *demogen_json_collection(const char *name, const char *what, json_t **features)
{
    char desc[512];
    snprintf(desc, sizeof desc,
             "架空市つなぐ町（架空の町）の%s。実在の場所・人物とは関係ありません。"
             "Fictional demo data generated by tsunagu generate-demo; not a real place.",
             what);
    json_t *fc = json_object();
    json_t *arr = json_array();
    int rc = 0;
    if (fc == NULL || arr == NULL) {
        json_decref(fc);
        json_decref(arr);
        return NULL;
    }
    rc |= json_object_set_new(fc, "type", json_string("FeatureCollection"));
    rc |= json_object_set_new(fc, "name", json_string(name));
    rc |= json_object_set_new(fc, "description", json_string(desc));
    rc |= json_object_set(fc, "features", arr);
    json_decref(arr);
    if (rc != 0) {
        json_decref(fc);
        return NULL;
    }
    *features = arr;
    return fc;
}

/* Polygon geometry of lattice block [i0,i1) x [j0,j1). */
static json_t *demogen_json_block(const struct demogen_town *t, int i0, int j0, int i1, int j1)
{
    struct demogen_pt ring[DEMOGEN_RING_MAX];
    size_t n = demogen_block_ring(t, i0, j0, i1, j1, ring);
    json_t *coords = json_array();
    json_t *r = json_array();
    int rc = json_array_append_new(coords, r);
    for (size_t k = 0; k < n && rc == 0; k++)
        rc = json_array_append_new(r, demogen_json_pos(ring[k]));
    if (rc != 0) {
        json_decref(coords);
        return NULL;
    }
    return demogen_json_geometry("Polygon", coords);
}

/* Record running out of memory while building file f; returns ERR_NOMEM. */
static int demogen_nomem_in(struct err *e, enum demogen_file f)
{
    return err_set(e, ERR_NOMEM, "out of memory while building %s", demogen_file_names[f]);
}

static int demogen_write_network(const struct demogen_town *t, const char *dir, struct err *e)
{
    const char *fname = demogen_file_names[DEMOGEN_F_NETWORK];
    json_t *features = NULL;
    json_t *fc = demogen_json_collection("town_network", "歩行ネットワーク", &features);
    if (fc == NULL)
        return demogen_nomem_in(e, DEMOGEN_F_NETWORK);
    for (size_t k = 0; k < t->nedge; k++) {
        const struct demogen_edge *ed = &t->edge[k];
        if (!ed->alive)
            continue;
        json_t *props = json_object();
        int rc = json_object_set_new(props, "highway", json_string(ed->highway));
        rc |= json_object_set_new(props, "name", demogen_str_or_null(ed->name));
        json_t *coords = json_array();
        rc |= json_array_append_new(coords, demogen_json_pos(t->node[ed->a].p));
        for (int v = 0; v < ed->nvia; v++)
            rc |= json_array_append_new(coords, demogen_json_pos(ed->via[v]));
        rc |= json_array_append_new(coords, demogen_json_pos(t->node[ed->b].p));
        if (rc != 0) {
            json_decref(props);
            json_decref(coords);
            json_decref(fc);
            return demogen_nomem_in(e, DEMOGEN_F_NETWORK);
        }
        if (json_array_append_new(
                features,
                demogen_json_feature(props, demogen_json_geometry("LineString", coords))) != 0) {
            json_decref(fc);
            return demogen_nomem_in(e, DEMOGEN_F_NETWORK);
        }
    }
    int rc = demogen_dump(dir, fname, fc, e);
    json_decref(fc);
    return rc;
}

static int demogen_write_districts(const struct demogen_town *t, const char *dir,
                                   const struct demogen_district *ds, size_t n, enum demogen_file f,
                                   struct err *e)
{
    json_t *features = NULL;
    json_t *fc = demogen_json_collection(
        f == DEMOGEN_F_ELEMENTARY ? "town_districts_elementary" : "town_districts_junior_high",
        f == DEMOGEN_F_ELEMENTARY ? "小学校区" : "中学校区", &features);
    if (fc == NULL)
        return demogen_nomem_in(e, f);
    for (size_t k = 0; k < n; k++) {
        json_t *props = json_object();
        int rc = json_object_set_new(props, "code", json_string(ds[k].code));
        rc |= json_object_set_new(props, "name", json_string(ds[k].name));
        rc |= json_object_set_new(props, "school", json_string(ds[k].school));
        if (rc != 0) {
            json_decref(props);
            json_decref(fc);
            return demogen_nomem_in(e, f);
        }
        json_t *geom = demogen_json_block(t, ds[k].i0, ds[k].j0, ds[k].i1, ds[k].j1);
        if (json_array_append_new(features, demogen_json_feature(props, geom)) != 0) {
            json_decref(fc);
            return demogen_nomem_in(e, f);
        }
    }
    int rc = demogen_dump(dir, demogen_file_names[f], fc, e);
    json_decref(fc);
    return rc;
}

static int demogen_write_population(const struct demogen_town *t, const char *dir, struct err *e)
{
    json_t *features = NULL;
    json_t *fc = demogen_json_collection("town_population", "町丁別人口（架空の数値）", &features);
    if (fc == NULL)
        return demogen_nomem_in(e, DEMOGEN_F_POPULATION);
    for (size_t k = 0; k < t->narea; k++) {
        const struct demogen_area *a = &t->area[k];
        json_t *props = json_object();
        int rc = json_object_set_new(props, "code", json_string(a->code));
        rc |= json_object_set_new(props, "name", json_string(a->name));
        rc |= json_object_set_new(props, "residents", json_integer(a->residents));
        rc |= json_object_set_new(props, "households", json_integer(a->households));
        rc |= json_object_set_new(props, "65歳以上人口", json_integer(a->aged65));
        rc |= json_object_set_new(props, "75歳以上人口", json_integer(a->aged75));
        rc |= json_object_set_new(props, "高齢単身世帯", json_integer(a->single_elderly));
        rc |= json_object_set_new(props, "0〜14歳人口", json_integer(a->children));
        rc |= json_object_set_new(props, "母子世帯", json_integer(a->single_mother));
        if (rc != 0) {
            json_decref(props);
            json_decref(fc);
            return demogen_nomem_in(e, DEMOGEN_F_POPULATION);
        }
        json_t *geom = demogen_json_block(t, a->i0, a->j0, a->i1, a->j1);
        if (json_array_append_new(features, demogen_json_feature(props, geom)) != 0) {
            json_decref(fc);
            return demogen_nomem_in(e, DEMOGEN_F_POPULATION);
        }
    }
    int rc = demogen_dump(dir, demogen_file_names[DEMOGEN_F_POPULATION], fc, e);
    json_decref(fc);
    return rc;
}

static int demogen_write_resources(const struct demogen_town *t, const char *dir, struct err *e)
{
    json_t *features = NULL;
    json_t *fc =
        demogen_json_collection("town_resources", "地域資源（相談窓口・居場所など）", &features);
    if (fc == NULL)
        return demogen_nomem_in(e, DEMOGEN_F_RESOURCES);
    for (size_t k = 0; k < DEMOGEN_NRESOURCES; k++) {
        const struct demogen_resource_spec *s = &demogen_resources[k];
        char id[16], contact[32];
        snprintf(id, sizeof id, "R%03zu", k + 1);
        snprintf(contact, sizeof contact, "0000-00-%04zu", k + 1);
        json_t *props = json_object();
        int rc = json_object_set_new(props, "id", json_string(id));
        rc |= json_object_set_new(props, "name", json_string(s->name));
        rc |= json_object_set_new(props, "kind", json_string(s->kind));
        rc |= json_object_set_new(props, "fields", json_string(s->fields));
        rc |= json_object_set_new(props, "hub_type", demogen_str_or_null(s->hub_type));
        rc |= json_object_set_new(props, "address", json_string(t->res_address[k]));
        rc |= json_object_set_new(props, "schedule", json_string(s->schedule));
        rc |= json_object_set_new(props, "contact", json_string(contact));
        rc |= json_object_set_new(props, "operator", json_string(s->operator_name));
        rc |= json_object_set_new(props, "target", json_string(s->target));
        if (rc != 0) {
            json_decref(props);
            json_decref(fc);
            return demogen_nomem_in(e, DEMOGEN_F_RESOURCES);
        }
        json_t *geom = demogen_json_geometry("Point", demogen_json_pos(t->res_at[k]));
        if (json_array_append_new(features, demogen_json_feature(props, geom)) != 0) {
            json_decref(fc);
            return demogen_nomem_in(e, DEMOGEN_F_RESOURCES);
        }
    }
    int rc = demogen_dump(dir, demogen_file_names[DEMOGEN_F_RESOURCES], fc, e);
    json_decref(fc);
    return rc;
}

static int demogen_write_candidates(const struct demogen_town *t, const char *dir, struct err *e)
{
    json_t *features = NULL;
    json_t *fc = demogen_json_collection("town_candidates", "新しい資源の候補地", &features);
    if (fc == NULL)
        return demogen_nomem_in(e, DEMOGEN_F_CANDIDATES);
    for (size_t k = 0; k < DEMOGEN_NCANDIDATES; k++) {
        char id[16];
        snprintf(id, sizeof id, "C%02zu", k + 1);
        json_t *props = json_object();
        int rc = json_object_set_new(props, "id", json_string(id));
        rc |= json_object_set_new(props, "name", json_string(demogen_candidates[k].name));
        rc |= json_object_set_new(props, "kind_hint", json_string(demogen_candidates[k].kind_hint));
        if (rc != 0) {
            json_decref(props);
            json_decref(fc);
            return demogen_nomem_in(e, DEMOGEN_F_CANDIDATES);
        }
        json_t *geom = demogen_json_geometry("Point", demogen_json_pos(t->cand_at[k]));
        if (json_array_append_new(features, demogen_json_feature(props, geom)) != 0) {
            json_decref(fc);
            return demogen_nomem_in(e, DEMOGEN_F_CANDIDATES);
        }
    }
    int rc = demogen_dump(dir, demogen_file_names[DEMOGEN_F_CANDIDATES], fc, e);
    json_decref(fc);
    return rc;
}

/* Decimal degrees with exactly 7 decimals from units of 1e-7 (v > 0). */
static void demogen_fmt_e7(char *buf, size_t size, long long v)
{
    snprintf(buf, size, "%lld.%07lld", v / 10000000LL, v % 10000000LL);
}

/* CSV without quoting: no field contains a comma, quote or line break. */
static int demogen_write_households(const struct demogen_town *t, const char *dir, struct err *e)
{
    struct demogen_out o;
    int rc = demogen_out_open(&o, dir, demogen_file_names[DEMOGEN_F_HOUSEHOLDS], e);
    if (rc != ERR_OK)
        return rc;
    fputs("id,lon,lat,members,needs,consent,agency\n", o.fp);
    for (size_t k = 0; k < t->nhh; k++) {
        const struct demogen_household *h = &t->hh[k];
        long long lon7, lat7;
        char lon[32], lat[32];
        demogen_to_e7(h->p, &lon7, &lat7);
        demogen_fmt_e7(lon, sizeof lon, lon7);
        demogen_fmt_e7(lat, sizeof lat, lat7);
        fprintf(o.fp, "H%04zu,%s,%s,%d,%s,%s,%s\n", k + 1, lon, lat, h->members, h->needs,
                h->consent ? "yes" : "no", h->agency);
    }
    return demogen_out_close(&o, rc, e);
}

/* README.md: what the files are, with counts taken from the town itself. */
static int demogen_write_readme(const struct demogen_town *t, const char *dir, struct err *e)
{
    static const char *const highways[] = {"primary",       "secondary", "residential",
                                           "living_street", "service",   "pedestrian",
                                           "footway",       "path",      "steps"};
    static const char *const kinds[] = {"consultation",    "hub",
                                        "salon",           "cafeteria",
                                        "gathering_place", "learning_support",
                                        "work_support",    "welfare_facility",
                                        "dementia_cafe",   "health_room"};
    size_t nedges = 0, nisland = 0, per_highway[sizeof highways / sizeof highways[0]] = {0};
    for (size_t k = 0; k < t->nedge; k++) {
        if (!t->edge[k].alive)
            continue;
        nedges++;
        nisland += t->edge[k].origin == DEMOGEN_O_ISLAND;
        for (size_t h = 0; h < sizeof highways / sizeof highways[0]; h++)
            per_highway[h] += strcmp(t->edge[k].highway, highways[h]) == 0;
    }
    long residents = 0, households = 0;
    for (size_t k = 0; k < t->narea; k++) {
        residents += t->area[k].residents;
        households += t->area[k].households;
    }
    size_t noff = 0;
    for (size_t k = 0; k < t->nhh; k++)
        noff += t->hh[k].off_network != 0;

    struct demogen_out o;
    int rc = demogen_out_open(&o, dir, demogen_file_names[DEMOGEN_F_README], e);
    if (rc != ERR_OK)
        return rc;
    FILE *fp = o.fp;
    fputs("# data/ — 架空市つなぐ町 (fictional demo town / 架空の町)\n\n"
          "**このディレクトリのデータはすべて架空です。** 「架空市つなぐ町」は実在しない町で、\n"
          "道路・学校区・町丁・人口・地域資源・世帯はすべてプログラムが生成したものです。\n"
          "実在の個人情報は一切含みません。電話番号はすべて 0000 で始まる架空の番号です。\n\n"
          "**Everything here is fictional.** 架空市つなぐ町 does not exist: its streets, school\n"
          "districts, census areas, population, resources and households are all generated by a\n"
          "program. No real personal data is present; every phone number starts with 0000 and\n"
          "cannot be dialled.\n\n"
          "## 生成方法 / How it is made\n\n"
          "`tsunagu generate-demo data` (src/demogen.c) writes every file here, this README\n"
          "included. The generator is deterministic (a fixed-seed splitmix64, no libm\n"
          "transcendentals): each run writes byte-identical files, and tests/test_demogen.c\n"
          "fails when these files differ from a fresh generation. Do not edit them by hand;\n"
          "change src/demogen.c and regenerate. 手で編集せず、src/demogen.c "
          "を変えて再生成してください。\n\n"
          "The town is built in metres around lon 136.95, lat 34.95 and converted with a local\n"
          "equirectangular approximation; coordinates are lon/lat (WGS84, practically equal to\n"
          "JGD2011) with 7 decimals. The location is arbitrary: nothing matches the real land\n"
          "there. Extent about 4 km × 3 km.\n\n"
          "## Files\n\n"
          "| file | contents | count |\n|---|---|---|\n",
          fp);
    fprintf(fp,
            "| town_network.geojson | walking network, one LineString per edge; lines meet "
            "only at shared end points. Properties `highway` (OSM), `name` (or null) | %zu edges:",
            nedges);
    for (size_t h = 0; h < sizeof highways / sizeof highways[0]; h++)
        fprintf(fp, "%s %s %zu", h ? "," : "", highways[h], per_highway[h]);
    fprintf(fp,
            " |\n| town_districts_elementary.geojson | 小学校区 (elementary-school districts), "
            "Polygons tiling the town. `code`, `name`, `school` | %zu |\n",
            DEMOGEN_NELEMENTARY);
    fprintf(fp,
            "| town_districts_junior_high.geojson | 中学校区, each exactly the union of three "
            "elementary districts (J01 = E01-E03, J02 = E04-E06) | %zu |\n",
            DEMOGEN_NJUNIOR);
    fprintf(fp,
            "| town_resources.geojson | 地域資源 Points: `id`, `name`, `kind`, `fields`, "
            "`hub_type`, `address`, `schedule` (OSM opening_hours), `contact`, `operator`, "
            "`target` | %zu:",
            DEMOGEN_NRESOURCES);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t n = 0;
        for (size_t r = 0; r < DEMOGEN_NRESOURCES; r++)
            n += strcmp(demogen_resources[r].kind, kinds[k]) == 0;
        fprintf(fp, "%s %s %zu", k ? "," : "", kinds[k], n);
    }
    fprintf(fp,
            " |\n| town_households.csv | synthetic at-risk households (架空の要支援世帯): "
            "`id,lon,lat,members,needs,consent,agency` | %zu (%zu off-network) |\n",
            t->nhh, noff);
    fprintf(fp,
            "| town_population.geojson | 町丁 census-like small areas tiling the town: "
            "`code`, `name`, `residents`, `households` and invented census-style indicators "
            "(65歳以上人口, 75歳以上人口, 高齢単身世帯, 0〜14歳人口, 母子世帯; つなぐ川辺 E04 "
            "deliberately under-identified for `tsunagu needs`) | %zu areas, %ld residents, "
            "%ld households |\n",
            t->narea, residents, households);
    fprintf(fp,
            "| town_candidates.geojson | candidate sites for new resources (schools, "
            "community centres): `id`, `name`, `kind_hint` | %zu |\n"
            "| README.md | this file | 1 |\n\n",
            DEMOGEN_NCANDIDATES);
    fprintf(fp,
            "## What the town is for / 町の仕掛け\n\n"
            "- A river crosses the town from west to east with only three bridges (にし橋,\n"
            "  つなぐ大橋, the footbridge ふれあい橋), so walking areas detour and have holes.\n"
            "- A hill park (丘の上公園) in the north-east has footways, paths and steps.\n"
            "- The river island 中之島 has %zu footpath edges connected to nothing: the network\n"
            "  has exactly two components.\n"
            "- Dead ends: three lanes into blocks, a farm road and the park lookout path.\n"
            "- South-east farmland has no streets; the %zu farm households there lie more than\n"
            "  500 m from any street, to exercise off-network reporting. Every other household\n"
            "  lies within 80 m of a street, every resource within 50 m.\n"
            "- Deliberate coverage gap: the north of つなぐ丘小学校区 (E05), and the northern\n"
            "  tip of つなぐ川辺小学校区 (E04) next to it, have no consultation desk (`kind`\n"
            "  consultation) within 30 minutes' walk at 80 m/min, and a cluster of households\n"
            "  lives there.\n"
            "- Needs (`needs`), agencies (包括A, 包括B, 社協, 相談支援, 子ども家庭) and consent\n"
            "  are drawn from plausible combinations; they describe no one.\n",
            nisland, noff);
    return demogen_out_close(&o, rc, e);
}

/* ---------------------------------------------------------------- entry */

int demogen_write(const char *dir, struct err *e)
{
    if (dir == NULL || dir[0] == '\0')
        return err_set(e, ERR_INPUT, "the demo data directory name is empty");
    if (strlen(dir) > DEMOGEN_DIR_MAX)
        return err_set(e, ERR_LIMIT, "the demo data directory name is longer than %d bytes",
                       DEMOGEN_DIR_MAX);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return err_set(e, ERR_IO, "cannot create the demo data directory %s: %s", dir,
                       strerror(errno));

    struct demogen_town *t = calloc(1, sizeof *t);
    if (t == NULL)
        return err_nomem(e);
    int rc = demogen_build(t, e);
    if (rc == ERR_OK)
        rc = demogen_write_network(t, dir, e);
    if (rc == ERR_OK)
        rc = demogen_write_districts(t, dir, demogen_elementary, DEMOGEN_NELEMENTARY,
                                     DEMOGEN_F_ELEMENTARY, e);
    if (rc == ERR_OK)
        rc = demogen_write_districts(t, dir, demogen_junior, DEMOGEN_NJUNIOR, DEMOGEN_F_JUNIOR, e);
    if (rc == ERR_OK)
        rc = demogen_write_resources(t, dir, e);
    if (rc == ERR_OK)
        rc = demogen_write_households(t, dir, e);
    if (rc == ERR_OK)
        rc = demogen_write_population(t, dir, e);
    if (rc == ERR_OK)
        rc = demogen_write_candidates(t, dir, e);
    if (rc == ERR_OK)
        rc = demogen_write_readme(t, dir, e);
    demogen_town_free(t);
    return rc;
}
