#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_report.sh - drives the real `tsunagu report` and reads what it wrote
# back with poppler, as a reader would:
#   - the PDF is A4, its text (pdftotext) holds the title with the
#     municipality, the conditions, every district's name and table row,
#     the credits and "not shown"; --per-district adds a page per district;
#   - the map on page 1, rendered to pixels (pdftoppm), is shaded in the
#     coverage classes in the proportions of the districts' areas: the
#     covered districts blue, E05 (10.1 %) red, and for an official the
#     districts whose figures are hidden hatched grey, shaded by their
#     share only in the operator's report;
#   - suppression: the official's report (the default) shows none of the
#     figures /api/coverage hides, anywhere in its text, the operator's
#     report shows them (so the check can fail);
#   - --out FILE.png writes the map alone (a 1600 x 1200 PNG);
#   - bad inputs (unknown level or kind, bad minutes, an unwritable path, a
#     wrong ending, a role without coverage) give one sentence, a non-zero
#     exit and no file, not even a partial one;
#   - GET /api/report.pdf: 401 anonymous, 403 outreach, the official's PDF
#     hiding what the CLI's official report hides, 400/404 for bad queries;
#   - real 生駒市 districts, facilities and census areas (../shared/data),
#     over a synthetic street grid and synthetic households (there is no
#     street network for 生駒市 there), when present.
set -u
BIN=${TSUNAGU_BIN:?}
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
SHARED=${TSUNAGU_SHARED:-}
. "$(dirname "$0")/lib.sh"
tl_need pdftotext pdftoppm pdfinfo python3
tl_scratch
DB=$T/demo.db
tl_demo_db "$DB"
rep() { "$BIN" --db "$DB" report "$@" >"$T/out" 2>"$T/err"; }

# ---- the official's report (the default role) ----

rep --level elementary --kind consultation --minutes 30 --out "$T/r.pdf"
check "report writes the PDF" test $? -eq 0 -a -s "$T/r.pdf"
check "it says where" grep -qx "wrote $T/r.pdf" "$T/out"
pdfinfo "$T/r.pdf" >"$T/info"
check "the page is A4 (595 x 842 pt)" grep -q "Page size: *595.276 x 841.89 pts (A4)" "$T/info"
pdftotext -layout "$T/r.pdf" "$T/r.txt"
# ---- the equipment table (--equipment): the answer of `equipment` ----
rep --level elementary --kind consultation --minutes 30 --equipment --out "$T/eq.pdf"
check "report --equipment writes the PDF" test $? -eq 0 -a -s "$T/eq.pdf"
pdftotext -layout "$T/eq.pdf" "$T/eq.txt"
"$BIN" --db "$DB" equipment --level elementary --json >"$T/eq.json"
check "its equipment table holds, per district, the residents and each kind's count of \`equipment\`, and the kinds it has none of" \
  python3 - "$T/eq.txt" "$T/eq.json" <<'PY'
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
doc = json.load(open(sys.argv[2], encoding="utf-8"))
part = text[text.index("区域別の資源"):]
names = {"consultation": "相談窓口", "salon": "サロン", "cafeteria": "子ども食堂", "hub": "居場所",
         "welfare_facility": "福祉施設", "work_support": "就労体験", "health_room": "まちの保健室",
         "dementia_cafe": "認知症カフェ", "gathering_place": "通いの場", "learning_support": "学習支援"}
shown = doc["kinds"][:8]
codes = {d["code"] for d in doc["districts"]}
for d in doc["districts"]:
    line = next(l for l in part.splitlines() if l.split()[:1] == [d["code"]])
    nums = [int(t) for t in line.split()[2:2 + 1 + len(shown)]]
    want = [d["residents"]] + [d["resources"][k] for k in shown]
    assert nums == want, (d["code"], nums, want)
    # The row's own lines: up to the next district's row or the total.
    lines = part[part.index(line):].splitlines()
    seg = [lines[0]]
    for l in lines[1:]:
        if l.split()[:1] and (l.split()[0] in codes or l.split()[0] == "全体" or "区域別" in l):
            break
        seg.append(l)
    flat = re.sub(r"\s+", "", "".join(seg))
    for k in d["none"]:
        assert names.get(k, k) in flat, (d["code"], k, flat)
sys.exit(0)
PY
check "the report without --equipment has no equipment table" bash -c "! grep -q 区域別の資源 '$T/r.txt'"

