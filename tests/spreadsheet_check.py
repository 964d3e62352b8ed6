#!/usr/bin/env python3
"""Opens taper's CSVs in a real spreadsheet and reads back what it made of them (issue 14).

    python3 tests/spreadsheet_check.py <path-to-taper-binary>

Each CSV is converted to .xlsx by LibreOffice Calc, headless, with the import options a
person picks in its Text Import dialog (UTF-8, `"` quotes, the separator and the locale
of the file, "Detect special numbers" ticked), and the workbook is read back with
`openpyxl`:

- the patient's CSV (the default): the header, one row per step and one per ketamine
  session, dates read as dates and date-times as date-times, doses and occupancy as
  numbers equal to the plan's (occupancy to 0.1), no mojibake (`Ã`, `Â`), the `×` and
  `½` of the instructions intact;
- `--daily`: one row per day, dates as dates;
- `--csv-bom`: the byte-order mark is not read into the first header cell;
- `--csv-decimal comma`, imported as German (`;`, decimal comma): the same numbers and
  dates as the default CSV imported as English;
- `--csv full`: one row per step, dates as dates, numbers at full precision;
- `taper ketamine`: one row per session, its times as date-times;
- with the dialog's defaults ("Detect special numbers" not ticked, in LibreOffice 7.4):
  dates are still dates and numbers numbers; date-times stay as written, as text.

Prints `spreadsheet_check: N passed, M failed` and exits non-zero if any check fails.
Needs LibreOffice Calc (Debian: `libreoffice-calc-nogui`) and openpyxl==3.1.5.
"""

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile

import openpyxl

PLAN = ["plan", "citalopram", "--from", "20mg", "--start", "2027-01-04", "--every", "2w",
        "--tablets", "10", "--split", "half"]
DAILY = ["plan", "citalopram", "--from", "20mg", "--start", "2027-01-04", "--every", "1w",
         "--liquid", "2mg/ml", "--daily"]
KETAMINE = ["--ketamine-series", "2027-02-03T10:00,6,3d", "--benzo", "lorazepam",
            "--benzo-dose", "1mg", "--benzo-times", "08:00,21:00"]
HEADER = ["Kind", "Step", "From", "To", "Days", "Dose mg/day", "How to take", "Occupancy %",
          "Notes"]
# LibreOffice CSV import options: separator, quote, charset (76 = UTF-8), first line,
# column formats (none: detect), language (1033 = English US, 1031 = German), quoted
# fields as text, detect special numbers (dates, times).
ENGLISH = "CSV:44,34,76,1,,1033,false,true"
GERMAN = "CSV:59,34,76,1,,1031,false,true"
# The Text Import dialog's defaults, but for the character set.
PLAIN = "CSV:44,34,76,1,,1033,false,false"
MOJIBAKE = ("Ã", "Â", "\ufffd")

passed, failed = 0, 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", file=sys.stderr)


def run(binary, args):
    return subprocess.run([binary, *args], capture_output=True, check=True).stdout


def soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(work, files, infilter):
    """Converts `files` (in `work`) to .xlsx with LibreOffice; returns their workbooks'
    first sheets as lists of rows of values."""
    profile = f"file://{work}/profile"
    subprocess.run([soffice(), f"-env:UserInstallation={profile}", "--headless",
                    "--infilter=" + infilter, "--convert-to", "xlsx", "--outdir",
                    os.path.join(work, "xlsx"), *[os.path.join(work, f) for f in files]],
                   capture_output=True, check=True, timeout=300)
    sheets = {}
    for f in files:
        book = openpyxl.load_workbook(os.path.join(work, "xlsx", f.replace(".csv", ".xlsx")))
        sheets[f] = [list(r) for r in book.active.iter_rows(values_only=True)]
    return sheets


def is_date(value, iso):
    return isinstance(value, dt.datetime) and value == dt.datetime.fromisoformat(iso)


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def text_cells(rows):
    return [c for r in rows for c in r if isinstance(c, str)]


def check_patient(rows, plan, label):
    check(rows[0] == HEADER, f"{label}: header {rows[0]}")
    kinds = [r[0] for r in rows[1:]]
    check(kinds[0] == "Summary", f"{label}: a summary row first")
    steps = [r for r in rows if r[0] == "Step"]
    sessions = [r for r in rows if r[0] == "Ketamine session"]
    check(len(steps) == len(plan["steps"]),
          f"{label}: one row per step ({len(steps)} for {len(plan['steps'])})")
    check(len(sessions) == len(plan["ketamine"]["sessions"]),
          f"{label}: one row per session ({len(sessions)})")
    check(len(rows) == 2 + len(steps) + len(sessions), f"{label}: no other rows")
    col = {name: i for i, name in enumerate(HEADER)}
    for row, step in zip(steps, plan["steps"]):
        n = step["step"]
        check(row[col["Step"]] == n and isinstance(row[col["Step"]], int),
              f"{label}: step {n} number is a number")
        check(is_date(row[col["From"]], step["start_date"]),
              f"{label}: step {n} From is the date {step['start_date']} ({row[col['From']]!r})")
        check(is_date(row[col["To"]], step["end_date"]),
              f"{label}: step {n} To is the date {step['end_date']} ({row[col['To']]!r})")
        check(row[col["Days"]] == step["days"], f"{label}: step {n} days")
        dose, occupancy = row[col["Dose mg/day"]], row[col["Occupancy %"]]
        check(is_number(dose) and abs(dose - step["dose_mg"]) < 0.005,
              f"{label}: step {n} dose {dose!r} is the number {step['dose_mg']}")
        check(is_number(occupancy) and round(occupancy, 1) == occupancy
              and abs(occupancy - step["occupancy_pct"]) <= 0.05,
              f"{label}: step {n} occupancy {occupancy!r} is a number to 0.1")
        check(row[col["How to take"]] == step["instructions"],
              f"{label}: step {n} how to take {row[col['How to take']]!r}")
    for row, session in zip(sessions, plan["ketamine"]["sessions"]):
        check(is_date(row[col["From"]], session["at"]),
              f"{label}: session {session['session']} at {session['at']} is a date-time "
              f"({row[col['From']]!r})")
    cells = text_cells(rows)
    check(not any(m in c for c in cells for m in MOJIBAKE), f"{label}: no mojibake")
    check(any("×" in c for c in cells) and any("½" in c for c in cells),
          f"{label}: × and ½ read as written")
    codes = {w["code"] for w in plan["warnings"]}
    check(not any(code in c for c in cells for code in codes), f"{label}: no flag codes")


