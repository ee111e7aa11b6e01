#!/usr/bin/env bash
# Property tests of the HTTP API against its own OpenAPI document with schemathesis:
# no 5xx on any generated input, and answers that conform to the documented schemas.
#
# Builds homeward, makes a small synthetic demo registry in a temporary folder with one
# user per role, serves it on a loopback port, runs schemathesis for a bounded time as a
# caseworker, and stops the server. Exit status is schemathesis's.
#
# Usage: [HOMEWARD_BIN=path/to/homeward] scripts/api-fuzz.sh [SECONDS]   (default 120)
set -euo pipefail
cd "$(dirname "$0")/.."

budget="${1:-120}"
port="${HOMEWARD_FUZZ_PORT:-18080}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

if ! command -v st >/dev/null 2>&1; then
    python3 -m pip install --quiet schemathesis
    # pip may install for this user only, into a folder that is not on PATH.
    PATH="$(python3 -m site --user-base)/bin:$PATH"
fi
command -v st >/dev/null || { echo "schemathesis's st command was not found after installing it" >&2; exit 1; }

# HOMEWARD_BIN names an already built binary; otherwise build one.
bin="${HOMEWARD_BIN:-}"
if [[ -z "$bin" ]]; then
    cargo build --quiet -p homeward
    bin="${CARGO_TARGET_DIR:-target}/debug/homeward"
fi

export HOMEWARD_PASSPHRASE="synthetic fuzzing passphrase"
export HOMEWARD_REGISTRY="$work/reg.db"
"$bin" demo --scale 0.01 --seed 11 2>/dev/null
printf '%s\n' 'synthetic fuzzing password' > "$work/pw"
"$bin" user add fuzz.caseworker --role caseworker --password-file "$work/pw"

"$bin" serve --listen "127.0.0.1:$port" 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 1 50); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done
token="$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/session" \
    -H 'content-type: application/json' \
    -d '{"username":"fuzz.caseworker","password":"synthetic fuzzing password"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

st run "http://127.0.0.1:$port/api/v1/openapi.json" \
    --url "http://127.0.0.1:$port" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --exclude-method DELETE \
    --max-time "$budget" \
    --workers 2
