#!/usr/bin/env bash
# Browser tests of the web UI: builds `homeward`, installs the test tools from
# package-lock.json, then runs Playwright (playwright-core) against Debian's Chromium.
# Each test makes its own demo registry and server; screenshots go to web-tests/out/.
# Needs: Node 18+, npm, /usr/bin/chromium (apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
(cd "$root" && cargo build --locked --bin homeward)
export HOMEWARD_BIN="$target/debug/homeward"
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "web-tests: no Chromium at $CHROMIUM; install it with: apt-get install -y chromium" >&2; exit 1; }
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund
fi
mkdir -p out
node --test --test-concurrency=1 tests/