# ---- the needs table (--needs): exactly the official's `needs` answer ----
# Every district row of the PDF's needs table holds the figures of `needs
# --official --json` for the same level, need and indicator, hidden cells
# included (null reads 非表示, "<5" stays "<5"); with every need, each tag's
# column likewise.
needs_rows() { # PDF JSON: every row of the needs table equals the JSON's
  pdftotext -layout "$1" "$1.txt" && python3 - "$1.txt" "$2" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
doc = json.load(open(sys.argv[2], encoding="utf-8"))
part = text[text.index("区域別の把握状況"):]
def cell(v, digits=0):
    if v is None: return "非表示"
    if isinstance(v, bool): return "はい" if v else "いいえ"
    if isinstance(v, str): return v
    if isinstance(v, int): return str(v)
    return ("%.0f" % v) if digits == 0 and abs(v - round(v)) < 0.005 else "%.2f" % v
need, per = doc["need"], doc["per"]
def want(d):
    w = []
    if per: w.append(cell(d["indicators"].get(per)))
    w.append(cell(d["households"]))
    if need: w.append(cell(d["needs"].get(need)))
    else: w += [cell(d["needs"].get(t)) for t in doc["tags"]]
    if per: w += [cell(d["rate_per_1000"], 2), cell(d["under_identified"])]
    return w
n = 0
for d in doc["districts"] + [doc["total"]]:
    key = d["code"] or "全体"
    # The first table's row, then the rows of its continuations (more tags
    # than one page's width: code, name and households again).
    lines = [l.split() for l in part.splitlines() if l.split()[:1] == [key]]
    skip = 2 if d["code"] else 1
    got = lines[0][skip:] + [t for l in lines[1:] for t in l[skip + 1:]]
    assert got[:len(want(d))] == want(d), (key, got, want(d))
    n += 1
print(n, "rows")
PY
}
rep --level elementary --kind consultation --minutes 30 --needs --need 高齢独居 --per 高齢単身世帯 --out "$T/nd.pdf"
check "report --needs --need 高齢独居 --per 高齢単身世帯 writes the PDF" test $? -eq 0 -a -s "$T/nd.pdf"
"$BIN" --db "$DB" needs --level elementary --need 高齢独居 --per 高齢単身世帯 --official --json >"$T/nd.json"
check "... hidden cells in the official's answer (so the check can fail)" test "$(jq '[.districts[] | .needs["高齢独居"] | select(. == null)] | length' "$T/nd.json")" -ge 1
check "its needs table: every row's indicator, households, 高齢独居, rate and flag equal \`needs --official --json\`, hidden as there" needs_rows "$T/nd.pdf" "$T/nd.json"
check "E04 つなぐ川辺 flagged as under-identified (22 of 553)" grep -qE "^ *E04 +つなぐ川辺小学校区 +553 +非表示 +22 +39.78 +はい" "$T/nd.pdf.txt"
rep --level elementary --kind consultation --minutes 30 --needs --out "$T/nall.pdf"
"$BIN" --db "$DB" needs --level elementary --official --json >"$T/nall.json"
check "with every need: each tag's column equals the official's answer ($(jq '.tags | length' "$T/nall.json") tags, over two tables)" needs_rows "$T/nall.pdf" "$T/nall.json"
check "... where \"<5\" stays \"<5\"" grep -q "<5" <(sed -n '/区域別の把握状況/,$p' "$T/nall.pdf.txt")
# An attacker's reading: take every figure the official's answer hides
# (the operator's value where the official's is null or "<5", rates
# included); none of those that the answer does not show elsewhere may be in
# the official's needs table, and the operator's report shows them (control).
rep --level elementary --kind consultation --minutes 30 --needs --role operator --out "$T/nop.pdf"
pdftotext -layout "$T/nop.pdf" "$T/nop.txt"
"$BIN" --db "$DB" needs --level elementary --json >"$T/nall_op.json"
"$BIN" --db "$DB" needs --level elementary --need 高齢独居 --per 高齢単身世帯 --json >"$T/nd_op.json"
hidden_figs() { # OFFICIAL.json OPERATOR.json ...: the hidden figures, one a line
  python3 - "$@" <<'PY'
import json, sys
fs = sys.argv[1:]
hidden, shown = set(), set()
def walk(o, p, path=""):
    if isinstance(o, dict):
        for k in o:
            walk(o[k], p.get(k) if isinstance(p, dict) else None, path + "." + k)
    elif isinstance(o, list):
        for i, x in enumerate(o):
            walk(x, p[i] if isinstance(p, list) and i < len(p) else None, path)
    elif (o is None or o == "<5") and isinstance(p, (int, float)) and not isinstance(p, bool):
        hidden.add(str(p) if isinstance(p, int) else "%.2f" % p)
    elif isinstance(o, (int, float)) and not isinstance(o, bool):
        shown.add(str(o) if isinstance(o, int) else "%.2f" % o)
        if isinstance(o, float) and abs(o - round(o)) < 0.005: shown.add("%.0f" % o)
for off, op in zip(fs[0::2], fs[1::2]):
    walk(json.load(open(off)), json.load(open(op)))
print("\n".join(sorted(hidden - shown)))
PY
}
hidden_figs "$T/nall.json" "$T/nall_op.json" "$T/nd.json" "$T/nd_op.json" >"$T/hidden.txt"
ntok() { sed -n '/区域別の把握状況/,/ページ$/p' "$1" | tr -s ' \n' '\n\n' | grep -cxFf "$T/hidden.txt"; }
check "the figures the official's needs answer hides ($(wc -l <"$T/hidden.txt") of them)" test "$(wc -l <"$T/hidden.txt")" -ge 3
check "the operator's needs table shows some of them (control: $(ntok "$T/nop.txt"))" test "$(ntok "$T/nop.txt")" -ge 3
check "the official's needs tables show none of them" test "$(ntok "$T/nd.pdf.txt")" -eq 0 -a "$(ntok "$T/nall.pdf.txt")" -eq 0
check "the report without --needs has no needs table" bash -c "! grep -q 区域別の把握状況 '$T/r.txt'"

