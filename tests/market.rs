//! Market truth (issue 11, item 4 and 5): concentrates that must be diluted say so in
//! every dose's instruction, with their label as source; drop bottles with an in-use
//! shelf life are counted by that life; catalog gaps closed where a source exists.

mod common;

use common::{plan_json, run};
use serde_json::Value;

fn instructions(plan: &Value) -> Vec<String> {
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["instructions"].as_str().map(str::to_string))
        .filter(|s| s != "stop" && !s.is_empty())
        .collect()
}

#[test]
fn the_us_sertraline_concentrate_is_diluted_in_every_dose() {
    let plan = plan_json(&[
        "sertraline",
        "--from",
        "50mg",
        "--liquid",
        "20mg/ml",
        "--market",
        "us",
        "--syringe",
        "0.01ml",
    ]);
    let lines = instructions(&plan);
    assert!(lines.len() > 5, "{lines:?}");
    for line in &lines {
        assert!(
            line.starts_with("draw ")
                && line.contains("of the oral concentrate 20 mg/mL")
                && line.ends_with(
                    "mix it with 4 ounces (½ cup) of water, ginger ale, lemon/lime soda, lemonade or orange juice only, and take it straight away"
                ),
            "{line}"
        );
    }
    // One draw: "… (12 mg) and mix it …"; in parts: "…; then mix it …".
    assert!(lines.iter().any(|l| l.contains(" mg) and mix it with")));
    // The label is quoted, with its source, among the product notes.
    let caveats = plan["formulation"]["caveats"].to_string();
    assert!(
        caveats.contains("must be diluted before use") && caveats.contains("Patient Counseling"),
        "{caveats}"
    );
}

#[test]
fn the_uk_sertraline_concentrate_is_diluted_and_the_suspension_is_not() {
    let concentrate = plan_json(&[
        "sertraline",
        "--from",
        "100mg",
        "--liquid",
        "100mg/5ml",
        "--market",
        "uk",
    ]);
    for line in instructions(&concentrate) {
        assert!(
            line.contains("of the oral concentrate 100 mg/5 mL")
                && line.contains(
                    " mg) and dilute it just before taking it, as the leaflet that comes with it says"
                ),
            "{line}"
        );
    }
    let suspension = plan_json(&[
        "sertraline",
        "--from",
        "100mg",
        "--liquid",
        "50mg/5ml",
        "--market",
        "uk",
    ]);
    for line in instructions(&suspension) {
        assert!(
            !line.contains("dilute") && !line.contains("mix it"),
            "{line}"
        );
    }
}

#[test]
fn the_handout_names_the_dilution_once_a_month() {
    let html = run(&[
        "plan",
        "sertraline",
        "--from",
        "10mg",
        "--liquid",
        "20mg/ml",
        "--market",
        "us",
        "--syringe",
        "0.01ml",
        "--daily",
        "--format",
        "handout",
    ]);
    assert!(
        html.contains("Each dose this month is of the oral concentrate 20 mg/mL: mix it with 4 ounces (½ cup) of water"),
        "{html}"
    );
}

fn dispense_line<'a>(plan: &'a Value, product: &str) -> &'a Value {
    plan["dispense"]["whole_plan"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["product"] == product)
        .unwrap_or_else(|| panic!("no {product} in {}", plan["dispense"]))
}

