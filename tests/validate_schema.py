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
    fuzz_batch(run, taper, plan_schema, request_schema, check)
    print(f"validate_schema: {passed} passed, {failed} failed")
    return 1 if failed else 0


# The shape of a `taper batch` error line (README.md, "Requests and batches"). taper
# prints no schema for it (`taper schema` has request and plan), so it is written here
# from the README's contract; a code or key taper adds must be documented there first.
BATCH_ERROR_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "line", "ok", "error", "code", "field", "exit_code"],
    "properties": {
        "id": {},
        "line": {"type": "integer", "minimum": 1},
        "ok": {"const": False},
        "error": {"type": "string", "minLength": 1, "maxLength": 2000,
                  "pattern": "^[^\\x00-\\x1f\\x7f]*$"},
        "code": {"enum": ["unknown_field", "not_json", "invalid_value", "missing", "conflict",
                          "no_effect", "not_allowed", "cannot_plan", "unreadable_line",
                          "drug_file", "internal"]},
        "field": {"type": ["string", "null"]},
        "exit_code": {"enum": [1, 2]},
    },
}
BATCH_OK_KEYS = {"id", "line", "ok", "plan"}


def fuzz_batch(run, taper, plan_schema, request_schema, check, count=300, seed=15):
    """Generated batch lines (valid requests and hostile ones, seeded so a failure
    repeats): every result line is a plan valid against `taper schema plan` or an error
    object valid against BATCH_ERROR_SCHEMA, and no number is NaN or infinite."""
    import random
    rng = random.Random(seed)
    fields = sorted(request_schema.schema["properties"])
    texts = ["20mg", "10mg", "2027-02-03T10:00", "2027-01-04", "08:00,20:00", "lorazepam",
             "12h", "half", "auto", "uk", "4w", "2027-02-03T10:00,3,2d", "10mg/5ml", "0.1ml",
             "", "x" * 300, "\u001b[31m", "1e308", "-5", "0mg", "NaN", "striatum"]
    numbers = [0, -5, 1e308, 1e-308, 20, 10, 2.5, 4, 100, 10 ** 12]

    def value():
        kind = rng.random()
        if kind < 0.4:
            return rng.choice(texts)
        if kind < 0.7:
            return rng.choice(numbers)
        if kind < 0.8:
            return rng.random() < 0.5
        return [rng.choice(texts + numbers) for _ in range(rng.randrange(0, 5))]

    good = [
        {"drug": "citalopram", "from": "20mg"},
        {"drug": "sertraline", "from": 100, "tablets": [25, 50], "split": "half"},
        {"drug": "fluoxetine", "from": "20mg", "form": "auto", "market": "uk"},
        {"drug": "escitalopram", "from": 10, "ketamine": ["2027-02-03T10:00"],
         "benzo": ["lorazepam"], "benzo_dose": [1], "benzo_times": ["08:00"]},
        {"drug": "venlafaxine", "from": "75mg", "steps": 8, "daily": True},
    ]
    lines = []
    for i in range(count):
        request = dict(rng.choice(good))
        request["start"] = "2027-01-04"
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            key = rng.choice(fields)
            if key not in ("drug_file", "benzo_file"):
                request[key] = value()
        lines.append(json.dumps(request))
    lines.insert(count // 2, "{not json")
    lines.insert(count // 3, "[1, 2]")

    def strict(text):
        def refuse(name):
            raise ValueError(f"non-finite number {name}")
        return json.loads(text, parse_constant=refuse)

    proc = subprocess.run([taper, "batch"], input="\n".join(lines) + "\n",
                          capture_output=True, text=True)
    check("fuzzed batch exits 0 or 3", proc.returncode in (0, 3), proc.stderr[-300:])
    results = proc.stdout.splitlines()
    check("fuzzed batch: a result line per input line", len(results) == len(lines),
          f"{len(results)} for {len(lines)}")
    error_schema = Draft202012Validator(BATCH_ERROR_SCHEMA)
    planned = refused = 0
    for number, text in enumerate(results, start=1):
        try:
            result = strict(text)
        except ValueError as err:
            check(f"fuzzed line {number} is JSON with finite numbers", False, err)
            continue
        if result.get("ok") is True:
            planned += 1
            errors = sorted(plan_schema.iter_errors(result["plan"]), key=str)
            check(f"fuzzed line {number}: plan valid", not errors and set(result) == BATCH_OK_KEYS,
                  (errors[:1], sorted(result)))
        else:
            refused += 1
            errors = sorted(error_schema.iter_errors(result), key=str)
            check(f"fuzzed line {number}: error object valid", not errors, (errors[:1], text[:300]))
    # Both kinds must be exercised, or the check proves little.
    print(f"validate_schema: fuzzed batch of {len(lines)} lines: {planned} planned, {refused} refused")
    check(f"fuzzed batch planned some lines ({planned}) and refused some ({refused})",
          planned >= count // 10 and refused >= count // 10)


if __name__ == "__main__":
    sys.exit(main())
