/* SPDX-License-Identifier: MIT */
/* route.h - outreach routes: orders home visits into a short walking tour
 * from a centre and back, split into days by a time budget, with arrival
 * times and the path along the streets.
 *
 * Method. The households (by id, or by district and need tag, read by the
 * store) and the start are snapped to the network; households off the
 * network, in a part of the network the start does not connect to, or too
 * far for one day (there, the visit, and back) are set aside with the reason.
 * Walking distances between all remaining places come from search_matrix
 * (bounded by a day's walk). tour.h orders them (exact Held-Karp up to
 * TOUR_EXACT_MAX_STOPS stops, else insertion + 2-opt + Or-opt), splits the
 * order into days (fewest days, then least walk), and re-optimises each
 * day's own tour. Paths: one search per leg from the leg's start, then a
 * walk back from the target through nodes whose cost equals a neighbour's
 * cost plus the edge (search_node on graph_view), the edges sliced with
 * graph_edge_slice; access legs are straight lines.
 *
 * Privacy. The result is household-level by nature (for the worker doing
 * the visits). Messages never name households: unknown ids are reported as
 * a count ("3 of the requested households are not known").
 *
 * Entry points: route_params_parse, route_params_clear, route_plan,
 * route_result_free, route_format_time, route_reason_word, route_path. */
#ifndef TSUNAGU_ROUTE_H
#define TSUNAGU_ROUTE_H

#include "err.h"
#include "store.h"
#include "tour.h"
#include "tour_windows.h"
#include "walk.h"

#include <stddef.h>

/* Explicit limits (ERR_INPUT outside the ranges, ERR_LIMIT past the counts). */
#define ROUTE_MAX_STOPS TOUR_MAX_STOPS           /* households per plan */
#define ROUTE_APPROX_NOTE "位置は町丁目の代表点" /* a stop placed at town level or coarser */
#define ROUTE_MAX_ID_LIST 16384                  /* bytes of a comma-separated id list */
#define ROUTE_MIN_DWELL 0.0                      /* minutes per visit */
#define ROUTE_MAX_DWELL 240.0
#define ROUTE_DEFAULT_DWELL 20.0
#define ROUTE_MIN_DAY 30.0 /* minutes of walking plus visits per day */
#define ROUTE_MAX_DAY 720.0
#define ROUTE_DEFAULT_DAY 240.0
#define ROUTE_DEFAULT_START_TIME 540           /* 09:00, minutes after midnight */
#define ROUTE_MAX_APPOINTMENTS ROUTE_MAX_STOPS /* households with a time window */

/* What to plan. Households come from `ids` (when nids > 0) or from
 * `district` + `need`. */
struct route_params {
    double start_lon, start_lat; /* the centre, WGS84 */
    const char *const *ids;      /* household ext_ids (borrowed), or NULL */
    size_t nids;                 /* entries in ids, 0..ROUTE_MAX_STOPS */
    const char *district;        /* district name or code (when nids == 0) */
    const char *level;           /* its level, or NULL for any */
    const char *need;            /* canonical need tag, or NULL for every household */
    int overdue;                 /* 1: the caller fills ids with the overdue households */
    double dwell_min;            /* minutes per visit */
    double day_min;              /* day budget: walking plus visits, minutes */
    double speed;                /* m/min, 0 = WALK_DEFAULT_SPEED */
    double steps_factor;         /* >= 1, 0 = 1 */
    double max_snap_m;           /* off-network limit, 0 = WALK_DEFAULT_SNAP_M */
    int start_time;              /* minutes after midnight the day starts */
    /* A day as it is lived (any of these plans each day in time,
     * tour_windows.h): appointments, an end place, lunch, a visit cap. */
    size_t nappt;             /* households with a window */
    const char **appt_ids;    /* their ids (into id_buf or appt_buf) */
    int *appt_open;           /* earliest visit start, minutes after midnight */
    int *appt_close;          /* latest visit start */
    int has_end;              /* 1: the day ends at end_lon, end_lat */
    double end_lon, end_lat;  /* where the day ends, WGS84 */
    int lunch_from, lunch_to; /* the lunch break; equal: none */
    int max_visits;           /* visits per day at most, 0: no cap */
    /* Owned by route_params_parse (released by route_params_clear). */
    char *id_buf;        /* copy of the id list text, cut at commas */
    const char **id_vec; /* pointers into id_buf */
    char *appt_buf;      /* copy of the appointments text */
};

/* The parameters as text (CLI options, HTTP query); NULL when not given. */
struct route_text {
    const char *start_lon, *start_lat; /* required */
    const char *households;            /* "ID,ID,..." */
    const char *district;              /* district name or code */
    const char *level;                 /* district level */
    const char *need;                  /* need tag (Japanese or English alias) */
    const char *dwell;                 /* minutes, default ROUTE_DEFAULT_DWELL */
    const char *day_minutes;           /* default ROUTE_DEFAULT_DAY */
    const char *speed;                 /* m/min or a walk preset */
    const char *steps_factor;          /* >= 1 */
    const char *max_snap;              /* metres */
    const char *start_time;            /* HH:MM, default 09:00 */
    const char *overdue;               /* "true": the households whose visit is due */
    const char *appointments;          /* "ID@HH:MM-HH:MM,..." (also as households entries) */
    const char *end_lon, *end_lat;     /* where the day ends; default the start */
    const char *lunch;                 /* "HH:MM-HH:MM" */
    const char *max_visits;            /* 1..TOUR_WINDOWS_MAX_STOPS */
};