def without_times(rows):
    """`rows` without their session rows, whose date-times only some imports read."""
    return [r for r in rows if r[0] != "Ketamine session"]


def numbers_and_dates(rows):
    return [[c for c in r if is_number(c) or isinstance(c, dt.datetime)] for r in rows]


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    if soffice() is None:
        check(False, "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
    else:
        try:
            check_all(os.path.abspath(sys.argv[1]))
        except Exception as e:  # noqa: BLE001 - a crash is a failed check, not a traceback
            check(False, f"{type(e).__name__}: {e}")
    print(f"spreadsheet_check: {passed} passed, {failed} failed")
    return 1 if failed else 0


def check_all(binary):
    plan = json.loads(run(binary, [*PLAN, *KETAMINE, "--format", "json"]))
    daily = json.loads(run(binary, [*DAILY, "--format", "json"]))
    ketamine = json.loads(run(binary, ["ketamine", "--start", "2027-01-04", *KETAMINE,
                                       "--format", "json"]))
    with tempfile.TemporaryDirectory() as work:
        files = {
            "plan.csv": [*PLAN, *KETAMINE],
            "bom.csv": [*PLAN, *KETAMINE, "--csv-bom"],
            "daily.csv": DAILY,
            "full.csv": [*PLAN, *KETAMINE, "--csv", "full"],
            "ketamine.csv": ["ketamine", "--start", "2027-01-04", *KETAMINE],
            "comma.csv": [*PLAN, *KETAMINE, "--csv-decimal", "comma"],
        }
        for name, args in files.items():
            with open(os.path.join(work, name), "wb") as f:
                f.write(run(binary, [*args, "--format", "csv"]))
        shutil.copy(os.path.join(work, "plan.csv"), os.path.join(work, "plain.csv"))
        english = convert(work, [f for f in files if f != "comma.csv"], ENGLISH)
        german = convert(work, ["comma.csv"], GERMAN)
        plain = convert(work, ["plain.csv"], PLAIN)["plain.csv"]

        check_patient(english["plan.csv"], plan, "patient CSV")

        bom = english["bom.csv"]
        check(bom[0][0] == "Kind", f"--csv-bom: the mark is not read into A1 ({bom[0][0]!r})")
        check(bom == english["plan.csv"], "--csv-bom: the same cells as without the mark")

        comma = german["comma.csv"]
        check(comma[0] == HEADER, f"--csv-decimal comma: header {comma[0]}")
        check(numbers_and_dates(comma) == numbers_and_dates(english["plan.csv"]),
              "--csv-decimal comma read as German: the same numbers and dates as the default "
              "read as English")
        check(not any(m in c for c in text_cells(comma) for m in MOJIBAKE),
              "--csv-decimal comma: no mojibake")

        rows = english["daily.csv"]
        days = [r for r in rows if r[0] == "Day"]
        check(len(days) == len(daily["daily"]),
              f"--daily: one row per day ({len(days)} for {len(daily['daily'])})")
        check(all(is_date(r[2], d["date"]) and is_number(r[4])
                  for r, d in zip(days, daily["daily"])),
              "--daily: each day's date is a date and its dose a number")

        rows = english["full.csv"]
        check(len(rows) == 1 + len(plan["steps"]), "--csv full: one row per step")
        check(all(is_date(r[1], s["start_date"]) for r, s in zip(rows[1:], plan["steps"])),
              "--csv full: start dates are dates")
        occupancy = rows[1][6]
        check(is_number(occupancy) and round(occupancy, 1) != occupancy
              and abs(occupancy - plan["steps"][0]["occupancy_pct"]) < 1e-6,
              f"--csv full: occupancy a number at full precision ({occupancy!r})")

        rows = english["ketamine.csv"]
        sessions = ketamine["ketamine"]["sessions"]
        check([r[0] for r in rows[2:]] == ["Ketamine session"] * len(sessions),
              "taper ketamine: one row per session")
        check(all(is_date(r[2], s["at"]) and is_date(r[3], s["hold_from"])
                  and is_date(r[4], s["hold_to"]) for r, s in zip(rows[2:], sessions)),
              "taper ketamine: session and hold times are date-times")
        check(numbers_and_dates(without_times(plain)) ==
              numbers_and_dates(without_times(english["plan.csv"])),
              "dialog defaults: the same dates and numbers")
        times = [r[2] for r in plain if r[0] == "Ketamine session"]
        check(times == [s["at"][:16].replace("T", " ") for s in plan["ketamine"]["sessions"]],
              f"dialog defaults: session times read as written ({times[:1]})")


if __name__ == "__main__":
    sys.exit(main())
