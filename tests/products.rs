//! End-to-end tests of doses rounded to products (issue 3): tablets, liquids, drops,
//! beads, dispensing totals, and the refusals.

mod common;
use common::{assert_refused, plan_json as plan, run};
use serde_json::Value;

fn steps(plan: &Value) -> &Vec<Value> {
    plan["steps"].as_array().unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

fn is_multiple(value: f64, of: f64) -> bool {
    ((value / of) - (value / of).round()).abs() < 1e-6
}

#[test]
fn tablets_make_what_they_can_and_flag_the_rest() {
    let p = plan(&[
        "citalopram",
        "--from",
        "20mg",
        "--step-pp",
        "10",
        "--align",
        "--tablets",
        "10,20",
        "--split",
        "half",
    ]);
    let s = steps(&p);
    for pair in s.windows(2) {
        assert!(
            f(&pair[1]["dose_mg"]) < f(&pair[0]["dose_mg"]),
            "doses must fall: {pair:?}"
        );
    }
    for step in s {
        assert!(is_multiple(f(&step["dose_mg"]), 5.0), "{step}");
        assert!(step["instructions"].is_string());
    }
    assert_eq!(s[1]["instructions"], "1 × 10 mg tablet");
    assert!(
        s[2]["instructions"]
            .as_str()
            .unwrap()
            .starts_with("½ × 10 mg tablet; keep to this dose")
    );
    assert!(
        s[2]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "merged")
    );
    let last = s.last().unwrap();
    let last_flags = last["flags"].as_array().unwrap();
    // The stop is a cliff beyond the tolerance: danger, and the plan needs review.
    assert!(
        last_flags.iter().any(|f| f == "final_fall_too_large"),
        "{last}"
    );
    assert_eq!(p["status"], "needs_review");
    // 2.12 mg and below are nearer nothing than ½ × 10 mg, and stopping from 5 mg is a
    // cliff: the plan ends held at 5 mg, with no stop row (issue 11).
    assert_eq!(p["ending"], "held");
    assert!(f(&last["dose_mg"]) > 0.0, "{last}");
    let warning = p["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "final_fall_too_large")
        .unwrap();
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains("--form auto --market us --syringe 0.01ml"),
        "{warning}"
    );
    assert_eq!(p["formulation"]["evidence"], "user");
}

#[test]
fn liquid_volumes_are_multiples_of_the_syringe_graduation() {
    let p = plan(&[
        "citalopram",
        "--from",
        "20mg",
        "--step-pp",
        "10",
        "--align",
        "--liquid",
        "2mg/ml",
        "--syringe",
        "0.1ml",
    ]);
    let s = steps(&p);
    for step in &s[..s.len() - 1] {
        assert!(is_multiple(f(&step["dose_mg"]), 0.2), "{step}");
        assert!(
            (f(&step["dose_mg"]) - f(&step["ideal_dose_mg"])).abs() <= 0.1 + 1e-9,
            "{step}"
        );
        assert!(
            (f(&step["dose_error_mg"]) - (f(&step["dose_mg"]) - f(&step["ideal_dose_mg"]))).abs()
                < 1e-9
        );
    }
    assert_eq!(
        s[3]["instructions"],
        // One draw: a 3 mL oral syringe is marked in 0.1 mL (schedules/syringes.toml).
        "draw 1.7 mL of the oral solution 10 mg/5 mL (3.4 mg)"
    );
    assert!(
        s.iter()
            .all(|step| step["flags"].as_array().unwrap().is_empty()),
        "a 2 mg/mL liquid makes every step"
    );
    // Doses, daily volumes and totals read as measured (1.7 mL, not 1.7000000000000002).
    let mut measured: Vec<&Value> = s.iter().map(|step| &step["dose_mg"]).collect();
    for step in s {
        if let Some(usage) = step["daily_usage"].as_array() {
            measured.extend(usage.iter().map(|u| &u["amount"]));
        }
    }
    measured.extend(
        p["dispense"]["whole_plan"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| &l["amount"]),
    );
    assert!(measured.len() > s.len());
    for value in measured {
        let text = value.to_string();
        let decimals = text.split('.').nth(1).map_or(0, str::len);
        assert!(decimals <= 3, "{text} carries floating-point noise");
    }
}