/* Parses t into p: exactly one of households, district (need goes with
 * district) or overdue (the caller then lists the overdue households of
 * its scope in p->ids, overdue.h); every number in range; the day may not run past midnight.
 * ERR_INPUT with one sentence naming the parameter with `prefix` (never
 * echoing household ids), ERR_LIMIT for more than ROUTE_MAX_STOPS ids. The
 * caller releases p with route_params_clear, also after a failure. */
int route_params_parse(const struct route_text *t, const char *prefix, struct route_params *p,
                       struct err *e);
void route_params_clear(struct route_params *p);

/* Why a household is not in the plan. */
enum route_reason {
    ROUTE_OFF_NETWORK = 1, /* farther than the off-network limit from any street */
    ROUTE_UNREACHABLE = 2, /* no path from the start */
    ROUTE_TOO_FAR = 3      /* the walk there and back plus the visit exceeds a day */
};

/* One visit, in visiting order. */
struct route_stop {
    char *ext_id;    /* household id (owned) */
    int win_open;    /* its appointment: earliest start, or -1 without one */
    int win_close;   /* latest start, or -1 */
    double x, y;     /* position, database CRS */
    double lon, lat; /* position, WGS84 */
    int approx;      /* 1: placed from its address at town or municipality level only, so the
                        position (and the walks to it) are those of that level's
                        representative point (issue 11) */
    double walk_m;   /* walk from the previous place (the start or the previous stop) */
    double arrive;   /* minutes after midnight */
    double leave;    /* arrive + dwell */
};

/* One day: stops[first .. first + count) of the result. */
struct route_day {
    size_t first;   /* index of the day's first stop in result->stops */
    size_t count;   /* visits that day */
    double walk_m;  /* walking that day, back to the start (or the end) included */
    double back_m;  /* the last leg, back to the start (or to the end) */
    double minutes; /* walking minutes plus visits */
    double end;     /* minutes after midnight when the worker is back */
    double *line;   /* the path as lon,lat pairs (owned), start to start */
    size_t nline;   /* points in line */
};

/* A household left out, with the reason. */
struct route_unreachable {
    char *ext_id; /* household id (owned) */
    int reason;   /* enum route_reason */
};

/* A plan (caller frees with route_result_free). */
struct route_result {
    double start_lon, start_lat; /* the centre as given */
    double start_x, start_y;     /* the centre, database CRS */
    double speed;                /* m/min */
    double dwell_min;            /* minutes per visit */
    double day_min;              /* day budget */
    int start_time;              /* minutes after midnight */
    int exact;                   /* 1 when the whole tour was solved exactly */
    int scheduled;               /* 1 when planned in time (tour_windows.h) */
    int has_end;                 /* 1: days end at end_lon, end_lat, not the start */
    double end_lon, end_lat;     /* the end as given */
    double end_x, end_y;         /* the end, database CRS */
    int lunch_from, lunch_to;    /* the lunch break (equal: none) */
    int max_visits;              /* visits per day at most (0: no cap) */
    size_t nstops;               /* visits planned */
    struct route_stop *stops;    /* in visiting order, day by day */
    size_t ndays;
    struct route_day *days;
    double total_walk_m; /* sum of the days' walks */
    size_t nunreachable;
    struct route_unreachable *unreachable; /* in request (or id) order */
    double solve_ms;                       /* wall time of matrix + tour + split */
};

/* Plans the route (see the header comment) with ws's search workspace (ws
 * made on net). ERR_INPUT for bad parameters or a start off the network,
 * ERR_NOTFOUND when requested households are unknown (a count, no ids) or
 * the district does not exist, ERR_LIMIT past ROUTE_MAX_STOPS. With
 * appointments, an end, lunch or a visit cap the days are planned in time
 * (tour_windows_days: at most TOUR_WINDOWS_MAX_STOPS visits a day, each
 * day exact); an appointment that no day can keep is ERR_INPUT with one
 * sentence naming its place in the list and its window (never the id).
 * No households selected is not an error: the plan is empty. On failure
 * *out is NULL. */
int route_plan(struct store *st, const struct walk_net *net, struct walk_session *ws,
               const struct route_params *p, struct route_result **out, struct err *e);

/* Frees a result; NULL is ignored. */
void route_result_free(struct route_result *r);

/* Writes minutes after midnight as "HH:MM" (rounded to the minute) into buf. */
void route_format_time(double minutes, char *buf, size_t n);

/* Short English word for a reason: "off_network", "unreachable", "too_far". */
const char *route_reason_word(int reason);

/* The walking path from q's origin (lon, lat) to the point to_lon, to_lat
 * along the streets, with q's speed and steps factor, traced as a route leg
 * is: *line gets lon,lat pairs (owned by the caller, free()), *nline the
 * points, *walk_m the walking distance including both access legs.
 * ERR_INPUT for a query walk_query_check refuses, a point outside the data
 * or off the network; ERR_NOTFOUND when the point is not within q's minutes
 * of walking (or not connected). *line is NULL on failure. */
int route_path(struct walk_session *ws, const struct walk_net *net, const struct walk_query *q,
               double to_lon, double to_lat, double **line, size_t *nline, double *walk_m,
               struct err *e);

#endif
