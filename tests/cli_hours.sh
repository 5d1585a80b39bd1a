#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_hours.sh - opening times end to end (issue 12, "Opening times"): the
# demo town plus a hand-written resource file whose schedules are Japanese
# texts (written for this test), OSM opening_hours and one free text.
# Checks: import stores the Japanese texts as opening_hours and keeps the
# free text as written; `tsunagu info` lists it as unparsed; `walk` and
# `coverage` with --open-at / --open-on (and /api/walk, /api/coverage with
# open_at / open_on) keep only the resources open then, with answers worked
# out by hand from the calendar: a Wednesday against a Sunday, the 2nd
# Wednesday of December 2026 (the 9th) against the 3rd (the 16th), a public
# holiday (2026-11-23, 勤労感謝の日, a Monday) against the next day, the last
# Sunday of the month; `walk` shows each resource's next opening; bad values
# are refused with one sentence naming the option.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
. "$(dirname "$0")/lib.sh"
tl_need jq curl sqlite3
tl_scratch
DB=$T/hours.db
tl_demo_db "$DB"

# All at the central community hall (on the network); kind cafeteria.
cat >"$T/res.csv" <<'CSV'
id,name,kind,schedule,lon,lat
J1,第2第4水曜の食堂,cafeteria,第2・第4水曜日 10時〜12時,136.9444384,34.9448145
J2,平日の相談食堂,cafeteria,毎週月〜金 8:30〜17:15（土日祝休み）,136.9444384,34.9448145
J3,予約制の食堂,cafeteria,要予約,136.9444384,34.9448145
J4,全角の食堂,cafeteria,平日 ９：００－１７：００,136.9444384,34.9448145
J5,月末日曜の食堂,cafeteria,Su[-1] 10:00-12:00,136.9444384,34.9448145
CSV
"$BIN" --db "$DB" import resources "$T/res.csv" --source hours >"$T/imp.out" 2>&1
check "the hand-written resources import" test $? -eq 0
stored=$(sqlite3 "$DB" "SELECT group_concat(ext_id || '=' || schedule, '|') FROM (SELECT * FROM resources WHERE source = 'hours' ORDER BY ext_id)")
check "Japanese schedules are stored as opening_hours, the free text as written" test "$stored" = \
  "J1=We[2,4] 10:00-12:00|J2=Mo-Fr 08:30-17:15; Sa,Su,PH off|J3=要予約|J4=Mo-Fr 09:00-17:00|J5=Su[-1] 10:00-12:00"

"$BIN" --db "$DB" info >"$T/info.out" 2>&1
check "info lists the unparsed schedule with its resource" grep -q "unparsed schedule  予約制の食堂: 要予約" "$T/info.out"
check "info counts schedules and unparsed ones" grep -q "schedules  51, 1 unparsed" "$T/info.out"

# ids J* reachable from the hall with the given options (sorted, comma-joined).
W="--lon 136.9444384 --lat 34.9448145 --minutes 5 --kind cafeteria"
js() { "$BIN" --db "$DB" walk $W "$@" --json | jq -r '[.resources[].id | select(startswith("J"))] | sort | join(",")'; }
check "no filter: all five" test "$(js)" = "J1,J2,J3,J4,J5"
check "2nd Wednesday 10:00: J1 J2 J4" test "$(js --open-at 2026-12-09T10:00)" = "J1,J2,J4"
check "3rd Wednesday 10:00: J1 drops out" test "$(js --open-at 2026-12-16T10:00)" = "J2,J4"
check "Wednesday 12:30: J2 J4 (J1 ends at noon)" test "$(js --open-at 2026-12-09T12:30)" = "J2,J4"
check "a Sunday that is not the last: none" test "$(js --open-at 2026-12-13T10:00)" = ""
check "the last Sunday: J5" test "$(js --open-at 2026-12-27T10:00)" = "J5"
check "a holiday Monday (2026-11-23): J2 closed (祝休み), J4 open" test "$(js --open-at 2026-11-23T10:00)" = "J4"
check "the Tuesday after: J2 J4" test "$(js --open-at 2026-11-24T10:00)" = "J2,J4"
check "--open-on We: J1 J2 J4" test "$(js --open-on We)" = "J1,J2,J4"
check "--open-on 日: J5" test "$(js --open-on 日)" = "J5"

"$BIN" --db "$DB" walk $W --open-at 2026-12-16T12:30 --json >"$T/w.json"
check "JSON echoes open_at" test "$(jq -r .open_at "$T/w.json")" = "2026-12-16T12:30"
check "next_open of an open resource is the asked time" \
  test "$(jq -r '.resources[] | select(.id == "J2") | .next_open' "$T/w.json")" = "2026-12-16T12:30"