#[test]
fn citalopram_drops_apply_their_bioavailability() {
    // UK drops 40 mg/mL: 8 mg of drops ≡ 10 mg of tablets, so 0.01 mL (0.4 mg) acts as 0.5 mg.
    let p = plan(&[
        "citalopram",
        "--from",
        "20mg",
        "--steps",
        "10",
        "--form",
        "liquid",
        "--market",
        "uk",
        "--syringe",
        "0.01ml",
    ]);
    assert_eq!(p["formulation"]["tablet_equivalent_mg_per_mg"], 1.25);
    for step in &steps(&p)[1..] {
        assert!(is_multiple(f(&step["dose_mg"]), 0.5), "{step}");
    }
    let s1 = &steps(&p)[1];
    assert!(
        s1["instructions"].as_str().unwrap().contains("acting like"),
        "{s1}"
    );
}

#[test]
fn drops_are_counted_in_drops_unless_a_syringe_is_given() {
    // UK citalopram drops: 4 drops = 8 mg ≡ 10 mg of tablets, so one drop acts as 2.5 mg;
    // escitalopram drops: 1 drop ≈ 1 mg (both: NHS Specialist Pharmacy Service and a trust
    // formulary).
    for (drug, from, per_drop, drops_at_start) in [
        ("citalopram", "20mg", 2.5, "take 8 drops"),
        ("escitalopram", "10mg", 1.0, "take 10 drops"),
    ] {
        let p = plan(&[drug, "--from", from, "--form", "liquid", "--market", "uk"]);
        let s = steps(&p);
        assert!(
            s[0]["instructions"]
                .as_str()
                .unwrap()
                .starts_with(drops_at_start),
            "{}",
            s[0]
        );
        for step in &s[..s.len() - 1] {
            let how = step["instructions"].as_str().unwrap();
            let n = f(&step["dose_mg"]) / per_drop;
            assert!((n - n.round()).abs() < 1e-9, "{step}");
            let count = if n.round() == 1.0 {
                "take 1 drop ".to_string()
            } else {
                format!("take {} drops ", n.round())
            };
            assert!(how.starts_with(&count), "{how} for {n} drops");
        }
        let caveats = p["formulation"]["caveats"].to_string();
        assert!(
            caveats.contains("counted from the bottle's own dropper"),
            "{caveats}"
        );
        assert!(
            p["formulation"]["products"]
                .as_str()
                .unwrap()
                .contains("counted in drops")
        );
        // Dispensed in mL: one drop is mg_per_drop / concentration mL.
        assert_eq!(p["dispense"]["whole_plan"][0]["unit"], "mL");
    }
    // A syringe, when asked for, measures instead.
    let p = plan(&[
        "citalopram",
        "--from",
        "20mg",
        "--form",
        "liquid",
        "--market",
        "uk",
        "--syringe",
        "0.05ml",
    ]);
    assert!(
        steps(&p)[0]["instructions"]
            .as_str()
            .unwrap()
            .starts_with("draw 0.4 mL")
    );
}

#[test]
fn beads_come_with_their_caveat() {
    let p = plan(&[
        "duloxetine",
        "--from",
        "60mg",
        "--capsule",
        "20,30,60",
        "--beads-per-capsule",
        "200",
    ]);
    assert!(
        p["formulation"]["caveats"][0]
            .as_str()
            .unwrap()
            .contains("beads")
    );
    assert!(steps(&p).iter().any(|s| {
        s["instructions"]
            .as_str()
            .unwrap()
            .contains("beads from an opened 20 mg capsule")
    }));
}

#[test]
fn dispense_totals_match_the_days_of_the_plan() {
    let p = plan(&[
        "sertraline",
        "--from",
        "100mg",
        "--steps",
        "8",
        "--tablets",
        "25,50,100",
        "--split",
        "quarter",
        "--dispense-every",
        "4w",
    ]);
    let mut recomputed: std::collections::BTreeMap<String, f64> = Default::default();
    for step in steps(&p) {
        for u in step["daily_usage"].as_array().into_iter().flatten() {
            *recomputed
                .entry(u["product"].as_str().unwrap().to_string())
                .or_default() += f(&u["amount"]) * f(&step["days"]);
        }
    }
    let whole = p["dispense"]["whole_plan"].as_array().unwrap();
    assert_eq!(whole.len(), recomputed.len());
    for line in whole {
        let amount = recomputed[line["product"].as_str().unwrap()];
        assert!(
            (f(&line["amount"]) - amount).abs() < 1e-6,
            "{line} vs {amount}"
        );
        assert_eq!(f(&line["to_dispense"]), (amount - 1e-9).ceil());
    }
    // Periods cover the plan and add up to the whole.
    let periods = p["dispense"]["periods"].as_array().unwrap();
    let sum: f64 = periods
        .iter()
        .flat_map(|p| p["lines"].as_array().unwrap())
        .map(|l| f(&l["amount"]))
        .sum();
    let total: f64 = whole.iter().map(|l| f(&l["amount"])).sum();
    assert!((sum - total).abs() < 1e-6);
}