# ---- --compare LABEL: the change since a snapshot in every table ----
# On a copy: a snapshot, then 12 more households and one more salon (as
# tests/cli_snapshot.sh); each change cell equals `coverage|needs --compare
# --json`'s change, hidden (null) there reads hidden here.
CDB=$T/cmp.db
cp "$DB" "$CDB"
"$BIN" --db "$CDB" snapshot --label 2026年度 --level elementary --kind consultation,salon --minutes 30 --need 高齢独居 --per 高齢単身世帯 >/dev/null
{ head -1 "$SRC/data/town_households.csv"; sed -n 2,13p "$SRC/data/town_households.csv" | sed 's/^H/Z/'; } >"$T/more.csv"
"$BIN" --db "$CDB" import households "$T/more.csv" >/dev/null
printf 'name,kind,lon,lat\n新しいサロン,salon,%s\n' "$(sed -n 2p "$SRC/data/town_households.csv" | cut -d, -f2,3)" >"$T/salon.csv"
"$BIN" --db "$CDB" import resources "$T/salon.csv" >/dev/null
crep() { "$BIN" --db "$CDB" report "$@" >"$T/out" 2>"$T/err"; }
crep --level elementary --kind consultation --minutes 30 --needs --need 高齢独居 --per 高齢単身世帯 --equipment --compare 2026年度 --out "$T/c.pdf"
check "report --compare 2026年度 writes the PDF" test $? -eq 0 -a -s "$T/c.pdf"
pdftotext -layout "$T/c.pdf" "$T/c.txt"
check "the title states the snapshot's label and date" grep -q "スナップショット「2026年度」（$(date -u +%Y-%m-%d) 作成）からの変化を併記" "$T/c.txt"
"$BIN" --db "$CDB" coverage --compare 2026年度 --json >"$T/ccov.json"
"$BIN" --db "$CDB" needs --compare 2026年度 --json >"$T/cneeds.json"
"$BIN" --db "$CDB" needs --level elementary --need 高齢独居 --per 高齢単身世帯 --official --json >"$T/cnd.json"
check "its needs table is still the official's answer now" needs_rows "$T/c.pdf" "$T/cnd.json"
check "every row's change column equals \`coverage --compare\` (share, points) and \`needs --compare\` (高齢独居), hidden then or now read hidden" \
  python3 - "$T/c.txt" "$T/ccov.json" "$T/cneeds.json" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
cov, nd = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
def fmt(ch, pt, hidden):
    if ch is None: return hidden
    v = 100 * ch if pt else ch
    if abs(v) < (0.05 if pt else 0.005): return "±0pt" if pt else "±0"
    return ("%+.1fpt" % v) if pt else "%+.0f" % v
