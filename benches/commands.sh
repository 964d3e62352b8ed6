#!/usr/bin/env bash
# Whole-process measurements for issue 6, on this machine: a `taper plan` process
# against a trivial Rust binary (hyperfine), and `taper batch` throughput and peak
# memory over 100,000 generated requests (/usr/bin/time -v), on 1 and 2 threads.
# Run from the repository root: bash benches/commands.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)"; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)"; exit 1; }

cargo build --release --locked --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'fn main() {}\n' > "$work/trivial.rs"
rustc -O -o "$work/trivial" "$work/trivial.rs"

echo "== one plan process vs a trivial Rust binary"
hyperfine -N --warmup 20 --runs 300 \
  "$work/trivial" \
  "target/release/taper plan citalopram --from 20mg --start 2027-01-04 --format json"

echo "== batch of 100,000 requests"
python3 - "$work/requests.jsonl" <<'PY'
import json, sys
drugs = ["citalopram", "sertraline", "escitalopram", "fluoxetine", "paroxetine", "venlafaxine"]
with open(sys.argv[1], "w") as f:
    for i in range(100_000):
        f.write(json.dumps({"id": i, "drug": drugs[i % len(drugs)], "from": 10 + i % 40,
                            "start": "2027-01-04", "steps": 5 + i % 10}) + "\n")
PY
for jobs in 1 2; do
  for out in /dev/null "$work/out.jsonl"; do
    /usr/bin/time -v target/release/taper batch --jobs "$jobs" --input "$work/requests.jsonl" \
      -o "$out" 2> "$work/time.txt" || true
    wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
    secs=$(python3 -c "p='$wall'.split(':'); print(sum(float(x)*60**i for i,x in enumerate(reversed(p))))")
    echo "jobs=$jobs -o $(basename "$out"): wall ${secs}s, $(python3 -c "print(round(100000/$secs))") plans/s, peak RSS ${rss} KB"
  done
done
echo "output: $(wc -c < "$work/out.jsonl") bytes for 100,000 plans"
