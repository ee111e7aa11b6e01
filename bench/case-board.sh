#!/usr/bin/env bash
# The repatriation board on the full demo registry: as whole commands (the operator, a
# consul, a coordinator), each beside `stats` on the same registry in the same run, and
# through the API with wrk (a caseworker's board and a consul's, beside /api/v1/stats),
# with the server's CPU time per request.
#
# Usage: HOMEWARD_BIN=target/release/homeward bench/case-board.sh [SCALE] [SECONDS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."

scale="${1:-1}"
seconds="${2:-10}"
runs="${3:-5}"
port="${HOMEWARD_LOAD_PORT:-18091}"
bin="${HOMEWARD_BIN:-target/release/homeward}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

export HOMEWARD_PASSPHRASE="synthetic load-test passphrase"
export HOMEWARD_REGISTRY="$work/reg.db"
"$bin" demo --scale "$scale" --seed 2019 >/dev/null
printf '%s\n' 'synthetic load password' > "$work/pw"
"$bin" user add load.caseworker --role caseworker --password-file "$work/pw" >/dev/null
"$bin" user add consul.fr --role consular --nationality FR --password-file "$work/pw" >/dev/null
"$bin" user add coord --role coordinator --password-file "$work/pw" >/dev/null
cases=$("$bin" case list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
echo "registry: scale $scale, $cases cases"

# Median of RUNS whole-process runs: wall, user, sys seconds and peak memory.
timed() {
    local label="$1"; shift
    for _ in $(seq 1 "$runs"); do
        /usr/bin/time -f '%e %U %S %M' "$@" 2>&1 >/dev/null | tail -1
    done | sort -n | awk -v label="$label" -v n="$runs" '
        { w[NR]=$1; u[NR]=$2; s[NR]=$3; m[NR]=$4 }
        END { i=int((n+1)/2); printf "%-44s wall %6.2f s  user %6.2f s  sys %5.2f s  peak %7.0f KiB (median of %d)\n", label, w[i], u[i], s[i], m[i], n }'
}

echo "== whole commands"
timed "case board --json (operator)" "$bin" case board --json
timed "stats --by camp,status --json (operator)" "$bin" stats --by camp,status --json
pw=(--password-file "$work/pw")
timed "as consul.fr case board --json" "$bin" as consul.fr "${pw[@]}" case board --json
timed "as consul.fr stats --by nationality" "$bin" as consul.fr "${pw[@]}" stats --by nationality
timed "as coord case board --json (counts)" "$bin" as coord "${pw[@]}" case board --json

"$bin" serve --listen "127.0.0.1:$port" 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done
token() {
    curl -fsS -X POST "http://127.0.0.1:$port/api/v1/session" -H 'content-type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"synthetic load password\"}" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
hz=$(getconf CLK_TCK)

load() {
    local label="$1" user="$2" path="$3"
    local t; t=$(token "$user")
    curl -fsS -H "Authorization: Bearer $t" "http://127.0.0.1:$port$path" >/dev/null  # warm-up
    local before; before=$(ticks)
    local out; out=$(wrk -t1 -c2 -d"${seconds}s" --latency -H "Authorization: Bearer $t" "http://127.0.0.1:$port$path")
    local after; after=$(ticks)
    local requests; requests=$(echo "$out" | awk '/requests in/ { print $1 }')
    echo "-- $label: $path"
    echo "$out" | grep -E 'Requests/sec|50%|99%|Non-2xx' || true
    awk -v b="$before" -v a="$after" -v hz="$hz" -v n="$requests" \
        'BEGIN { printf "   server CPU %.1f ms per request (%d requests)\n", (a-b)/hz*1000/n, n }'
}

echo "== API (wrk -t1 -c2 -d${seconds}s)"
load "caseworker board" load.caseworker /api/v1/cases/board
load "consul board" consul.fr /api/v1/cases/board
load "coordinator board (counts)" coord /api/v1/cases/board
load "caseworker stats" load.caseworker "/api/v1/stats?by=camp,status"