def last(part, key):
    line = next(l for l in part.splitlines() if l.split()[:1] == [key])
    return line.split()[-1]
seen = {"–": 0, "非表示": 0, "num": 0}
for doc, head, path, pt, hidden in ((cov, "区域別のカバー率", "by_kind.consultation.share_covered", True, "–"),
                                    (nd, "区域別の把握状況", "needs.高齢独居", False, "非表示")):
    part = text[text.index(head):]
    for d in doc["districts"] + [dict(doc["total"], code=None)]:
        c = d["changes"].get(path)
        want = fmt(c["change"] if c else None, pt, hidden)
        got = last(part, d["code"] or "全体")
        assert got == want, (head, d["code"], got, want)
        seen[want if want == hidden else "num"] += 1
        if c and c["change"] is None:
            assert got == hidden
assert seen["–"] and seen["非表示"] and seen["num"], seen
PY
check "the equipment table's change: one salon more in E01 and in total" \
  test -n "$(grep -E "^ *E01 .*サロン \+1" "$T/c.txt")" -a -n "$(grep -E "^ *全体 .*サロン \+1" "$T/c.txt")"
check "the report's change columns hide what the compare answers hide: no change shown where then or now is hidden" \
  test "$(jq '[.districts[] | .changes["needs.高齢独居"] | select(. == null or .change == null)] | length' "$T/cneeds.json")" -eq "$(sed -n '/区域別の把握状況/,/ページ$/p' "$T/c.txt" | grep -E '^ *E0[1-6] ' | awk '$NF == "非表示"' | wc -l)"
mkdir -p "$T/bad"
while IFS='|' read -r what args expect; do
  crep $args
  rc=$?
  check "$what: non-zero exit ($rc)" test $rc -ne 0
  check "$what: one sentence naming it ($(head -c 100 "$T/err"))" test "$(wc -l <"$T/err")" -eq 1 -a -n "$(grep -- "$expect" "$T/err")"
  check "$what: no file left" test -z "$(ls -A "$T/bad")"
done <<EOF2
an unknown snapshot|--level elementary --kind consultation --minutes 30 --compare 2030年度 --out $T/bad/r.pdf|no snapshot named '2030年度'
a snapshot of other minutes|--level elementary --kind consultation --minutes 10 --compare 2026年度 --out $T/bad/r.pdf|taken for level elementary, kinds consultation,salon and 30 minutes
a kind the snapshot lacks|--level elementary --kind cafeteria --minutes 30 --compare 2026年度 --out $T/bad/r.pdf|one of those kinds
--need without --needs|--level elementary --kind consultation --need 高齢独居 --out $T/bad/r.pdf|add --needs
an unknown indicator|--level elementary --kind consultation --needs --need 高齢独居 --per 宇宙人口 --out $T/bad/r.pdf|宇宙人口
--compare on a PNG|--level elementary --kind consultation --compare 2026年度 --out $T/bad/r.png|--compare needs a PDF
EOF2

check "title names the municipality and the limit" grep -q "架空市（デモの町）.*徒歩 30 分で consultation に届く世帯の割合" "$T/r.txt"
check "conditions: date, kind, speed, level, role" \
  grep -q "作成日 $(date +%Y-%m-%d) ／ 資源の種類 consultation ／ 徒歩 30 分（80 m/分、2400 m まで）／ 区域 elementary ／ 担当職員向け" "$T/r.txt"
check "the sources' credits" grep -q "出典: 架空のデータ（tsunagu デモの町）" "$T/r.txt"
check "the map's CRS" grep -q "EPSG:6675" "$T/r.txt"
check "the legend has a not-shown swatch" grep -q "非表示 (not shown" "$T/r.txt"
for n in つなぐ北小学校区 つなぐ中央小学校区 つなぐ南小学校区 つなぐ川辺小学校区 つなぐ丘小学校区 つなぐ東小学校区; do
  c=$(grep -c "$n" "$T/r.txt")
  check "$n on the map and in the table ($c times)" test "$c" -ge 2
done
row() { grep -E "^ *$1 " "$2" | head -1 | tr -s ' '; }
# E01's covered is hidden: with the nest lines of J01 = E01 + E02 + E03 it
# would give away E03's by subtraction (disclose_plan.c).
check "table row E01 (covered hidden by the nest lines)" test "$(row E01 "$T/r.txt")" = "E01 つなぐ北小学校区 65 – – 0 10.0 22.6 2449 2449"
check "table row E05 (the gap: 7 of 69)" test "$(row E05 "$T/r.txt")" = "E05 つなぐ丘小学校区 69 7 10.1% 0 37.1 42.1 1692 789"
check "table row E06: 3 off the network read <5, its households, covered, share and minutes not shown" \
  test "$(row E06 "$T/r.txt")" = "E06 つなぐ東小学校区 – – – <5 – – 605 320"
