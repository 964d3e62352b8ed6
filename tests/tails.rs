//! No silent cliff (issue 11): over every catalog drug × starting doses across its usual
//! range × markets × product forms × splitting × syringes, a plan either reaches the hyperbolic
//! tail with real products (its last fall within the plan's step plus the tolerance)
//! or says in its headline that it cannot (`danger`, status `needs_review`).
//!
//! `cargo test --test tails -- --nocapture` prints the grid's size and the share of
//! plans that reach the tail.

use taper::formulation::Ending;
use taper::plan::Status;
use taper::{Catalogs, make_plan};

#[test]
fn every_rounded_plan_reaches_the_tail_or_says_it_cannot() {
    let catalogs = Catalogs::embedded().unwrap();
    let (mut planned, mut refused, mut reach) = (0, 0, 0);
    let mut reasons = std::collections::BTreeMap::new();
    for drug in catalogs.drugs.drugs() {
        let usual = &drug.usual_dose;
        for fraction in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let from = usual.min_mg + (usual.max_mg - usual.min_mg) * fraction;
            for market in ["us", "uk"] {
                for form in ["tablet", "capsule", "liquid", "auto"] {
                    for (split, syringe) in [
                        ("none", None),
                        ("half", None),
                        ("quarter", None),
                        ("none", Some("0.01ml")),
                        ("quarter", Some("0.01ml")),
                    ] {
                        if split != "none" && !matches!(form, "tablet" | "auto") {
                            continue;
                        }
                        if syringe.is_some() && !matches!(form, "liquid" | "auto") {
                            continue;
                        }
                        let mut request = format!(
                            r#"{{"drug": "{}", "from": {from}, "start": "2027-01-04", "form": "{form}", "market": "{market}""#,
                            drug.name
                        );
                        if split != "none" {
                            request.push_str(&format!(r#", "split": "{split}""#));
                        }
                        if let Some(syringe) = syringe {
                            request.push_str(&format!(r#", "syringe": "{syringe}""#));
                        }
                        request.push('}');
                        let request = taper::request::from_json(&request).unwrap();
                        let plan = match make_plan(&catalogs, &request) {
                            Ok(plan) => plan,
                            // No such product in that market, or none that makes the
                            // starting dose: refused, with a sentence.
                            Err(err) => {
                                let why = err.to_string();
                                let reason = why.split(';').next().unwrap_or_default();
                                let reason = reason.split(" of ").next().unwrap_or_default();
                                *reasons.entry(reason.to_string()).or_insert(0) += 1;
                                refused += 1;
                                continue;
                            }
                        };
                        planned += 1;
                        let allowed = plan.formulation.as_ref().unwrap().allowed_fall_pp;
                        let last = plan.steps.last().unwrap();
                        let ends_in_stop = plan.ending == Ending::Stop;
                        assert_eq!(ends_in_stop, last.dose_mg == 0.0, "{}", drug.name);
                        assert_eq!(ends_in_stop, plan.stop_date.is_some(), "{}", drug.name);
                        if ends_in_stop && last.occupancy_drop_pp <= allowed + 1e-9 {
                            reach += 1;
                        } else {
                            assert_eq!(
                                plan.status,
                                Status::NeedsReview,
                                "{} from {from} mg, {market} {form} {split} {syringe:?}: a {:.1}-point last fall (allowed {allowed:.1}) without a danger headline",
                                drug.name,
                                last.occupancy_drop_pp
                            );
                            assert!(plan.headline.is_some());
                            if !ends_in_stop {
                                let headline = plan.headline.as_deref().unwrap();
                                assert!(headline.contains("No stop date"), "{headline}");
                                assert!(plan.held.is_some() && plan.last_dose_date.is_none());
                            }
                        }
                    }
                }
            }
        }
    }
    println!(
        "tails: {} requests, {planned} planned ({refused} refused), {reach} reach the tail with products ({:.0}%), {} end in a danger headline",
        planned + refused,
        100.0 * reach as f64 / planned.max(1) as f64,
        planned - reach
    );
    println!("tails: refusals by reason: {reasons:?}");
    assert!(planned > 100);
}
