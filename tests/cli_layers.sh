#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli_layers.sh - the written style enforced (tests/run.sh runs it through
# ctest), the way curl's checksrc does:
#   - layers: each folder of src/ is a CMake module that sees only its own
#     headers and those of the modules it depends on (CMakeLists.txt). For
#     every module, a probe compiled with that module's own flags (read from
#     build/compile_commands.json) must FAIL to include a header of any
#     module above or beside it, and must build when it includes one of a
#     module below (so the check can tell the two apart);
#   - no relative include ("../x.h") that would step around the include path;
#   - the household boundary: store_households.h, store_audit.h and audit.h
#     are included only by the files listed in CMakeLists.txt, and a probe
#     in any other module that includes one of them does not compile;
#   - every function a header declares is in its "Entry points:" list;
#   - formatting: clang-format (the checked-in .clang-format) finds nothing
#     to change in src/, tools/ and tests/.
# Needs the build tree of the program (TSUNAGU_BIN's folder) with
# compile_commands.json.
set -u
SRC=${TSUNAGU_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${TSUNAGU_BIN:?}
BUILD=$(dirname "$BIN")
CC_JSON=$BUILD/compile_commands.json
. "$(dirname "$0")/lib.sh"
tl_scratch

for tool in jq clang-format; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "SKIP: $tool is not installed (bash .ci/install installs it)"; exit 77
  fi
done
[ -f "$CC_JSON" ] || { echo "FAIL - no $CC_JSON (CMAKE_EXPORT_COMPILE_COMMANDS)"; exit 1; }

# The layers, bottom up, with their rank: a module may depend only on
# modules of lower rank (import and walk share a rank and may not include
# each other; geocode sits between store and import, which places rows
# from their addresses). The dependencies themselves are read from the
# tsunagu_module(... DEPENDS ...) lines of CMakeLists.txt, so this check and
# the build cannot drift apart.
MODULES=(src/core src/geo src/hours src/store src/geocode src/import src/walk src/plan src/access src/tiles
         src/report src/http src/cli tools/demogen)
declare -A RANK=([src/core]=0 [src/geo]=1 [src/hours]=1 [src/store]=2 [src/geocode]=3 [src/import]=4
                 [src/walk]=4 [src/plan]=5 [src/access]=6 [src/tiles]=7 [src/report]=7 [src/http]=8 [src/cli]=9
                 [tools/demogen]=1)
declare -A DIR_OF DEPS
while read -r name dir rest; do
  DIR_OF[$name]=$dir
  DEPS[$dir]=$(echo "$rest" | sed -nE 's/.*DEPENDS ([a-z ]+)( PACKAGES.*| SOURCES.*)?$/\1/p')
done < <(grep -E '^tsunagu_module\(' "$SRC/CMakeLists.txt" | sed -E 's/^tsunagu_module\(//; s/\)$//')
# closure DIR: the folders DIR may include, itself excluded.
closure() {
  local d out=() n
  for n in ${DEPS[$1]}; do
    d=${DIR_OF[$n]}
    out+=("$d" $(closure "$d"))
  done
  printf '%s\n' "${out[@]}" | sort -u
}

# FLAGS[MODULE]: the compiler flags of the first source of MODULE, without
# -o/-c and the file (quoted as the shell must read them: eval), read from
# compile_commands.json in one pass for every module.
declare -A FLAGS
while IFS=$'\t' read -r m cmd; do
  FLAGS[$m]=$(sed -E 's/ -o [^ ]+//; s/ -c [^ ]+$//; s/^[^ ]+ //; s/ -DTSUNAGU_(HOUSEHOLD_READER|AUDIT_WRITER|AUDIT_STORE)//g' <<<"$cmd")
done < <(jq -r --arg s "$SRC/" --args '$ARGS.positional[] as $m |
  ([.[] | select(.file | startswith($s + $m + "/"))][0].command // "") as $c | "\($m)\t\($c)"' \
  "${MODULES[@]}" <"$CC_JSON")
# probe MODULE HEADER: 0 when a file in MODULE's compile setup that includes
# HEADER compiles.
probe() {
  printf '#include "%s"\nint probe_unused(void);\n' "$2" > "$T/probe.c"
  eval "cc ${FLAGS[$1]} -fsyntax-only \"\$T/probe.c\"" 2> "$T/probe.err"
}
# FIRST[MODULE]: a header of MODULE without a boundary guard.
declare -A FIRST
for m in "${MODULES[@]}"; do
  FIRST[$m]=$(cd "$SRC/$m" && grep -L '#error' ./*.h | head -1 | sed 's|^\./||')
done

for m in "${MODULES[@]}"; do
  [ -n "${DEPS[$m]+x}" ] || { bad "$m is not a tsunagu_module in CMakeLists.txt"; continue; }
  below=$(closure "$m")
  wrong=()
  for n in $below; do [ "${RANK[$n]}" -lt "${RANK[$m]}" ] || wrong+=("$n"); done
  [ ${#wrong[@]} -eq 0 ] && ok "$m depends only on modules below it ($(echo $below | wc -w))" ||
    bad "$m depends on ${wrong[*]}, not below it"
  up=0 down=0 upbad=() downbad=()
  for n in "${MODULES[@]}"; do
    [ "$n" = "$m" ] && continue
    h=${FIRST[$n]}
    [ -n "$h" ] || continue
    if grep -qx "$n" <<<"$below"; then
      if probe "$m" "$h"; then down=$((down + 1)); else downbad+=("$n/$h: $(head -1 "$T/probe.err")"); fi
    elif probe "$m" "$h"; then
      upbad+=("$n/$h")
    elif grep -q "No such file" "$T/probe.err"; then
      up=$((up + 1))
    else
      upbad+=("$n/$h (failed otherwise: $(head -1 "$T/probe.err"))")
    fi
  done
  [ ${#upbad[@]} -eq 0 ] && ok "$m: $up headers of modules it does not depend on do not compile there" ||
    bad "$m can include ${upbad[*]}"
  [ ${#downbad[@]} -eq 0 ] && ok "$m: $down headers of modules it depends on compile there" ||
    bad "$m cannot include ${downbad[*]}"
done

rel=$(grep -rnE '#include "[^"]*/' "$SRC/src" "$SRC/tools" --include='*.[ch]' || true)
[ -z "$rel" ] && ok "no include names a path" || bad "includes naming a path: $rel"

# The household boundary. Allowed includers (file paths relative to SRC).
boundary() {
  local header=$1 define=$2 list
  shift 2
  list=$(sed -n "/^set(TSUNAGU_${define}S*\$/,/)/p; /^set(TSUNAGU_${define}S* /,/)/p" "$SRC/CMakeLists.txt" |
    grep -oE 'src/[a-z]+/[a-z_]+\.c' | sort -u)
  local includers
  includers=$(cd "$SRC" && grep -rlE "#include \"$header\"" src tools | grep '\.c$' | sort -u)
  local extra
  extra=$(comm -23 <(echo "$includers") <(echo "$list"))
  [ -z "$extra" ] && ok "$header is included only by the allowed files ($(echo $includers | wc -w) of them)" ||
    bad "$header included by files not allowed: $extra"
  [ -n "$list" ] && ok "CMakeLists.txt lists the allowed includers of $header" ||
    bad "CMakeLists.txt lists no includers of $header"
  # A module none of whose files may include it: the probe hits #error.
  for m in "$@"; do
    if probe "$m" "$header"; then bad "$m compiles an include of $header"; elif
      grep -q "#error" "$T/probe.err"; then ok "$m: including $header stops the build with its #error"
    else bad "$m: including $header failed for another reason: $(head -1 "$T/probe.err")"; fi
  done
}
# Modules that see the header's folder but whose files may not include it.
boundary store_households.h HOUSEHOLD_READER src/geocode src/import src/walk src/tiles src/http src/cli
boundary store_audit.h AUDIT_STORE src/geocode src/import src/walk src/plan src/tiles src/http
boundary audit.h AUDIT_WRITER src/tiles src/http src/cli

# Entry points: every function a header under src/ or tools/ declares (not
# static) is named in the "Entry points:" list of its file comment, either
# by name, as name_* or in the shorthand prefix_a/b ("disclose_new/free").
# entry_list HEADER: the names of its list, one a line (wildcards keep *).
entry_list() {
  awk '/Entry points:/{on=1} on{print} on && /\*\//{exit}' "$1" | sed 's/.*Entry points://; s|\*/||; s/^ *\* *//' |
    tr ',;' '  ' | tr -s ' \n' '\n' | grep -oE '^[a-z_][a-z0-9_]*(\*|(/[a-z0-9_]+)*)' |
    awk -F/ '{print $1; n = split($1, p, "_"); base = substr($1, 1, length($1) - length(p[n])); for (i = 2; i <= NF; i++) print base $i}'
}
# entry_decls HEADER: the functions it declares (a declaration's name is on
# its first line, as clang-format writes it).
entry_decls() {
  grep -E '^[A-Za-z_][A-Za-z0-9_ ]*[ *]+[a-z_][a-z0-9_]*\(' "$1" | grep -vE '^(static|typedef|#)' |
    sed -E 's/^[^(]*[ *]([a-z_][a-z0-9_]*)\(.*/\1/' | sort -u
}
unlisted=()
nheaders=0
while IFS= read -r h; do
  nheaders=$((nheaders + 1))
  list=$(entry_list "$h")
  for d in $(entry_decls "$h"); do
    hit=0
    for n in $list; do
      case $n in *\*) [[ $d == "${n%\*}"* ]] && hit=1 ;; *) [ "$d" = "$n" ] && hit=1 ;; esac
      [ $hit = 1 ] && break
    done
    [ $hit = 1 ] || unlisted+=("${h#"$SRC"/}:$d")
  done
done < <(find "$SRC/src" "$SRC/tools" -name '*.h' | sort)
[ ${#unlisted[@]} -eq 0 ] && ok "every function declared in the $nheaders headers is in its Entry points list" ||
  bad "functions missing from their header's Entry points list: ${unlisted[*]}"

# One clang-format over every file (a process per file took a minute): it
# checks them all and names each file it would change in its messages.
nfiles=$(find "$SRC/src" "$SRC/tools" "$SRC/tests" -name '*.[ch]' -not -path '*/node_modules/*' | wc -l)
find "$SRC/src" "$SRC/tools" "$SRC/tests" -name '*.[ch]' -not -path '*/node_modules/*' -print0 |
  xargs -0 clang-format --dry-run -Werror >/dev/null 2>"$T/format.err"
frc=$?
mapfile -t unformatted < <(sed -n 's/^\(.*\.[ch]\):[0-9]*:[0-9]*: error: .*/\1/p' "$T/format.err" | sort -u | sed "s|^$SRC/||")
if [ "$frc" -eq 0 ] && [ ${#unformatted[@]} -eq 0 ]; then
  ok "clang-format finds nothing to change in $nfiles files"
elif [ ${#unformatted[@]} -gt 0 ]; then
  bad "clang-format would change: ${unformatted[*]} (run clang-format -i on them)"
else
  bad "clang-format failed (exit $frc): $(head -3 "$T/format.err")"
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