check "the total row" grep -qE "^ *全体 +350 +281 +80.3% +<5 " "$T/r.txt"

# Suppression against the operator's full report: the figures the official
# may not see (E03's 47, E04's households 62, E06's 17 and 3, the shares
# 93.5 % and 85.0 %) are nowhere in the official's text, every page.
rep --level elementary --kind consultation --minutes 30 --out "$T/op.pdf" --role operator --per-district
check "operator report" test $? -eq 0
rep --level elementary --kind consultation --minutes 30 --out "$T/off.pdf" --per-district
check "official report with a page per district" test $? -eq 0
pages() { pdfinfo "$1" | sed -n 's/^Pages: *//p'; }
check "--per-district: 1 page + 6 districts" test "$(pages "$T/off.pdf")" -eq 7
pdftotext -layout "$T/op.pdf" "$T/op.txt"
pdftotext -layout "$T/off.pdf" "$T/off.txt"
tokens() { grep -v "ページ$" "$1" | tr -s ' \n' '\n\n' | grep -cxE "62|47|17|3|93\.5%|85\.0%"; }
check "the operator's report shows the figures (control: $(tokens "$T/op.txt") tokens)" test "$(tokens "$T/op.txt")" -ge 5
check "the official's report shows none of them on any page" test "$(tokens "$T/off.txt")" -eq 0
check "the operator's report shows E06's row whole" \
  test "$(row E06 "$T/op.txt")" = "E06 つなぐ東小学校区 20 17 85.0% 3 13.8 22.0 605 320"
check "the official's district page of E04 hides its households" \
  grep -qE "^ *世帯 +–" <(sed -n '/E04 つなぐ川辺小学校区/,/ページ/p' "$T/off.txt")
check "the per-district page of E05 has its figures" \
  grep -qE "^ *カバー率 +10.1%" <(sed -n '/E05 つなぐ丘小学校区/,/ページ/p' "$T/off.txt")

# ---- the map in pixels ----
# Shares of the map's pixels in each class colour of page 1, and the
# districts' areas from the demo town's file (same projection within the
# few kilometres of the town: the ratio of areas is what is compared).
pix() {
  pdftoppm -r 60 -f 1 -l 1 "$1" "$T/pix" && python3 - "$T"/pix-1.ppm <<'PY'
import sys
b = open(sys.argv[1], 'rb').read()
parts = b.split(maxsplit=4)
w, h, data = int(parts[1]), int(parts[2]), parts[4]
counts = {}
for i in range(0, w * h * 3, 3):
    k = data[i:i + 3].hex()
    counts[k] = counts.get(k, 0) + 1
for k in ('2166ac', '92c5de', 'fdd49e', 'ef8a62', 'b2182b', 'd0d0d0'):
    print(k, counts.get(k, 0))
PY
}
area() {
  python3 - "$SRC/data/town_districts_elementary.geojson" "$@" <<'PY'
import json, sys
fs = {f['properties'].get('code') or f['properties'].get('A27_003'): f for f in json.load(open(sys.argv[1]))['features']}
def ring(r):
    return abs(sum(r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1] for i in range(len(r) - 1))) / 2
def area(g):
    polys = [g['coordinates']] if g['type'] == 'Polygon' else g['coordinates']
    return sum(ring(p[0]) - sum(ring(h) for h in p[1:]) for p in polys)
print(sum(area(fs[c]['geometry']) for c in sys.argv[2:]))
PY
}
pix "$T/r.pdf" >"$T/pix.off"
pix "$T/op.pdf" >"$T/pix.op"
px() { awk -v k="$2" '$1 == k {print $2}' "$1"; }
ratio() { python3 -c "print(abs(($1) / ($2) - 1) < 0.12)"; }
blue=$(px "$T/pix.off" 2166ac) red=$(px "$T/pix.off" b2182b) grey=$(px "$T/pix.off" d0d0d0)
a12=$(area E02) a5=$(area E05) a346=$(area E01 E03 E04 E06)
check "official map: blue (E02) to red (E05) as their areas ($blue:$red)" \
  test "$(ratio "$blue / $red" "$a12 / $a5")" = True
