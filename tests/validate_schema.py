#!/usr/bin/env python3
"""Checks taper's JSON against the schemas it prints, with an independent validator
(issue 6): `taper schema plan` must accept real plans of every kind, and
`taper schema request` real requests (and refuse a misspelt field).

    python3 tests/validate_schema.py <path-to-taper-binary>

Needs: jsonschema (Draft 2020-12).
"""

import json
import subprocess
import sys

from jsonschema import Draft202012Validator

PLANS = [
    ["citalopram", "--from", "20mg"],
    ["sertraline", "--from", "100mg", "--percent", "20", "--tablets", "25,50", "--split", "half",
     "--dispense-every", "4w"],
    ["citalopram", "--from", "20mg", "--liquid", "2mg/ml", "--daily", "--strips"],
    ["escitalopram", "--from", "10mg", "--region", "thalamus", "--ketamine-series",
     "2027-02-03T10:00,3,3d", "--benzo", "lorazepam", "--benzo-dose", "1mg",
     "--benzo-times", "08:00,21:00", "--benzo-taper", "10%/2w"],
    ["fluvoxamine", "--from", "100mg", "--emax", "80", "--ed50", "20"],
]
REQUESTS = [
    {"drug": "citalopram", "from": 20, "step_pp": 10, "align": True},
    {"drug": "sertraline", "from": "100mg", "tablets": [25, 50], "split": "half",
     "ketamine": ["2027-02-03T10:00"], "benzo": ["lorazepam"], "benzo_dose": [1],
     "benzo_times": ["08:00"], "equivalence": "va-dod"},
]


def main() -> int:
    taper = sys.argv[1]
    run = lambda *args: subprocess.run([taper, *args], check=True, capture_output=True, text=True).stdout
    plan_schema = Draft202012Validator(json.loads(run("schema", "plan")))
    request_schema = Draft202012Validator(json.loads(run("schema", "request")))
    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}: {detail}")

    for args in PLANS:
        plan = json.loads(run("plan", *args, "--start", "2027-01-04", "--plan-id", "schema-1",
                              "--format", "json"))
        errors = sorted(plan_schema.iter_errors(plan), key=str)
        check(" ".join(args[:3]), not errors, errors[:1])
        # The plan records the request it was made from, as a request taper accepts.
        errors = list(request_schema.iter_errors(plan["request"]))
        check(f"{args[0]}: the recorded request is a request", not errors, errors[:1])
        check(f"{args[0]}: plan id and revision",
              (plan["plan_id"], plan["revision"], plan["request"]["plan_id"])
              == ("schema-1", 1, "schema-1"))
    # A plan through three revisions (taper replan): each validates as a plan.
    import tempfile
    with tempfile.TemporaryDirectory() as workdir:
        path = f"{workdir}/r1.json"
        with open(path, "w") as f:
            f.write(run("plan", "citalopram", "--from", "20mg", "--start", "2027-01-04",
                        "--step-pp", "10", "--align", "--liquid", "2mg/ml",
                        "--ketamine", "2027-05-12T10:00", "--plan-id", "loop-1",
                        "--format", "json"))
        for i, change in enumerate([["--on", "2027-03-10", "--hold-until", "2027-04-20"],
                                    ["--on", "2027-05-10", "--back-to-step", "3", "--step-pp", "5"],
                                    ["--on", "2027-07-01", "--now", "2.5mg"]], start=2):
            plan = json.loads(run("replan", "--plan", path, *change, "--format", "json"))
            errors = sorted(plan_schema.iter_errors(plan), key=str)
            check(f"revision {i}", not errors and plan["revision"] == i, errors[:1])
            path = f"{workdir}/r{i}.json"
            with open(path, "w") as f:
                json.dump(plan, f)
    for key in ["plan_id", "revision", "request"]:
        check(f"plan schema requires {key}", key in plan_schema.schema["required"])
    for request in REQUESTS:
        errors = list(request_schema.iter_errors(request))
        check(f"request {request['drug']}", not errors, errors[:1])
    # The schema's property names are the request vocabulary: a typo is not in it, and
    # the schema refuses what taper refuses: unknown fields, a missing drug or dose.
    properties = request_schema.schema["properties"]
    check("misspelt field not in schema", "step_p" not in properties and "step_pp" in properties)
    for bad in [{"drug": "citalopram", "from": 20, "step_p": 5},
                {"drug": "citalopram", "from": 20, "format": "json"},
                {"drug": "citalopram"}, {"from": 20}]:
        check(f"request {sorted(bad)} refused by the schema", not request_schema.is_valid(bad))
    check("plan_id accepted", request_schema.is_valid(
        {"plan_id": "clinic-4711.2027", "drug": "citalopram", "from": 20}))
    for bad in ["has space", "-lead", "x" * 41, ""]:
        check(f"plan_id {bad!r} refused by the schema", not request_schema.is_valid(
            {"plan_id": bad, "drug": "citalopram", "from": 20}))
    check("id accepted", request_schema.is_valid({"id": 7, "drug": "citalopram", "from": 20}))
    print(f"validate_schema: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