"$BIN" --db "$DB" walk $W --json >"$T/all.json"
check "next_open is null for an unparsed schedule" \
  test "$(jq -r '.resources[] | select(.id == "J3") | .next_open' "$T/all.json")" = null
check "next_open of J1 is a 10:00 on a 2nd or 4th Wednesday" \
  bash -c "jq -r '.resources[] | select(.id == \"J1\") | .next_open' '$T/all.json' | grep -qE '^20[0-9]{2}-[0-9]{2}-(0[89]|1[0-4]|2[2-8])T10:00$'"
"$BIN" --db "$DB" walk $W --open-at 2026-12-09T10:00 >"$T/w.txt"
check "the table says the filter" grep -q "open at 2026-12-09T10:00 (Japan time)" "$T/w.txt"
check "the table shows the next opening" grep -q "第2第4水曜の食堂  | We\[2,4\] 10:00-12:00  | next 2026-12-09T10:00" "$T/w.txt"

for a in "--open-at 2026-02-30T10:00|--open-at '2026-02-30T10:00' names a day the calendar does not have" \
         "--open-at 2026-12-09|is not a local time written as YYYY-MM-DDTHH:MM" \
         "--open-at 2031-01-06T10:00|known for 2024..2030 only" \
         "--open-on Xx|--open-on 'Xx' is not a weekday" \
         "--open-on We --open-at 2026-12-09T10:00|give --open-at or --open-on, not both"; do
  opt=${a%%|*} want=${a#*|}
  "$BIN" --db "$DB" walk $W $opt >"$T/o" 2>"$T/e"
  rc=$?
  check "walk $opt -> exit 2: $want" sh -c "[ $rc -eq 2 ] && grep -qF -- \"$want\" '$T/e'"
done

# Coverage: salons (the demo town's) meet on weekdays, none on Sunday.
cov() { "$BIN" --db "$DB" coverage --kind salon --minutes 15 --json "$@" | jq -r .total.households_covered; }
all=$(cov)
wed=$(cov --open-at 2026-12-09T14:00)
sun=$(cov --open-on Su)
check "coverage on a Sunday covers nobody" test "$sun" = 0
check "coverage at a Wednesday salon hour covers fewer than all salons, more than none ($wed of $all)" \
  test "$wed" -gt 0 -a "$wed" -lt "$all"
check "coverage --open-on Sa differs from --open-on We" test "$(cov --open-on Sa)" != "$(cov --open-on We)"
"$BIN" --db "$DB" coverage --kind salon --minutes 15 --open-at 2026-12-09T14:00 >"$T/cov.txt" 2>&1
check "the coverage table says the filter" grep -q "^Only resources open at 2026-12-09T14:00 (Japan time)$" "$T/cov.txt"

# ---- the same over HTTP ----
TOK=$("$BIN" --db "$DB" user add hours-official --role official 2>/dev/null)
"$BIN" --db "$DB" serve --port 0 --threads 2 --quiet >"$T/srv" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv" "$SRV")
if [ -z "$PORT" ]; then
  bad "the server did not start: $(cat "$T/srv.err")"
else
  U="http://127.0.0.1:$PORT/api/walk?lon=136.9444384&lat=34.9448145&minutes=5&kind=cafeteria"
  hj() { curl -s "$U$1" | jq -r '[.resources[].id | select(startswith("J"))] | sort | join(",")'; }
  check "/api/walk open_at 2nd Wednesday: J1 J2 J4" test "$(hj '&open_at=2026-12-09T10:00')" = "J1,J2,J4"
  check "/api/walk open_at 3rd Wednesday: J2 J4" test "$(hj '&open_at=2026-12-16T10:00')" = "J2,J4"
  check "/api/walk open_at holiday: J4" test "$(hj '&open_at=2026-11-23T10:00')" = "J4"
  check "/api/walk open_on=Su: J5" test "$(hj '&open_on=Su')" = "J5"
  code=$(curl -s -o "$T/e.json" -w '%{http_code}' "$U&open_at=tomorrow")
  check "/api/walk open_at=tomorrow -> 400 naming open_at" sh -c "[ $code = 400 ] && grep -q \"open_at 'tomorrow'\" '$T/e.json'"
  C="http://127.0.0.1:$PORT/api/coverage?kind=salon&minutes=15"
  hc() { curl -s -H "Authorization: Bearer $TOK" "$C$1" | jq -r .total.households_covered; }
  check "/api/coverage open_on=Su covers nobody" test "$(hc '&open_on=Su')" = 0
  check "/api/coverage open_at Wednesday agrees with the CLI ($wed)" test "$(hc '&open_at=2026-12-09T14:00')" = "$wed"
  kill -TERM "$SRV"; wait "$SRV"; SRV=
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
