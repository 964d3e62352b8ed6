#!/usr/bin/env python3
"""Checks taper's printout and calendar formats with independent parsers (issue 5).

    python3 tests/validate_formats.py <path-to-taper-binary>

- ICS: parsed by the `icalendar` package (RFC 5545): one event per step on the step's
  dates, one per ketamine session and per hold window, stable UIDs, identical bytes
  across two exports, a display alarm per event with --remind.
- FHIR: validated against the models of `fhir.resources`: R4 itself (4.0.1) with
  fhir.resources 6.4.0 (pydantic 1), else the R4B (4.3.0) subpackage of fhir.resources 7
  or 8, whose default is R5 and which no longer ship R4. The script uses whichever is
  installed and says which.
- HTML: parsed by `html5lib` in strict mode (any parse error fails): one table row per
  step, the chart SVG, the escaped patient name, no script element.
- --daily: the ICS has an event per dosing day and the FHIR request an instruction
  per run of days at one dose, matching the plan's daily rows date for date.
- Markdown: rendered by `markdown-it-py` with GFM tables: the step table has a row per
  step and an escaped `|` stays inside its cell.
- Revisions (`taper replan`): revision 1's calendar and then revision 2's, imported into
  a calendar keyed by UID that keeps the highest SEQUENCE, leave exactly revision 2's
  events (cancelled ones dropped, none duplicated); another patient's plan shares no
  UID; revision 2's FHIR Bundle names the request it replaces (priorPrescription) and
  carries it as stopped.
- CSV: read by Python's `csv` module (RFC 4180): the patient's CSV (the default) has a
  summary row, a row per step and per session with ISO dates, `YYYY-MM-DD HH:MM` times
  and numbers that parse; `--csv full` has every column at full precision, a row per
  step. (`tests/spreadsheet_check.py` opens the same CSVs in LibreOffice.)

Exits non-zero if any check fails. Needs: icalendar==7.3.0, html5lib==1.1,
markdown-it-py==4.3.0, and fhir.resources==8.3.0 (R4B) or, for R4 proper,
fhir.resources==6.4.0 with pydantic==1.10.13 (in a virtualenv of their own).
"""

import csv
import datetime as dt
import io
import json
import subprocess
import sys

import fhir.resources
import html5lib
from icalendar import Calendar
from markdown_it import MarkdownIt

PLAN = ["plan", "citalopram", "--from", "20mg", "--start", "2027-01-04",
        "--every", "4w", "--step-pp", "10", "--align", "--plan-id", "fixed-plan"]
KETAMINE = ["--ketamine-series", "2027-02-03T10:00,3,3d", "--benzo", "lorazepam",
            "--benzo-dose", "1mg", "--benzo-times", "08:00,21:00"]
NOTICE_END = "the prescriber's decision with the patient."
HOLD = "hold — confirm with prescriber"
HOSTILE = "<script>alert(1)</script> | *x*"

passed, failed = 0, 0


def fhir_models():
    """(release, validate MedicationRequest, validate Bundle) for the installed package."""
    if getattr(fhir.resources, "__fhir_version__", "") == "4.0.1":
        from fhir.resources.bundle import Bundle
        from fhir.resources.medicationrequest import MedicationRequest
        return "R4 4.0.1", MedicationRequest.parse_obj, Bundle.parse_obj
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.medicationrequest import MedicationRequest
    return "R4B 4.3.0", MedicationRequest.model_validate, Bundle.model_validate


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", file=sys.stderr)


def run(binary, args):
    out = subprocess.run([binary, *args], capture_output=True, check=True)
    return out.stdout