check "official map: hidden districts hatched grey ($grey px)" test "$grey" -gt $((blue / 2))
check "official map: no beige class (E04, E06 are hidden)" test "$(px "$T/pix.off" fdd49e)" -lt 100
obeige=$(px "$T/pix.op" fdd49e) oblue=$(px "$T/pix.op" 2166ac)
check "operator map: E04 and E06 beige (80-95 %), no grey ($obeige px)" \
  test "$obeige" -gt 1000 -a "$(px "$T/pix.op" d0d0d0)" -lt 100
check "operator map: blue now E01, E02 and E03 ($oblue px)" \
  test "$(ratio "$oblue / $red" "$(area E01 E02 E03) / $a5")" = True

# ---- the map alone ----
rep --level elementary --kind consultation --minutes 30 --out "$T/map.png"
check "PNG written" test $? -eq 0
check "it is a 1600 x 1200 PNG" python3 -c "
import struct, sys
b = open('$T/map.png', 'rb').read(24)
sys.exit(not (b[:8] == b'\x89PNG\r\n\x1a\n' and struct.unpack('>II', b[16:24]) == (1600, 1200)))"

# ---- bad inputs: one sentence, non-zero, no file ----
mkdir "$T/bad" "$T/dir.pdf"
while IFS='|' read -r what args expect; do
  "$BIN" --db "$DB" report $args >"$T/out" 2>"$T/err"
  rc=$?
  check "$what: non-zero exit ($rc)" test $rc -ne 0
  check "$what: one sentence naming it" test "$(wc -l <"$T/err")" -eq 1 -a -n "$(grep -- "$expect" "$T/err")"
  check "$what: no file left" test -z "$(ls -A "$T/bad")"
done <<EOF2
unknown level|--level parish --kind consultation --out $T/bad/r.pdf|parish
unknown kind|--level elementary --kind spaceport --out $T/bad/r.pdf|spaceport
minutes 0|--level elementary --kind consultation --minutes 0 --out $T/bad/r.pdf|minutes
minutes 999|--level elementary --kind consultation --minutes 999 --out $T/bad/r.pdf|minutes
minutes abc|--level elementary --kind consultation --minutes abc --out $T/bad/r.pdf|minutes
no such folder|--level elementary --kind consultation --out $T/bad/none/r.pdf|cannot write
a folder as the file|--level elementary --kind consultation --out $T/dir.pdf|cannot write
wrong ending|--level elementary --kind consultation --out $T/bad/r.docx|.pdf
no --out|--level elementary --kind consultation|--out
no --level|--kind consultation --out $T/bad/r.pdf|--level
a role without coverage|--level elementary --kind consultation --role outreach --out $T/bad/r.pdf|outreach
per district on a PNG|--level elementary --kind consultation --per-district --out $T/bad/r.png|--per-district
EOF2