#[test]
fn the_table_shows_how_to_take_each_dose() {
    let text = run(&[
        "plan",
        "citalopram",
        "--from",
        "20mg",
        "--tablets",
        "10,20",
        "--split",
        "half",
        "--start",
        "2027-01-04",
    ]);
    assert!(
        text.contains("How to take") && text.contains("½ × 10 mg tablet"),
        "{text}"
    );
    assert!(text.contains("To dispense for the whole plan"), "{text}");
}

#[test]
fn bad_product_inputs_are_refused() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "desvenlafaxine",
                "--from",
                "50mg",
                "--form",
                "auto",
                "--market",
                "uk",
            ],
            "lists no products of desvenlafaxine for the UK market",
        ),
        (
            &[
                "duloxetine",
                "--from",
                "60mg",
                "--form",
                "tablet",
                "--market",
                "uk",
            ],
            "lists no tablets",
        ),
        (
            &["citalopram", "--from", "20mg", "--liquid", "20ml"],
            "concentration",
        ),
        (
            &[
                "citalopram",
                "--from",
                "20mg",
                "--liquid",
                "2mg/ml",
                "--syringe",
                "0ml",
            ],
            "more than 0 mL",
        ),
        (
            &["citalopram", "--from", "20mg", "--tablets", "-10"],
            "strengths",
        ),
        (
            &[
                "citalopram",
                "--from",
                "20mg",
                "--tablets",
                "10",
                "--liquid",
                "2mg/ml",
            ],
            "give only one of --tablets, --capsule, --liquid and --form",
        ),
        (
            &[
                "citalopram",
                "--from",
                "20mg",
                "--tablets",
                "10",
                "--tolerance",
                "200",
            ],
            "--tolerance",
        ),
        (
            &["citalopram", "--from", "20mg", "--beads-per-capsule", "100"],
            "--capsule",
        ),
        (
            &[
                "citalopram",
                "--from",
                "20mg",
                "--tablets",
                "10",
                "--dispense-every",
                "1m",
            ],
            "weeks",
        ),
        // A mistyped strength or concentration is refused, not printed as a plan of
        // thousands of tablets or litres of liquid.
        (
            &["citalopram", "--from", "20mg", "--tablets", "0.001"],
            "would need 20000 tablets or capsules for the 20 mg dose of step 0",
        ),
        (
            &["fluoxetine", "--from", "20mg", "--liquid", "0.01mg/ml"],
            "would need 2000 mL for the 20 mg dose of step 0",
        ),
        // The steps need at most 16 tablets; --daily's first day below 20 mg needs 26.
        (
            &[
                "citalopram",
                "--from",
                "20mg",
                "--tablets",
                "20,0.75",
                "--daily",
            ],
            "would need 26 tablets or capsules for the 19.5 mg dose of day 29",
        ),
    ];
    for (args, expected) in cases {
        assert_refused(&[&["plan"], *args].concat(), expected);
    }
}