def check_ics(binary, plan):
    args = [*PLAN, *KETAMINE, "--format", "ics", "--remind", "08:00"]
    raw = run(binary, args)
    check(raw == run(binary, args), "ICS: two exports of the same plan are byte-identical")
    cal = Calendar.from_ical(raw)
    check(not getattr(cal, "errors", []), f"ICS: parse errors {getattr(cal, 'errors', [])}")
    events = list(cal.walk("VEVENT"))
    sessions = plan["ketamine"]["sessions"]
    check(len(events) == len(plan["steps"]) + 2 * len(sessions),
          f"ICS: {len(events)} events for {len(plan['steps'])} steps and {len(sessions)} sessions")
    uids = [str(e["UID"]) for e in events]
    check(len(set(uids)) == len(uids), "ICS: UIDs are unique")
    by_uid = {str(e["UID"]): e for e in events}
    for s in plan["steps"]:
        e = by_uid.get(f"fixed-plan-step-{s['start_date']}@taper")
        check(e is not None, f"ICS: event for step {s['step']}")
        if e is None:
            continue
        start = dt.date.fromisoformat(s["start_date"])
        end = dt.date.fromisoformat(s["end_date"]) + dt.timedelta(days=1)
        check(e.decoded("DTSTART") == start, f"ICS: step {s['step']} starts {start}")
        check(e.decoded("DTEND") == end, f"ICS: step {s['step']} ends (exclusive) {end}")
        check("citalopram" not in str(e["SUMMARY"]), "ICS: private titles name no drug")
    for s in sessions:
        e = by_uid.get(f"fixed-plan-session-{s['session']}@taper")
        at = dt.datetime.fromisoformat(s["at"])
        check(e is not None and e.decoded("DTSTART") == at, f"ICS: session at {at}")
        h = by_uid.get(f"fixed-plan-hold-{s['session']}@taper")
        start = dt.datetime.fromisoformat(s["hold_from"])
        check(h is not None and h.decoded("DTSTART") == start, f"ICS: hold from {start}")
        check(h is not None and HOLD in str(h["DESCRIPTION"]), "ICS: held doses marked")
    for e in events:
        check(str(e["DESCRIPTION"]).endswith(NOTICE_END), "ICS: description ends with the notice")
        alarms = [c for c in e.subcomponents if c.name == "VALARM"]
        check(len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY", "ICS: one display alarm")
    # 08:00 on the day of an all-day event is 8 h after its start.
    first = by_uid["fixed-plan-step-2027-01-04@taper"]
    trigger = first.subcomponents[0].decoded("TRIGGER")
    check(trigger == dt.timedelta(hours=8), f"ICS: all-day reminder at 08:00 ({trigger})")
    full = Calendar.from_ical(run(binary, [*PLAN, "--format", "ics", "--ics-titles", "full"]))
    check(any("citalopram" in str(e["SUMMARY"]) for e in full.walk("VEVENT")),
          "ICS: --ics-titles full names the drug")


def check_fhir(binary, plan):
    release, medication_request, bundle_of = fhir_models()
    print(f"validate_formats: FHIR models {release} (fhir.resources {fhir.resources.__version__})")
    request = json.loads(run(binary, [*PLAN, "--format", "fhir", "--patient", HOSTILE]))
    try:
        model = medication_request(request)
    except Exception as e:  # noqa: BLE001 - report any validation failure
        check(False, f"FHIR: MedicationRequest does not validate: {e}")
        return
    check(True, f"FHIR: MedicationRequest validates against {release}")
    # The models check structure, not value sets: check the codes that matter here.
    check((model.status, model.intent) == ("draft", "proposal"), "FHIR: a draft proposal")
    unit = model.dosageInstruction[0].doseAndRate[0].doseQuantity
    check((unit.system, unit.code) == ("http://unitsofmeasure.org", "mg"), "FHIR: UCUM mg")
    dosage = model.dosageInstruction
    check(all(d.timing.repeat.periodUnit == "d" and d.timing.repeat.frequency == 1
              for d in dosage), "FHIR: once a day")
    check(len(dosage) == len(plan["steps"]), "FHIR: one dosageInstruction per step")
    check([d.sequence for d in dosage] == list(range(1, len(dosage) + 1)), "FHIR: sequence 1..n")
    check(dosage[-1].text == "stop" and float(dosage[-1].doseAndRate[0].doseQuantity.value) == 0,
          "FHIR: the last instruction is stop, 0 mg")
    check(model.subject.display == HOSTILE, "FHIR: the patient is carried as given")
    bundle = json.loads(run(binary, [*PLAN, *KETAMINE, "--format", "fhir"]))
    try:
        b = bundle_of(bundle)
    except Exception as e:  # noqa: BLE001
        check(False, f"FHIR: Bundle does not validate: {e}")
        return
    check(b.type == "collection" and len(b.entry) == 2, "FHIR: Bundle with taper and regimen")
    benzo = b.entry[1].resource
    notes = " ".join(n.text for n in benzo.note)
    check(notes.count(HOLD) == 3, "FHIR: each held dose is listed")
    times = [str(t) for t in benzo.dosageInstruction[0].timing.repeat.timeOfDay]
    check(times == ["08:00:00", "21:00:00"], f"FHIR: timeOfDay {times}")


def check_daily(binary, _plan):
    """--daily: the dose falls every day, so the calendar has an event per dosing day
    and FHIR an instruction per run of days at one dose, each matching the daily rows."""
    daily = [*PLAN, "--daily", "--liquid", "2mg/ml"]
    plan = json.loads(run(binary, [*daily, "--format", "json"]))
    dosing = [r for r in plan["daily"] if r["dose_mg"] > 0]
    cal = Calendar.from_ical(run(binary, [*daily, "--format", "ics"]))
    by_uid = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    check(len(by_uid) == len(dosing) + 1, f"ICS daily: {len(by_uid)} events for {len(dosing)} days + stop")
    mismatched = [r["day"] for r in dosing
                  if (e := by_uid.get(f"fixed-plan-day-{r['date']}@taper")) is None
                  or e.decoded("DTSTART") != dt.date.fromisoformat(r["date"])
                  or r["instructions"] not in str(e["DESCRIPTION"])]
    check(not mismatched, f"ICS daily: each day's event has its date and dose (wrong: {mismatched[:5]})")
    _, medication_request, _ = fhir_models()
    model = medication_request(json.loads(run(binary, [*daily, "--format", "fhir"])))
    dosage = model.dosageInstruction
    covered = []
    for d in dosage[:-1]:
        start = dt.date.fromisoformat(str(d.timing.repeat.boundsPeriod.start)[:10])
        end = dt.date.fromisoformat(str(d.timing.repeat.boundsPeriod.end)[:10])
        mg = float(d.doseAndRate[0].doseQuantity.value)
        covered += [(str(start + dt.timedelta(days=i)), mg) for i in range((end - start).days + 1)]
    wanted = [(r["date"], r["dose_mg"]) for r in dosing]
    check(len(covered) == len(wanted) and all(c[0] == w[0] and abs(c[1] - w[1]) < 1e-6
                                              for c, w in zip(covered, wanted)),
          "FHIR daily: the instructions cover every dosing day at its dose, in order")
    check(dosage[-1].text == "stop", "FHIR daily: the last instruction is stop")


def check_html(binary, plan):
    raw = run(binary, [*PLAN, *KETAMINE, "--format", "html", "--patient", HOSTILE])
    try:
        doc = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(raw)
    except Exception as e:  # noqa: BLE001
        check(False, f"HTML: parse error: {e}")
        return
    check(True, "HTML: parses without error")
    steps = doc.find(".//table[@class='steps']/tbody")
    check(steps is not None and len(steps.findall("tr")) == len(plan["steps"]),
          "HTML: one row per step")
    check(doc.find(".//svg") is not None or b"<svg class=\"chart\"" in raw, "HTML: chart SVG")
    check(not doc.findall(".//script"), "HTML: no script element")
    text = "".join(doc.itertext())
    check(HOSTILE in text, "HTML: the patient's name shows as text")
    check(text.count(HOLD) >= 3, "HTML: held doses marked")


def check_markdown(binary, plan):
    raw = run(binary, [*PLAN, *KETAMINE, "--format", "markdown", "--patient", HOSTILE]).decode()
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    tokens = md.parse(raw)
    check(not any(t.type in ("html_inline", "html_block") and "script" in t.content
                  for t in tokens + [c for t in tokens for c in (t.children or [])]),
          "Markdown: no raw HTML from the patient's name")
    html = md.render(raw)
    check(html.count("<table>") == 2, "Markdown: step and session tables render")
    first = html.split("<tbody>")[1].split("</tbody>")[0]
    check(first.count("<tr>") == len(plan["steps"]), "Markdown: one row per step")
    check("&lt;script&gt;alert(1)&lt;/script&gt; | <em>" not in html
          and "&lt;script&gt;alert(1)&lt;/script&gt; | *x*" in html,
          "Markdown: the patient's name renders literally")


def check_csv(binary, plan):
    rows = list(csv.reader(io.StringIO(run(binary, [*PLAN, *KETAMINE, "--format", "csv"]).decode())))
    header = rows[0]
    check(header[:6] == ["Kind", "Step", "From", "To", "Days", "Dose mg/day"]
          and header[-2:] == ["Occupancy %", "Notes"], f"CSV: patient header {header}")
    check(all(len(r) == len(header) for r in rows), "CSV: every row has every column")
    col = {name: i for i, name in enumerate(header)}
    steps = [r for r in rows if r[0] == "Step"]
    sessions = [r for r in rows if r[0] == "Ketamine session"]
    check(rows[1][0] == "Summary" and NOTICE_END in rows[1][col["Notes"]],
          "CSV: a summary row with the notice")
    check(len(steps) == len(plan["steps"]) and len(sessions) == len(plan["ketamine"]["sessions"])
          and len(rows) == 2 + len(steps) + len(sessions),
          "CSV: one row per step and per session")
    check(all(r[col["From"]] == s["start_date"] and r[col["To"]] == s["end_date"]
              and abs(float(r[col["Dose mg/day"]]) - s["dose_mg"]) < 0.005
              and abs(float(r[col["Occupancy %"]]) - s["occupancy_pct"]) <= 0.05
              for r, s in zip(steps, plan["steps"])), "CSV: each step's dates, dose, occupancy")
    check([r[col["From"]] for r in sessions]
          == [dt.datetime.fromisoformat(s["at"]).strftime("%Y-%m-%d %H:%M")
              for s in plan["ketamine"]["sessions"]], "CSV: session times as YYYY-MM-DD HH:MM")
    full = list(csv.DictReader(io.StringIO(
        run(binary, [*PLAN, *KETAMINE, "--format", "csv", "--csv", "full"]).decode())))
    check(len(full) == len(plan["steps"]), "CSV full: one row per step")
    check(all(r["start_date"] == s["start_date"]
              and abs(float(r["occupancy_pct"]) - s["occupancy_pct"]) < 1e-6
              and abs(float(r["dose_mg"]) - s["dose_mg"]) < 1e-6
              and r["flags"] == ";".join(s["flags"]) and NOTICE_END in r["notice"]
              for r, s in zip(full, plan["steps"])),
          "CSV full: each step's dates, numbers at full precision, flags and notice")


def revisions(binary, workdir, plan_id="loop-1"):
    """Paths of revisions 1 and 2 of a plan with ketamine sessions: a hold from
    2027-03-10 until 2027-04-20 (the later steps move, so their events are replaced)."""
    r1 = f"{workdir}/{plan_id}-r1.json"
    with open(r1, "wb") as f:
        f.write(run(binary, [*PLAN[:-1], plan_id, *KETAMINE, "--format", "json"]))
    r2 = f"{workdir}/{plan_id}-r2.json"
    with open(r2, "wb") as f:
        f.write(run(binary, ["replan", "--plan", r1, "--on", "2027-03-10",
                             "--hold-until", "2027-04-20", "--format", "json"]))
    return r1, r2


def check_updating_calendar(binary, _plan):
    """Revision 1's ICS then revision 2's, imported into a calendar keyed by UID that
    keeps the highest SEQUENCE (RFC 5545 §3.8.7.4) and drops cancelled events, leaves
    exactly revision 2's events: none duplicated, none stale."""
    import tempfile
    with tempfile.TemporaryDirectory() as workdir:
        r1, r2 = revisions(binary, workdir)
        ics = {1: run(binary, [*PLAN[:-1], "loop-1", *KETAMINE, "--format", "ics"]),
               2: run(binary, ["replan", "--plan", r1, "--on", "2027-03-10",
                               "--hold-until", "2027-04-20", "--format", "ics"])}
        calendar = {}
        for i in (1, 2):
            cal = Calendar.from_ical(ics[i])
            for e in cal.walk("VEVENT"):
                uid, seq = str(e["UID"]), int(e.get("SEQUENCE", 0))
                check(seq == i - 1, f"calendar: revision {i} event {uid} has SEQUENCE {seq}")
                check(e.decoded("DTSTAMP").date() == (dt.date(2027, 1, 4) if i == 1 else dt.date(2027, 3, 10)),
                      f"calendar: revision {i} DTSTAMP {e.decoded('DTSTAMP')}")
                if uid not in calendar or seq >= calendar[uid][0]:
                    calendar[uid] = (seq, e)
        live = {uid: e for uid, (_, e) in calendar.items()
                if str(e.get("STATUS", "")).upper() != "CANCELLED"}
        doc = json.load(open(r2))
        expected = {f"loop-1-step-{s['start_date']}@taper": s for s in doc["steps"]}
        expected.update({f"loop-1-{kind}-{s['session']}@taper": s
                         for s in doc["ketamine"]["sessions"] for kind in ("session", "hold")})
        check(set(live) == set(expected),
              f"calendar: after revision 2 it holds {sorted(set(live) ^ set(expected))} in excess or missing")
        for uid, s in expected.items():
            if "step" in uid and uid in live:
                e = live[uid]
                check(e.decoded("DTSTART") == dt.date.fromisoformat(s["start_date"])
                      and e.decoded("DTEND") == dt.date.fromisoformat(s["end_date"]) + dt.timedelta(days=1),
                      f"calendar: {uid} has revision 2's dates")
        starts = [e.decoded("DTSTART") for uid, e in live.items() if "-step-" in uid]
        check(len(starts) == len(set(starts)), "calendar: no two step events start the same day")
        # The first revision's later steps moved: their events are cancelled, not left.
        cancelled = [uid for uid, (_, e) in calendar.items()
                     if str(e.get("STATUS", "")).upper() == "CANCELLED"]
        check(len(cancelled) == len(doc["cancelled"]) > 0,
              f"calendar: {len(cancelled)} cancelled events for {len(doc['cancelled'])} cancelled steps")
        # Another patient, same drug and day: no UID in common.
        _, other = revisions(binary, workdir, plan_id="loop-2")
        other_ics = run(binary, ["replan", "--plan", f"{workdir}/loop-2-r1.json", "--on", "2027-03-10",
                                 "--hold-until", "2027-04-20", "--format", "ics"])
        other_uids = {str(e["UID"]) for e in Calendar.from_ical(other_ics).walk("VEVENT")}
        check(not other_uids & set(calendar), "calendar: two patients share no UID")


def check_replaced_fhir(binary, _plan):
    """Revision 2's FHIR: a Bundle whose new request names the one it replaces
    (priorPrescription), which is in the Bundle as stopped."""
    import tempfile
    _, _, validate_bundle = fhir_models()
    with tempfile.TemporaryDirectory() as workdir:
        r1, _ = revisions(binary, workdir)
        bundle = json.loads(run(binary, ["replan", "--plan", r1, "--on", "2027-03-10",
                                         "--hold-until", "2027-04-20", "--format", "fhir"]))
        validate_bundle(bundle)
        requests = {e["resource"]["id"]: e["resource"] for e in bundle["entry"]}
        new, old = requests.get("loop-1-r2-taper"), requests.get("loop-1-r1-taper")
        check(new is not None and old is not None, f"FHIR revision: ids {sorted(requests)}")
        check(new["priorPrescription"] == {"reference": "MedicationRequest/loop-1-r1-taper"},
              "FHIR revision: priorPrescription names revision 1")
        check(old["status"] in ("stopped", "cancelled"), f"FHIR revision: the earlier is {old['status']}")


def check_ketamine_ics(binary, plan):
    """taper ketamine --format ics: the same session and hold events as the plan's
    calendar, with UIDs from the calendar's own id, for a patient without a taper."""
    args = ["ketamine", "--start", "2027-01-04", *KETAMINE, "--format", "ics",
            "--plan-id", "k-1", "--remind", "07:30"]
    raw = run(binary, args)
    check(raw == run(binary, args), "ketamine ICS: the same --plan-id gives identical bytes")
    cal = Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    sessions = plan["ketamine"]["sessions"]
    check(len(events) == 2 * len(sessions),
          f"ketamine ICS: {len(events)} events for {len(sessions)} sessions and their holds")
    by_uid = {str(e["UID"]): e for e in events}
    for s in sessions:
        e = by_uid.get(f"k-1-session-{s['session']}@taper")
        at = dt.datetime.fromisoformat(s["at"])
        check(e is not None and e.decoded("DTSTART") == at, f"ketamine ICS: session at {at}")
        h = by_uid.get(f"k-1-hold-{s['session']}@taper")
        check(h is not None and HOLD in str(h["DESCRIPTION"]), "ketamine ICS: held doses marked")
    for e in events:
        check(str(e["DESCRIPTION"]).endswith(NOTICE_END), "ketamine ICS: ends with the notice")
        check(len([c for c in e.subcomponents if c.name == "VALARM"]) == 1,
              "ketamine ICS: one reminder per event")
    other = Calendar.from_ical(run(binary, [*args[:-4], "--plan-id", "k-2"]))
    check(not set(by_uid) & {str(e["UID"]) for e in other.walk("VEVENT")},
          "ketamine ICS: two patients' calendars share no UID")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = sys.argv[1]
    plan = json.loads(run(binary, [*PLAN, *KETAMINE, "--format", "json"]))
    for name, fn in [("ics", check_ics), ("fhir", check_fhir), ("daily", check_daily),
                     ("ketamine ics", check_ketamine_ics), ("html", check_html), ("markdown", check_markdown), ("csv", check_csv),
                     ("updating calendar", check_updating_calendar),
                     ("replaced fhir", check_replaced_fhir)]:
        try:
            fn(binary, plan)
        except Exception as e:  # noqa: BLE001 - a crash is a failed check, not a traceback
            check(False, f"{name}: {type(e).__name__}: {e}")
    print(f"validate_formats: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