#[test]
fn escitalopram_drops_are_counted_by_their_in_use_shelf_life() {
    let plan = plan_json(&[
        "escitalopram",
        "--from",
        "10mg",
        "--form",
        "liquid",
        "--market",
        "uk",
        "--dispense-every",
        "12w",
    ]);
    let line = dispense_line(&plan, "oral drops 20 mg/mL");
    let ml = line["amount"].as_f64().unwrap();
    let bottles = line["bottles"].as_u64().unwrap();
    // Days the drops are used: one bottle may serve at most 56 of them.
    let days: u64 = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| !s["daily_usage"].as_array().unwrap().is_empty())
        .map(|s| s["days"].as_u64().unwrap())
        .sum();
    let by_volume = (ml / 15.0).ceil() as u64;
    let by_life = days.div_ceil(56);
    assert!(
        by_life > by_volume,
        "{days} days, {ml} mL: the test needs the life to count"
    );
    assert_eq!(bottles, by_life.max(by_volume), "{}", plan["dispense"]);
    let note = plan["dispense"]["note"].as_str().unwrap();
    assert!(
        note.contains(
            "a new bottle at least every 56 days of use, even when the last one is not empty"
        ) && note.contains("After opening, the drops should be used within 8 weeks.")
            && note.contains("PL 16378/0610"),
        "{note}"
    );
    // Each prescription period counts its own bottles, each at least one.
    for period in plan["dispense"]["periods"].as_array().unwrap() {
        let line = &period["lines"][0];
        let days = 84u64;
        assert!(line["bottles"].as_u64().unwrap() <= days.div_ceil(56).max(1) + 1);
        assert!(line["bottles"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn a_bottle_without_an_in_use_life_is_counted_by_volume_and_the_note_is_unchanged() {
    let plan = plan_json(&[
        "fluoxetine",
        "--from",
        "20mg",
        "--liquid",
        "20mg/5ml",
        "--bottle",
        "70ml",
    ]);
    let line = &plan["dispense"]["whole_plan"][0];
    let ml = line["amount"].as_f64().unwrap();
    assert_eq!(line["bottles"].as_u64().unwrap(), (ml / 70.0).ceil() as u64);
    assert!(
        !plan["dispense"]["note"]
            .as_str()
            .unwrap()
            .contains("shelf life")
    );
}

fn products(drug: &str, market: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(&run(&[
        "products", drug, "--market", market, "--format", "json",
    ]))
    .unwrap();
    v["products"].as_array().unwrap().clone()
}

fn strengths(p: &Value) -> Vec<f64> {
    p["strengths_mg"]
        .as_array()
        .map(|a| a.iter().map(|x| x.as_f64().unwrap()).collect())
        .unwrap_or_default()
}

#[test]
fn the_catalog_gaps_are_closed_with_sources() {
    // US duloxetine: delayed-release capsules, opened only off-label.
    let dulox = products("duloxetine", "us");
    let caps = dulox.iter().find(|p| p["form"] == "capsule").unwrap();
    assert_eq!(strengths(caps), vec![20.0, 30.0, 60.0]);
    assert_eq!(caps["release"], "modified");
    assert_eq!(caps["open"], "off-label");
    assert!(
        caps["source"]
            .as_str()
            .unwrap()
            .contains("20, 30 and 60 mg")
    );
    // US venlafaxine: immediate-release tablets in divided doses, ER tablets never split.
    let venla = products("venlafaxine", "us");
    let ir = venla
        .iter()
        .find(|p| p["form"] == "tablet" && p["release"] == "immediate")
        .unwrap();
    assert_eq!(strengths(ir), vec![25.0, 37.5, 50.0, 75.0, 100.0]);
    assert_eq!(ir["doses_per_day"], 2);
    assert_eq!(ir["never_split"], false);
    let er = venla
        .iter()
        .find(|p| p["form"] == "tablet" && p["release"] == "modified")
        .unwrap();
    assert_eq!(er["never_split"], true);
    // Figures recalled or read only on pharmacy pages say so.
    assert_eq!(ir["evidence"], "unverified");
    assert_eq!(er["evidence"], "unverified");
    // UK vortioxetine: 5, 10 and 20 mg tablets; no UK oral drops (no UK source found).
    let vort = products("vortioxetine", "uk");
    assert_eq!(vort.len(), 1, "{vort:?}");
    assert_eq!(strengths(&vort[0]), vec![5.0, 10.0, 20.0]);
    assert!(vort[0]["source"].as_str().unwrap().contains("NICE"));
}

#[test]
fn us_venlafaxine_tablets_say_which_release_a_plan_means() {
    let halves = plan_json(&[
        "venlafaxine",
        "--from",
        "150mg",
        "--form",
        "tablet",
        "--market",
        "us",
        "--split",
        "half",
    ]);
    let products = halves["formulation"]["products"].as_str().unwrap();
    assert!(
        products.contains("immediate-release tablets, halves allowed, taken twice a day"),
        "{products}"
    );
    // The extended-release tablets are taken whole whatever --split says.
    let auto = plan_json(&[
        "venlafaxine",
        "--from",
        "150mg",
        "--form",
        "auto",
        "--market",
        "us",
    ]);
    let products = auto["formulation"]["products"].as_str().unwrap();
    assert!(
        products.contains("modified-release tablets, whole tablets only"),
        "{products}"
    );
}

#[test]
fn new_products_plan_end_to_end() {
    for args in [
        [
            "duloxetine",
            "--from",
            "60mg",
            "--form",
            "auto",
            "--market",
            "us",
        ],
        [
            "venlafaxine",
            "--from",
            "150mg",
            "--form",
            "auto",
            "--market",
            "us",
        ],
        [
            "vortioxetine",
            "--from",
            "20mg",
            "--form",
            "auto",
            "--market",
            "uk",
        ],
    ] {
        let plan = plan_json(&args);
        let source = plan["formulation"]["source"].as_str().unwrap();
        assert!(!source.is_empty(), "{args:?}");
        // Each either reaches zero within its step and tolerance or ends held with
        // the danger headline (issue 11's rule), never a silent cliff.
        let held = !plan["held"].is_null();
        let has_stop = plan["stop_date"].is_string();
        assert!(held != has_stop, "{args:?}: {}", plan["held"]);
        if held {
            assert!(plan["headline"].is_string(), "{args:?}");
        }
    }
}

#[test]
fn a_volume_no_syringe_measures_is_rounded_to_one_syringes_marks() {
    // Fluoxetine 20 mg/5 mL from 25 mg: step 1's nearest 0.1 mL volume is 3.3 mL, which
    // only two draws measure (3 mL syringe, then 0.3 mL); 3.4 mL is on the 5 mL
    // syringe's 0.2 mL marks and its fall is within the step and tolerance.
    let plan = plan_json(&["fluoxetine", "--from", "25mg", "--liquid", "20mg/5ml"]);
    let step1 = &plan["steps"][1];
    let text = step1["instructions"].as_str().unwrap();
    assert!(
        text.starts_with("draw 3.4 mL of the oral solution 20 mg/5 mL"),
        "{text}"
    );
    assert!(!text.contains("draws"), "{text}");
    assert!(
        step1["flags"].as_array().unwrap().is_empty(),
        "{}",
        step1["flags"]
    );
    // Across liquids, start doses and syringes: doses never rise, and no step is
    // flagged for its fall that was not before (the rounding's own rules).
    for (drug, liquid) in [("fluoxetine", "20mg/5ml"), ("sertraline", "50mg/5ml")] {
        for from in ["20mg", "25mg", "30mg", "50mg", "75mg"] {
            for syringe in ["0.1ml", "0.01ml"] {
                let plan = plan_json(&[
                    drug,
                    "--from",
                    from,
                    "--liquid",
                    liquid,
                    "--syringe",
                    syringe,
                ]);
                let doses: Vec<f64> = plan["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["dose_mg"].as_f64().unwrap())
                    .collect();
                assert!(
                    doses.windows(2).all(|w| w[1] <= w[0] + 1e-9),
                    "{drug} {from}: {doses:?}"
                );
                let allowed = plan["formulation"]["allowed_fall_pp"].as_f64().unwrap();
                for s in plan["steps"].as_array().unwrap().iter().skip(1) {
                    let fall = s["occupancy_drop_pp"].as_f64().unwrap();
                    let flagged =
                        s["flags"].as_array().unwrap().iter().any(|f| {
                            f == "step_too_large_for_products" || f == "final_fall_too_large"
                        });
                    assert!(
                        fall <= allowed + 1e-6 || flagged,
                        "{drug} {from} {syringe}: {s}"
                    );
                }
            }
        }
    }
}

/// Plans escitalopram with the built-in file edited by `edit` as a drug file; requires
/// exit code 2 and returns stderr.
fn refused_escitalopram_file(edit: impl Fn(String) -> String) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    let text = std::fs::read_to_string("schedules/escitalopram.toml").unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit must change the file");
    std::fs::write(&path, edited).unwrap();
    let out = common::taper()
        .args(["plan", "escitalopram", "--from", "10mg", "--drug-file"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_bottle_or_dilution_without_its_words_and_source_is_refused() {
    // An in-use life without the label's words.
    let err = refused_escitalopram_file(|t| {
        t.replace(
            "use_within_as_published = \"After opening, the drops should be used within 8 weeks.\"\n",
            "",
        )
    });
    assert!(
        err.contains("bottle") && err.contains("use_within_as_published"),
        "{err}"
    );
    // A bottle of no size.
    let err = refused_escitalopram_file(|t| t.replace("ml = 15.0", "ml = 0.0"));
    assert!(err.contains("bottle"), "{err}");
    // A dilution on a tablet.
    let err = refused_escitalopram_file(|t| {
        t.replacen(
            "strengths_mg = [5.0, 10.0, 20.0]\nsource = \"US solid",
            "strengths_mg = [5.0, 10.0, 20.0]\ndilute = { how = \"mix it\", as_published = \"dilute\", source = \"a label\", evidence = \"secondary\" }\nsource = \"US solid",
            1,
        )
    });
    assert!(
        err.contains("dilute") && err.contains("is for liquids"),
        "{err}"
    );
}