#[test]
fn daily_micro_steps_fall_every_day_and_dispense_from_the_daily_rows() {
    let p = plan(&[
        "citalopram",
        "--from",
        "20mg",
        "--step-pp",
        "10",
        "--align",
        "--every",
        "2w",
        "--liquid",
        "2mg/ml",
        "--daily",
        "--strips",
        "--dispense-every",
        "4w",
        "--bottle",
        "100ml",
    ]);
    let days = p["daily"].as_array().unwrap();
    let total_days: f64 = steps(&p).iter().map(|s| f(&s["days"])).sum();
    assert_eq!(days.len() as f64, total_days);
    for pair in days.windows(2) {
        assert!(f(&pair[1]["dose_mg"]) <= f(&pair[0]["dose_mg"]), "{pair:?}");
        assert!(is_multiple(f(&pair[1]["dose_mg"]), 0.2));
    }
    assert_eq!(days[27]["strip"], 1);
    assert_eq!(days[28]["strip"], 2);
    // Dispense totals are the sum of the daily rows' usage.
    let used: f64 = days
        .iter()
        .flat_map(|d| d["usage"].as_array().into_iter().flatten())
        .map(|u| f(&u["amount"]))
        .sum();
    let line = &p["dispense"]["whole_plan"][0];
    assert!((f(&line["amount"]) - used).abs() < 1e-6, "{line} vs {used}");
    assert_eq!(line["bottles"], (used / 100.0 - 1e-9).ceil() as u64);
    // CSV has one row per day.
    let csv = run(&[
        "plan",
        "citalopram",
        "--from",
        "20mg",
        "--every",
        "2w",
        "--daily",
        "--format",
        "csv",
        "--start",
        "2027-01-04",
    ]);
    // The header, the summary row, then one row per day.
    assert!(csv.starts_with("Kind,Day,Date,Step,Dose mg,"));
    assert_eq!(csv.lines().count() as f64, 2.0 + total_days_default());
}

/// Days in the default citalopram 20 mg plan with 2-week steps: 17 steps × 14 days.
fn total_days_default() -> f64 {
    let p = plan(&["citalopram", "--from", "20mg", "--every", "2w"]);
    steps(&p).iter().map(|s| f(&s["days"])).sum()
}

#[test]
fn products_step_down_gently_instead_of_holding_then_falling_off_a_cliff() {
    // Escitalopram drops (UK, 20 mg/mL, 0.01 mL = 0.2 mg), 10% a step: every dose the
    // syringe can make is used on the way down; none is held for years.
    let p = plan(&[
        "escitalopram",
        "--from",
        "10mg",
        "--form",
        "liquid",
        "--market",
        "uk",
        "--syringe",
        "0.01ml",
        "--percent",
        "10",
    ]);
    let s = steps(&p);
    let longest = s[..s.len() - 1]
        .iter()
        .map(|step| f(&step["days"]))
        .fold(0.0, f64::max);
    assert!(longest <= 28.0 * 10.0, "a dose held for {longest} days");
    // Down to the least the syringe measures (0.2 mg); stopping from there is still
    // more than a step, so the plan ends held there, with no stop date (issue 11).
    let tail: Vec<f64> = s[s.len() - 3..]
        .iter()
        .map(|step| f(&step["dose_mg"]))
        .collect();
    assert!(
        tail.iter()
            .zip(&[0.6, 0.4, 0.2])
            .all(|(a, b)| (a - b).abs() < 1e-9),
        "{tail:?}"
    );
    assert_eq!(p["ending"], "held");
    assert!(p["stop_date"].is_null());
    assert!(f(&p["held"]["stop_fall_pp"]) < 20.0);
}

#[test]
fn products_that_make_nothing_below_the_start_are_refused() {
    assert_refused(
        &["plan", "citalopram", "--from", "15mg", "--tablets", "20"],
        "make no dose at or below the starting dose",
    );
}