# ---- GET /api/report.pdf: officials and admins, hidden as for them ----
# A snapshot on the served database for compare= (the data unchanged: every change ±0 or hidden).
"$BIN" --db "$DB" snapshot --label 2026年度 --level elementary --kind consultation,salon --minutes 30 --need 高齢独居 --per 高齢単身世帯 >/dev/null
OFF=$("$BIN" --db "$DB" user add rep-official --role official 2>/dev/null)
OUTR=$("$BIN" --db "$DB" user add rep-outreach --role outreach --district elementary:E05 2>/dev/null)
"$BIN" --db "$DB" serve --port 0 --threads 2 >"$T/srv.out" 2>"$T/srv.err" &
SRV=$!
PORT=$(tl_port "$T/srv.out" "$SRV")
if [ -n "$PORT" ]; then
  U="http://127.0.0.1:$PORT/api/report.pdf?level=elementary&kind=consultation&minutes=30"
  get() { curl -s --max-time 120 -o "$T/body" -D "$T/head" -w '%{http_code}' "$@"; }
  check "anonymous: 401" test "$(get "$U")" = 401
  check "outreach: 403" test "$(get -H "Authorization: Bearer $OUTR" "$U")" = 403
  check "official: 200" test "$(get -H "Authorization: Bearer $OFF" "$U")" = 200
  check "as application/pdf, an attachment, not stored" \
    test -n "$(grep -i '^content-type: application/pdf' "$T/head")" -a \
    -n "$(grep -i '^content-disposition: attachment' "$T/head")" -a -n "$(grep -i 'no-store' "$T/head")"
  pdftotext -layout "$T/body" "$T/http.txt"
  check "the official's PDF over HTTP hides as the CLI's" \
    test "$(row E06 "$T/http.txt")" = "E06 つなぐ東小学校区 – – – <5 – – 605 320" -a "$(tokens "$T/http.txt")" -eq 0
  check "unknown level over HTTP: 404" test "$(get -H "Authorization: Bearer $OFF" "${U/elementary/parish}")" = 404
  check "no level over HTTP: 400" test "$(get -H "Authorization: Bearer $OFF" "${U/level=elementary&/}")" = 400
  check "bad minutes over HTTP: 400" test "$(get -H "Authorization: Bearer $OFF" "${U/minutes=30/minutes=0}")" = 400
  # The tables' options as query parameters, checked as the CLI's.
  N="$U&equipment=1&needs=1&need=%E9%AB%98%E9%BD%A2%E7%8B%AC%E5%B1%85&per=%E9%AB%98%E9%BD%A2%E5%8D%98%E8%BA%AB%E4%B8%96%E5%B8%AF&compare=2026%E5%B9%B4%E5%BA%A6"
  check "anonymous with needs=1: 401" test "$(get "$N")" = 401
  check "outreach with needs=1: 403" test "$(get -H "Authorization: Bearer $OUTR" "$N")" = 403
  check "official: equipment=1&needs=1&need=&per=&compare=: 200" test "$(get -H "Authorization: Bearer $OFF" "$N")" = 200
  cp "$T/body" "$T/hn.pdf"
  pdftotext -layout "$T/hn.pdf" "$T/hn.txt"
  check "... its needs table is the official's needs answer, row by row" needs_rows "$T/hn.pdf" "$T/nd.json"
  check "... with the equipment table and the snapshot named in the title" \
    test -n "$(grep 区域別の資源 "$T/hn.txt")" -a -n "$(grep "スナップショット「2026年度」" "$T/hn.txt")"
  check "... no change where nothing changed: ±0 or hidden in every needs row" \
    test "$(sed -n '/区域別の把握状況/,/ページ$/p' "$T/hn.txt" | grep -E '^ *(E0[1-6]|全体) ' | awk '$NF != "±0" && $NF != "非表示"' | wc -l)" -eq 0
  check "... and none of the figures the needs answer hides" test "$(ntok "$T/hn.txt")" -eq 0
  while IFS='|' read -r what query code expect; do
    c=$(get -H "Authorization: Bearer $OFF" "$U&$query")
    check "$what over HTTP: $code ($(jq -r .error "$T/body" 2>/dev/null | head -c 90))" \
      test "$c" = "$code" -a -n "$(jq -r .error "$T/body" 2>/dev/null | grep -- "$expect")"
  done <<EOF3
needs=2|needs=2|400|needs= must be 1
equipment=yes|equipment=yes|400|equipment= must be 1
need= without needs=1|need=%E9%AB%98%E9%BD%A2%E7%8B%AC%E5%B1%85|400|add needs=1
an unknown indicator|needs=1&need=%E9%AB%98%E9%BD%A2%E7%8B%AC%E5%B1%85&per=x|404|x
an unknown snapshot|compare=2030|404|no snapshot named '2030'
EOF3
  c=$(get -H "Authorization: Bearer $OFF" "${U/minutes=30/minutes=10}&compare=2026%E5%B9%B4%E5%BA%A6")
  check "a snapshot of other minutes over HTTP: 400 ($(jq -r .error "$T/body" 2>/dev/null | head -c 90))" \
    test "$c" = 400 -a -n "$(jq -r .error "$T/body" 2>/dev/null | grep -- "taken for level elementary")"
else
  bad "the server did not start: $(head -3 "$T/srv.err")"
fi

# ---- real 生駒市 districts ----
if [ -n "$SHARED" ] && [ -f "$SHARED/ikoma/A27-23_29.shp" ]; then
  I=$SHARED/ikoma IDB=$T/ikoma.db
  python3 - "$T" "$I/ikoma_census_r2_town.geojson" <<'PY'
