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
  "target/release/taper plan citalopram --from 20mg --start 2027-01-04 --plan-id bench --format json"

echo "== batches (simple and mixed: 100,000 requests; long: 2,000)"
# simple: plain plans (drug, dose, rule, start), the shape the issue's target is about.
# mixed: a quarter each plain, rounded to the market's products (--form auto), with a
# ketamine series and a benzodiazepine, and --daily (hundreds of rows a plan).
python3 - "$work" <<'PY2'
import json, sys
drugs = ["citalopram", "sertraline", "escitalopram", "fluoxetine", "paroxetine", "venlafaxine"]
with open(sys.argv[1] + "/simple.jsonl", "w") as simple, open(sys.argv[1] + "/mixed.jsonl", "w") as mixed:
    for i in range(100_000):
        base = {"id": i, "plan_id": f"p{i}", "drug": drugs[i % len(drugs)], "from": 10 + i % 40, "start": "2027-01-04"}
        simple.write(json.dumps({**base, "steps": 5 + i % 10}) + "\n")
        extra = [{}, {"form": "auto"},
                 {"ketamine_series": ["2027-02-03T10:00,6,3d"], "benzo": ["lorazepam"],
                  "benzo_dose": ["1mg"], "benzo_times": ["22:00"]},
                 {"daily": True}][i % 4]
        mixed.write(json.dumps({**base, **extra}) + "\n")
# long: 500 plain plans, then 1,000 of about 530 KB each (--daily over 20 half-year
# steps), then 500 plain ones: memory must stay flat when plans grow suddenly.
with open(sys.argv[1] + "/long.jsonl", "w") as long:
    plain = {"drug": "citalopram", "from": 20, "start": "2027-01-04"}
    big = {"drug": "sertraline", "from": 200, "start": "2027-01-04", "every": "26w",
           "steps": 20, "daily": True}
    for i in range(2_000):
        long.write(json.dumps({"id": i, "plan_id": f"p{i}", **(big if 500 <= i < 1500 else plain)}) + "\n")
PY2
measure() { # workload jobs output: mean wall over 5 runs (hyperfine), then peak RSS
  hyperfine -N --warmup 1 --runs 5 -i --export-json "$work/h.json" \
    "target/release/taper batch --jobs $2 --input $work/$1.jsonl -o $3" > /dev/null 2>&1
  read -r mean sd < <(python3 -c "import json; r=json.load(open('$work/h.json'))['results'][0]; print(r['mean'], r['stddev'])")
  /usr/bin/time -v target/release/taper batch --jobs "$2" --input "$work/$1.jsonl" \
    -o "$3" 2> "$work/time.txt" || true
  rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
  summary=$(grep '^batch:' "$work/time.txt" | sed 's/ *(.*//')
  n=$(wc -l < "$work/$1.jsonl")
  python3 -c "print(f'$1 jobs=$2 -o $(basename "$3"): {$mean:.3f} s ± {$sd:.3f}, {$n/$mean:,.0f} lines/s, peak RSS $rss KB ($summary)')"
}
for jobs in 1 2; do
  measure simple "$jobs" /dev/null
  measure simple "$jobs" "$work/out.jsonl"
  measure mixed "$jobs" /dev/null
  measure long "$jobs" /dev/null
done
echo "simple output: $(wc -c < "$work/out.jsonl") bytes for 100,000 plans (written, synced, renamed)"
