#!/usr/bin/env bash
# Load on the HTTP API: person reads and searches by a signed-in caseworker against
# `homeward serve` on the full demo registry, with wrk; every read is audited, and the
# audit chain is verified afterwards.
#
# Usage: HOMEWARD_BIN=target/release/homeward bench/api-load.sh [SCALE] [SECONDS]
# Prints wrk's summary (requests/s, latency distribution) for each request kind, and the
# server's own CPU time (user+sys) during it: wrk shares the cores, and on a shared machine
# CPU per request compares better across runs than wall-clock figures.
set -euo pipefail
cd "$(dirname "$0")/.."

scale="${1:-1}"
seconds="${2:-15}"
port="${HOMEWARD_LOAD_PORT:-18090}"
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
"$bin" person list --limit 2000 --json \
    | python3 -c 'import json,sys; [print(p["person_id"]) for p in json.load(sys.stdin)]' > "$work/ids"

"$bin" serve --listen "127.0.0.1:$port" 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done
token="$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/session" \
    -H 'content-type: application/json' \
    -d '{"username":"load.caseworker","password":"synthetic load password"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

# wrk walks through the ids (and queries) in turn, one list per connection.
lua_paths() { # $1 = file of paths
    cat <<LUA
local paths = {}
for line in io.lines("$1") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Authorization"] = "Bearer $token" })
end
LUA
}
sed 's#^#/api/v1/persons/#' "$work/ids" > "$work/read.paths"
printf '%s\n' \
    '/api/v1/persons?q=samira%20bouazzaoui&limit=10' '/api/v1/persons?q=umm%20adam&limit=10' \
    '/api/v1/persons?q=%D8%B3%D9%85%D9%8A%D8%B1%D8%A9&limit=10' '/api/v1/persons?q=fatima%20ahmed&limit=10' \
    '/api/v1/persons?q=khadija%20belgian&limit=10' '/api/v1/persons?q=zzzq&limit=10' > "$work/search.paths"
lua_paths "$work/read.paths" > "$work/read.lua"
lua_paths "$work/search.paths" > "$work/search.lua"

# The server's CPU time so far (user+sys), in clock ticks.
server_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
# Runs wrk with script $1 and prints the server's CPU time per request beside its summary.
load() {
    local before after
    before="$(server_ticks)"
    wrk -t2 -c16 -d"${seconds}s" --latency -s "$1" "http://127.0.0.1:$port" | tee "$work/wrk.out"
    after="$(server_ticks)"
    python3 - "$before" "$after" "$(getconf CLK_TCK)" "$work/wrk.out" <<'PY'
import re, sys
before, after, hz, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
n = int(re.search(r"(\d+) requests in", open(out).read()).group(1))
cpu = (after - before) / hz
print(f"server CPU (user+sys): {cpu:.2f} s, {1000 * cpu / max(n, 1):.3f} ms per request")
PY
}

echo "== person reads: GET /api/v1/persons/{id} ($(wc -l < "$work/ids") ids in turn)"
load "$work/read.lua"
echo "== searches: GET /api/v1/persons?q=... (6 queries in turn)"
load "$work/search.lua"

kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
echo "== audit chain after the load"
"$bin" audit verify