import json, random, sys
t, census = sys.argv[1], sys.argv[2]
random.seed(7)
# A synthetic street grid (about 300 m) over 生駒市: its real streets are not in ../shared/data.
x0, y0, dx, dy = 135.67, 34.62, 0.0033, 0.0027
P = lambda i, j: [round(x0 + i * dx, 7), round(y0 + j * dy, 7)]
feats = []
for i in range(31):
    for j in range(52):
        for a, b in ((i + 1, j), (i, j + 1)):
            if a <= 30 and b <= 51:
                feats.append({"type": "Feature", "properties": {"highway": "residential"},
                              "geometry": {"type": "LineString", "coordinates": [P(i, j), P(a, b)]}})
json.dump({"type": "FeatureCollection", "features": feats}, open(t + "/grid.geojson", "w"))
# Three synthetic households near the middle of each census area.
with open(t + "/hh.csv", "w") as f:
    f.write("id,lon,lat,members,needs,consent,agency\n")
    k = 0
    for a in json.load(open(census))["features"]:
        g = a["geometry"]
        r = g["coordinates"][0] if g["type"] == "Polygon" else g["coordinates"][0][0]
        cx, cy = sum(p[0] for p in r) / len(r), sum(p[1] for p in r) / len(r)
        for _ in range(3):
            f.write("S%04d,%.6f,%.6f,2,高齢独居,yes,包括\n" % (k, cx + random.uniform(-.002, .002), cy + random.uniform(-.002, .002)))
            k += 1
PY
  ok=1
  "$BIN" --db "$IDB" import districts --level elementary "$I/A27-23_29.shp" --municipality 29209 >/dev/null 2>&1 &&
    "$BIN" --db "$IDB" import resources "$I/P14-15_29.shp" --s-srs EPSG:4612 --municipality 生駒市 --kind welfare >/dev/null 2>&1 &&
    "$BIN" --db "$IDB" import population "$I/r2ka29209.topojson" --layer town >/dev/null 2>&1 &&
    "$BIN" --db "$IDB" import network "$T/grid.geojson" >/dev/null 2>&1 &&
    "$BIN" --db "$IDB" import households "$T/hh.csv" >/dev/null 2>&1 &&
    "$BIN" --db "$IDB" import districts --level town "$I/r2ka29209.topojson" --layer town \
      --code-field id --name-field S_NAME >/dev/null 2>&1 || ok=0
  check "生駒市 database built (real districts, facilities, census; synthetic grid and households)" test $ok -eq 1
  "$BIN" --db "$IDB" report --level elementary --kind welfare --minutes 10 --municipality 生駒市 \
    --out "$T/ikoma.pdf" >"$T/out" 2>"$T/err"
  check "生駒市 report written" test $? -eq 0
  pdftotext -layout "$T/ikoma.pdf" "$T/ik.txt"
  check "生駒市 title" grep -qE "^生駒市 +徒歩 10 分で welfare に届く世帯の割合" "$T/ik.txt"
  check "生駒市: JGD2011 zone VI (EPSG:6674)" grep -q "EPSG:6674" "$T/ik.txt"
  check "生駒市 credits: 国土数値情報 and the census" grep -q "国土数値情報.*国土交通省" "$T/ik.txt"
  n=0
  for s in 生駒小学校 生駒南小学校 生駒北小中学校 生駒台小学校 生駒東小学校 真弓小学校 俵口小学校 鹿ノ台小学校 桜ヶ丘小学校 あすか野小学校 壱分小学校 生駒南第二小学校; do
    [ "$(grep -c "$s" "$T/ik.txt")" -ge 2 ] && n=$((n + 1))
  done
  check "all 12 school districts on the map and in the table ($n)" test $n -eq 12
  check "the census residents, 116675 in total" grep -qE "^ *全体 .* 116675 " "$T/ik.txt"
  # The 123 census areas as a district level: the table runs over pages.
  "$BIN" --db "$IDB" report --level town --kind welfare --minutes 10 --municipality 生駒市 \
    --out "$T/town.pdf" >"$T/out" 2>"$T/err"
  check "生駒市 report by census area written" test $? -eq 0
  pdftotext -layout "$T/town.pdf" "$T/town.txt"
  np=$(pages "$T/town.pdf") nh=$(grep -cE "^ *コード +区域 +世帯" "$T/town.txt")
  check "the table of 123 areas runs over $np pages, its head on each ($nh)" test "$np" -ge 3 -a "$nh" -eq "$np"
  check "every area a row" test "$(grep -cE "^ *[0-9]+ +[^ ]+ +(<5|–|[0-9]+) " "$T/town.txt")" -ge 123
else
  echo "# ../shared/data is absent: the 生駒市 report is not checked"
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
