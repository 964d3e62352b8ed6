#!/usr/bin/env bash
# The largest requests taper's work budget allows (src/limits.rs), timed and measured
# for peak memory (GNU time's maximum resident set size), one per output format, plus
# the batch of issue 15 (a 173 KB over-budget line between two good ones).
#
#   bash benches/worst_case.sh [path/to/taper]     (default: target/release/taper)
#
# Every run is under `ulimit -v 4000000` and `timeout 120`, so a regression cannot take
# the machine down; a run that fails those prints its exit status.
set -euo pipefail
taper=${1:-target/release/taper}
taper=$(realpath "$taper")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

times=$(python3 -c "print(','.join(f'{h:02d}:00' for h in range(24)))")
benzos=()
for b in lorazepam diazepam clonazepam alprazolam lorazepam diazepam clonazepam alprazolam; do
  benzos+=(--benzo "$b" --benzo-dose 0.5mg --benzo-times "$times")
done
# 400 sessions (the limit) over ten years, 8 regimens of 24 doses a day (both limits),
# a 1 h hold (about 6,400 held doses, under the 20,000 limit; the level follows
# 8 × 87,600 doses, under 100,000 a regimen), and a --daily plan of 3,650 days (the
# limit is 4,018) with 12 tablet strengths (the limit).
sessions=(--ketamine-series 2027-02-03T10:00,100,28d --ketamine-series 2035-02-03T10:00,100,3d
          --ketamine-series 2036-01-03T10:00,100,3d --ketamine-series 2036-12-01T10:00,100,1d)
plan=(plan citalopram --from 20mg --start 2027-01-04 --steps 9 --every 365d --daily
      "${benzos[@]}" --benzo-hold 1h "${sessions[@]}")

measure() {
  local label=$1; shift
  local status=0
  ( ulimit -v 4000000; /usr/bin/time -f "%e %M" -o time.txt timeout 120 "$@" >out 2>err ) || status=$?
  awk -v label="$label" -v status="$status" -v bytes="$(stat -c %s out)" \
    '/^[0-9.]+ [0-9]+$/ { printf "%-44s exit %s  %6.2f s  %7.1f MB peak  %8.1f MB written\n", label, status, $1, $2 / 1024, bytes / 1048576 }' time.txt
  [ "$status" = 0 ] || [ "$status" = 4 ] || head -c 300 err
}

for format in json table csv markdown html fhir; do
  measure "worst plan, --format $format" "$taper" "${plan[@]}" --format "$format"
done
measure "worst plan, --format ics --remind 08:00" "$taper" "${plan[@]}" --format ics --remind 08:00
measure "worst plan, --csv full" "$taper" "${plan[@]}" --format csv --csv full
measure "worst plan, 12 tablet strengths, json" "$taper" plan citalopram --from 20mg --start 2027-01-04 \
  --steps 9 --every 365d --daily --tablets 1,2,3,4,5,6,7,8,9,10,20,40 --split quarter --format json
measure "worst ketamine (no taper), json" "$taper" ketamine --start 2027-01-04 "${benzos[@]}" \
  --benzo-hold 1h "${sessions[@]}" --format json

# Issue 15, case 1: 20 regimens × 1,440 dose times, a 720 h hold, 100 sessions, between
# two good lines: three result lines, one an error, exit 3, no temporary file left.
python3 - <<'PY'
import json
times = ",".join(f"{h:02d}:{m:02d}" for h in range(24) for m in range(60))
bad = {"id": "bad", "drug": "citalopram", "from": "20mg", "start": "2027-01-04",
       "benzo": ["lorazepam", "diazepam", "clonazepam", "alprazolam"] * 5,
       "benzo_dose": ["1mg"] * 20, "benzo_times": [times] * 20, "benzo_hold": "720h",
       "ketamine_series": ["2027-02-03T10:00,100,1d"]}
good = {"id": "good", "drug": "citalopram", "from": "20mg", "start": "2027-01-04"}
with open("case1.jsonl", "w") as f:
    for line in (good, bad, good):
        f.write(json.dumps(line) + "\n")
PY
mkdir -p batch
measure "issue 15 case 1 batch (173 KB line)" "$taper" batch --input case1.jsonl -o batch/results.jsonl
echo "  result lines: $(wc -l <batch/results.jsonl); files in the output folder: $(ls -A batch | tr '\n' ' ')"