#[test]
fn a_bottle_size_without_a_liquid_is_refused_or_said_to_be_unused() {
    // Tablets were named: a bottle can do nothing, so it is refused.
    assert_refused(
        &[
            "plan",
            "citalopram",
            "--from",
            "20mg",
            "--tablets",
            "10,20",
            "--bottle",
            "100ml",
        ],
        "--bottle sizes a liquid's bottles; it does nothing with --tablets",
    );
    // --form auto may pick a liquid; when it picks tablets, the plan says so.
    let p = plan(&[
        "venlafaxine",
        "--from",
        "75mg",
        "--form",
        "auto",
        "--steps",
        "3",
        "--bottle",
        "100ml",
    ]);
    assert!(
        p["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "bottle_not_used")
    );
}

#[test]
fn a_start_dose_the_products_cannot_make_is_kept_and_left_out_of_dispensing() {
    // 15 mg from 10 mg tablets (no splitting): step 0 stays at 15 mg "as now".
    let p = plan(&["citalopram", "--from", "15mg", "--tablets", "10"]);
    let s = steps(&p);
    assert_eq!(f(&s[0]["dose_mg"]), 15.0);
    assert!(
        s[0]["flags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("start_not_measurable"))
    );
    let warning = p["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "start_not_measurable")
        .unwrap();
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains("The dispensing totals leave out step 0 (28 days)"),
        "{warning}"
    );
    // The totals are the product days only: step 1 on, 10 mg a day.
    let product_days: f64 = s[1..]
        .iter()
        .filter(|step| f(&step["dose_mg"]) > 0.0)
        .map(|step| f(&step["days"]))
        .sum();
    let whole = &p["dispense"]["whole_plan"][0];
    assert_eq!(f(&whole["amount"]), product_days);
}

#[test]
fn a_plan_whose_products_cannot_make_the_tail_ends_held_without_a_stop_row() {
    // Halves of 10 mg make nothing below 5 mg: stopping from 5 mg would be a cliff, so
    // the plan ends at 5 mg, held until the prescriber arranges a smaller dose form
    // (issue 11), with no stop row and no stop date.
    let p = plan(&[
        "citalopram",
        "--from",
        "20mg",
        "--tablets",
        "10",
        "--split",
        "half",
    ]);
    let s = steps(&p);
    let last = s.last().unwrap();
    assert_eq!(f(&last["dose_mg"]), 5.0);
    assert!(s.iter().all(|step| f(&step["dose_mg"]) > 0.0));
    assert_eq!(p["ending"], "held");
    assert!(p["stop_date"].is_null() && p["last_dose_date"].is_null());
    assert_eq!(p["held"]["step"], last["step"]);
    assert_eq!(p["held"]["planned_until"], last["end_date"]);
    assert!(
        last["flags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("final_fall_too_large"))
    );
    assert!(
        last["instructions"]
            .as_str()
            .unwrap()
            .contains("until the prescriber arranges a smaller dose form (do not stop)")
    );
}

#[test]
fn daily_rows_of_a_rounded_plan_stay_between_its_step_doses() {
    // UK citalopram drops: step 5 holds 1 drop for 140 days (ideal steps 5–9 merged).
    // The daily rows must reach that dose within the step and keep it, never sit above
    // the step before's dose or below this step's, and then stop as the table says.
    for args in [
        &[
            "citalopram",
            "--from",
            "20mg",
            "--form",
            "liquid",
            "--market",
            "uk",
            "--daily",
        ][..],
        &[
            "sertraline",
            "--from",
            "150mg",
            "--tablets",
            "25,50",
            "--split",
            "half",
            "--daily",
        ],
    ] {
        let p = plan(args);
        let s = steps(&p);
        let dose_of = |k: u64| f(&s.iter().find(|st| st["step"] == k).unwrap()["dose_mg"]);
        let rows = p["daily"].as_array().unwrap();
        for (i, row) in rows.iter().enumerate() {
            let k = row["step"].as_u64().unwrap();
            let (low, high) = if k == 0 {
                (dose_of(0), dose_of(0))
            } else {
                (dose_of(k), dose_of(k - 1))
            };
            let dose = f(&row["dose_mg"]);
            assert!(
                dose >= low - 1e-9 && dose <= high + 1e-9,
                "{args:?} day {}: {dose} not in {low}..{high}",
                row["day"]
            );
            let last_of_step = rows
                .get(i + 1)
                .is_none_or(|next| next["step"] != row["step"]);
            if last_of_step {
                assert!(
                    (dose - low).abs() < 1e-9,
                    "{args:?}: step {k} ends at {dose}, not {low}"
                );
            }
        }
        let merged: Vec<&Value> = s
            .iter()
            .filter(|st| {
                st["flags"]
                    .as_array()
                    .unwrap()
                    .contains(&Value::from("merged"))
            })
            .collect();
        assert!(!merged.is_empty(), "{args:?} has no merged step to test");
    }
}

/// The "≈ N mg" a bead instruction gives for its beads.
fn bead_mg(instructions: &str) -> f64 {
    let after = instructions.split("≈ ").nth(1).unwrap();
    after.split(" mg").next().unwrap().parse().unwrap()
}

#[test]
fn bead_doses_are_exact_and_agree_with_their_words() {
    // 300 beads of 20 mg: a bead is 1/15 mg, which no whole number of micrograms is.
    let p = plan(&[
        "duloxetine",
        "--from",
        "60mg",
        "--capsule",
        "20",
        "--beads-per-capsule",
        "300",
    ]);
    let mut with_beads = 0;
    for s in steps(&p) {
        let dose = f(&s["dose_mg"]);
        assert!(is_multiple(dose, 20.0 / 300.0), "{s}");
        let text = s["instructions"].as_str().unwrap();
        if text.contains("beads") {
            with_beads += 1;
            // "2 × 20 mg capsule + …": whole capsules before the beads.
            let capsules = match text.split_once(" × 20 mg capsule") {
                Some((n, _)) => 20.0 * n.parse::<f64>().unwrap(),
                None => 0.0,
            };
            assert!(
                (dose - capsules - bead_mg(text)).abs() < 0.0005 + 1e-9,
                "{dose} mg is not what the words say: {text}"
            );
        }
    }
    assert!(with_beads > 5);
}

#[test]
fn bead_counts_never_overrun_the_capsule() {
    // 3 beads of a 20 mg capsule are 6.666… mg each: no bead count may overrun it.
    let p = plan(&[
        "duloxetine",
        "--from",
        "60mg",
        "--capsule",
        "20",
        "--beads-per-capsule",
        "3",
    ]);
    for s in steps(&p) {
        assert!(is_multiple(f(&s["dose_mg"]), 20.0 / 3.0), "{s}");
    }
}

#[test]
fn bead_counts_beyond_counting_are_refused() {
    // A count no one counts by hand is refused, not planned with beads dropped.
    assert_refused(
        &[
            "plan",
            "duloxetine",
            "--from",
            "60mg",
            "--capsule",
            "20",
            "--beads-per-capsule",
            "50000",
        ],
        "--beads-per-capsule must be a whole number from 2 to 10000",
    );
    // Countable, but more doses than can be listed from a capsule this small.
    assert_refused(
        &[
            "plan",
            "duloxetine",
            "--from",
            "60mg",
            "--capsule",
            "1",
            "--beads-per-capsule",
            "10000",
        ],
        "--beads-per-capsule 10000 makes too many doses of 1 mg capsules to list up to 60 mg; give a whole number from 2 to 3333",
    );
}

/// Issue 11: `--form auto` uses tablets while tablets can make the plan's steps, then the
/// market's oral liquid for the tail, marking the switch and dispensing both.
#[test]
fn auto_switches_from_tablets_to_the_liquid_for_the_tail() {
    let p = plan(&[
        "sertraline",
        "--from",
        "100mg",
        "--form",
        "auto",
        "--market",
        "uk",
        "--split",
        "half",
    ]);
    let s = steps(&p);
    let switch = s
        .iter()
        .position(|step| {
            step["flags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == "product_switch")
        })
        .expect("a switch step");
    assert!(switch >= 2, "tablets make the first steps");
    for step in &s[1..switch] {
        assert!(step["instructions"].as_str().unwrap().contains("tablet"));
    }
    for step in &s[switch..s.len() - 1] {
        assert!(
            step["instructions"]
                .as_str()
                .unwrap()
                .contains("oral suspension")
        );
    }
    for pair in s.windows(2) {
        assert!(f(&pair[1]["dose_mg"]) < f(&pair[0]["dose_mg"]));
    }
    // No cliff: the liquid makes the tail, so no step removes half the occupancy; with a
    // 0.1 mL syringe the last fall is still beyond the tolerance (danger, naming the
    // finer syringe), and with the 0.01 mL one the plan reaches the tail.
    assert!(
        !p["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "large_step")
    );
    let last = p["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "final_fall_too_large");
    assert!(
        last.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("--syringe 0.01ml")
    );
    let finer = plan(&[
        "sertraline",
        "--from",
        "100mg",
        "--form",
        "auto",
        "--market",
        "uk",
        "--split",
        "half",
        "--syringe",
        "0.01ml",
    ]);
    assert_eq!(finer["status"], "ok", "{}", finer["warnings"]);
    let warning = p["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "product_switch")
        .unwrap();
    assert_eq!(warning["steps"], serde_json::json!([switch]));
    let dispensed: Vec<&str> = p["dispense"]["whole_plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["product"].as_str().unwrap())
        .collect();
    assert!(
        dispensed.iter().any(|d| d.contains("tablet")),
        "{dispensed:?}"
    );
    assert!(
        dispensed.iter().any(|d| d.contains("oral suspension")),
        "{dispensed:?}"
    );
    assert!(
        p["formulation"]["products"]
            .as_str()
            .unwrap()
            .contains("tablets, halves allowed, then oral suspension")
    );
}
