//! Release forms (issue 11, item 3): products carry their release form and what their
//! labels allow; a modified-release tablet is never split; a capsule is opened for its
//! beads only where that is the label's or published practice's; and where an
//! immediate-release liquid replaces a modified-release product (venlafaxine XL → oral
//! solution), the day's dose is given in the divided doses the liquid's label states, in
//! the instructions, the calendar, FHIR and the handout, with the reason.

mod common;

use common::{assert_refused, plan_json, run, taper};
use serde_json::Value;

fn steps(plan: &Value) -> &Vec<Value> {
    plan["steps"].as_array().unwrap()
}

fn instructions(plan: &Value) -> Vec<String> {
    steps(plan)
        .iter()
        .filter_map(|s| s["instructions"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn a_modified_release_tablet_is_never_split() {
    // Desvenlafaxine is made only as extended-release tablets.
    for split in ["half", "quarter"] {
        assert_refused(
            &[
                "plan",
                "desvenlafaxine",
                "--from",
                "50mg",
                "--tablets",
                "25,50",
                "--split",
                split,
            ],
            "--split cannot be used with desvenlafaxine",
        );
        for form in ["auto", "tablet"] {
            assert_refused(
                &[
                    "plan",
                    "desvenlafaxine",
                    "--from",
                    "50mg",
                    "--form",
                    form,
                    "--split",
                    split,
                ],
                "leave out --split",
            );
        }
    }
    // Even a strength the catalog does not list: every desvenlafaxine tablet is ER.
    assert_refused(
        &[
            "plan",
            "desvenlafaxine",
            "--from",
            "50mg",
            "--tablets",
            "10",
            "--split",
            "half",
        ],
        "swallowed whole",
    );
    let plan = plan_json(&["desvenlafaxine", "--from", "100mg", "--form", "auto"]);
    let how = instructions(&plan);
    assert!(!how.is_empty());
    assert!(
        how.iter().all(|h| !h.contains('½') && !h.contains('¼')),
        "{how:?}"
    );
}

#[test]
fn a_json_request_is_refused_in_its_own_spelling() {
    let out = taper()
        .args(["plan", "--request", "-"])
        .write_stdin(r#"{"drug":"desvenlafaxine","from":"50mg","tablets":[50],"split":"half"}"#)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("swallowed whole"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// Every catalog tablet its label says is swallowed whole, in every plan of a grid of
/// drugs, markets, forms and starting doses, is taken whole.
#[test]
fn no_plan_of_the_grid_splits_a_tablet_that_is_swallowed_whole() {
    let products = common::run_json(&["products", "--format", "json"]);
    let whole: Vec<(String, String, f64)> = products["products"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["never_split"] == true)
        .flat_map(|p| {
            let drug = p["drug"].as_str().unwrap().to_string();
            let market = p["market"].as_str().unwrap().to_string();
            p["strengths_mg"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |s| (drug.clone(), market.clone(), s.as_f64().unwrap()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(!whole.is_empty(), "the catalog lists no whole-only tablet");
    let mut planned = 0;
    for (drug, market, strength) in &whole {
        for form in ["auto", "tablet"] {
            for from in [strength * 2.0, *strength] {
                let from = format!("{from}mg");
                let out = taper()
                    .args([
                        "plan", drug, "--from", &from, "--form", form, "--market", market,
                        "--format", "json",
                    ])
                    .output()
                    .unwrap();
                if !out.status.success() {
                    continue;
                }
                planned += 1;
                let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
                for how in instructions(&plan) {
                    assert!(
                        !how.contains('½') && !how.contains('¼'),
                        "{drug} {from} --form {form}: {how}"
                    );
                }
            }
        }
    }
    assert!(planned > 0);
}

#[test]
fn beads_are_counted_only_from_capsules_that_may_be_opened() {
    // Duloxetine's label says not to open the capsule; counting its beads is the
    // published tapering practice, so the plan says it is off-label.
    let plan = plan_json(&[
        "duloxetine",
        "--from",
        "60mg",
        "--capsule",
        "20,30,60",
        "--beads-per-capsule",
        "120",
        "--market",
        "uk",
    ]);
    let caveats = plan["formulation"]["caveats"].to_string();
    assert!(caveats.contains("off-label"), "{caveats}");
    // Venlafaxine XR's label allows opening: no off-label caveat.
    let plan = plan_json(&[
        "venlafaxine",
        "--from",
        "75mg",
        "--capsule",
        "37.5,75",
        "--beads-per-capsule",
        "100",
    ]);
    assert!(
        !plan["formulation"]["caveats"]
            .to_string()
            .contains("off-label")
    );
    // A capsule whose label forbids opening is refused for beads.
    let dir = tempfile_dir();
    let file = dir.join("closed.toml");
    let text = std::fs::read_to_string("schedules/venlafaxine.toml")
        .unwrap()
        .replacen("open = \"label\"", "open = \"no\"", 1);
    std::fs::write(&file, text).unwrap();
    let path = file.to_str().unwrap();
    assert_refused(
        &[
            "plan",
            "venlafaxine",
            "--from",
            "75mg",
            "--drug-file",
            path,
            "--capsule",
            "37.5,75",
            "--beads-per-capsule",
            "100",
        ],
        "--beads-per-capsule cannot be used with venlafaxine",
    );
    assert_refused(
        &[
            "plan",
            "venlafaxine",
            "--from",
            "75mg",
            "--drug-file",
            path,
            "--form",
            "capsule",
            "--beads-per-capsule",
            "100",
        ],
        "not to be opened",
    );
    std::fs::remove_dir_all(dir).unwrap();
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("taper-release-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const VENLAFAXINE_PHASES: &[&str] = &[
    "venlafaxine",
    "--from",
    "150mg",
    "--form",
    "auto",
    "--market",
    "uk",
];

#[test]
fn an_immediate_release_liquid_replacing_xl_is_taken_twice_a_day() {
    let plan = plan_json(VENLAFAXINE_PHASES);
    let mut liquid_steps = 0;
    for s in steps(&plan) {
        let how = s["instructions"].as_str().unwrap_or("");
        if how.contains("oral solution") {
            liquid_steps += 1;
            assert_eq!(s["times_a_day"], 2, "{s}");
            assert!(how.starts_with("twice a day, draw "), "{how}");
            assert!(how.contains(" mg each time, "), "{how}");
        } else if how.contains("capsule") {
            assert!(s.get("times_a_day").is_none(), "{s}");
        }
    }
    assert!(liquid_steps > 1, "{plan}");
    let warning = plan["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "divided_doses")
        .expect("a divided_doses warning");
    assert_eq!(warning["severity"], "info");
    let message = warning["message"].as_str().unwrap();
    assert!(message.contains("two divided doses"), "{message}");
    assert!(
        message.contains("medicines.org.uk/emc/product/12749"),
        "{message}"
    );
    // The day's amount of liquid to dispense is both doses.
    let first = steps(&plan).iter().find(|s| s["times_a_day"] == 2).unwrap();
    let ml = first["daily_usage"][0]["amount"].as_f64().unwrap();
    let how = first["instructions"].as_str().unwrap();
    let each: f64 = how
        .trim_start_matches("twice a day, draw ")
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((ml - 2.0 * each).abs() < 1e-9, "{ml} vs {each}: {how}");
}

#[test]
fn a_liquid_given_by_strength_takes_its_label_s_divided_doses() {
    let plan = plan_json(&[
        "venlafaxine",
        "--from",
        "75mg",
        "--liquid",
        "37.5mg/5ml",
        "--market",
        "uk",
    ]);
    let how = instructions(&plan);
    assert!(how[1].starts_with("twice a day, "), "{how:?}");
    // No such liquid in the US market: no label to divide it.
    let plan = plan_json(&["venlafaxine", "--from", "75mg", "--liquid", "37.5mg/5ml"]);
    assert!(instructions(&plan).iter().all(|h| !h.contains("twice")));
}

#[test]
fn fhir_gives_the_divided_doses_as_frequency_two_of_half_the_day_s_dose() {
    let mut args = vec!["plan"];
    args.extend(VENLAFAXINE_PHASES);
    args.extend(["--start", "2027-01-04", "--format", "fhir"]);
    let document: Value = serde_json::from_str(&run(&args)).unwrap();
    let text = document.to_string();
    // One MedicationRequest, or a Bundle of them (with ketamine sessions).
    let requests: Vec<&Value> = match document["entry"].as_array() {
        Some(entries) => entries.iter().map(|e| &e["resource"]).collect(),
        None => vec![&document],
    };
    let mut twice = 0;
    for request in requests {
        let Some(dosage) = request["dosageInstruction"].as_array() else {
            continue;
        };
        for d in dosage {
            let repeat = &d["timing"]["repeat"];
            if repeat["frequency"] == 2 {
                twice += 1;
                let text = d["text"].as_str().unwrap();
                assert!(text.contains("2 divided doses (twice a day)"), "{text}");
                let each = d["doseAndRate"][0]["doseQuantity"]["value"]
                    .as_f64()
                    .unwrap();
                let day: f64 = text
                    .split("venlafaxine ")
                    .nth(1)
                    .unwrap()
                    .split(' ')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!((2.0 * each - day).abs() < 1e-6, "{each} × 2 ≠ {day}");
            }
        }
    }
    assert!(twice > 1, "{text}");
}

#[test]
fn the_calendar_and_the_handout_say_twice_a_day() {
    let mut args = vec!["plan"];
    args.extend(VENLAFAXINE_PHASES);
    args.extend(["--start", "2027-01-04"]);
    let ics = run(&[args.as_slice(), &["--format", "ics"]].concat());
    // Folded lines: join them before searching.
    let unfolded = ics.replace("\r\n ", "");
    // ICS escapes the comma.
    assert!(
        unfolded.contains("How to take: twice a day\\, draw "),
        "{ics}"
    );
    let handout = run(&[args.as_slice(), &["--format", "handout"]].concat());
    assert!(handout.contains("Twice a day, draw "), "{handout}");
    let daily = run(&[args.as_slice(), &["--format", "handout", "--daily"]].concat());
    assert!(daily.contains("Twice a day, draw "), "{daily}");
}

/// Every remedy the catalog suggests as options (printed in a held plan's danger
/// warning as a command) runs as written, from the drug's usual minimum and maximum
/// dose; a remedy that needs a count first (beads) is worded as a step instead.
#[test]
fn every_catalog_remedy_command_runs_as_written() {
    let drugs = common::run_json(&["drugs", "--format", "json"]);
    let mut ran = 0;
    for drug in drugs["drugs"].as_array().unwrap() {
        let name = drug["name"].as_str().unwrap();
        for remedy in drug["tail_remedies"].as_array().into_iter().flatten() {
            let Some(options) = remedy["options"].as_str() else {
                let text = remedy["text"].as_str().unwrap();
                assert!(text.contains("pharmacist"), "{name}: {text}");
                continue;
            };
            for key in ["min_mg", "max_mg"] {
                let from = format!("{}mg", drug["usual_dose"][key].as_f64().unwrap());
                let mut args = vec!["plan", name, "--from", &from];
                args.extend(options.split_whitespace());
                run(&args);
                ran += 1;
            }
        }
    }
    assert!(ran >= 20, "{ran}");
}

#[test]
fn a_remedy_with_a_placeholder_is_refused_when_the_catalog_is_read() {
    let dir = std::env::temp_dir().join(format!("taper-remedy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("duloxetine.toml");
    let text = std::fs::read_to_string("schedules/duloxetine.toml").unwrap().replace(
        "[[tail_remedies]]\nmarket = \"uk\"\n",
        "[[tail_remedies]]\nmarket = \"uk\"\noptions = \"--capsule 20 --beads-per-capsule N\"\n",
    );
    std::fs::write(&file, text).unwrap();
    assert_refused(
        &["drugs", "--drug-file", file.to_str().unwrap()],
        "no placeholder",
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_discontinued_product_is_named_as_discontinued_not_missing() {
    let plan = plan_json(&[
        "paroxetine",
        "--from",
        "20mg",
        "--form",
        "tablet",
        "--market",
        "uk",
    ]);
    let text = plan["warnings"].to_string();
    assert!(text.contains("has since been discontinued"), "{text}");
    let list = run(&["products", "paroxetine", "--market", "uk"]);
    assert!(list.contains("discontinued"), "{list}");
    let json = common::run_json(&["products", "paroxetine", "--format", "json"]);
    let gone: Vec<&Value> = json["products"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["available"] == false)
        .collect();
    assert_eq!(gone.len(), 1);
    assert!(gone[0]["discontinued"].is_string());
}
