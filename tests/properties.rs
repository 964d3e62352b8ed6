//! Invariants of every plan, for any valid input (proptest over drugs, regions, doses,
//! rules and dates): doses never rise, the plan ends at 0 mg, occupancy rules remove
//! equal occupancy, dates are contiguous, nothing is NaN, every flag is explained.

use jiff::civil::date;
use proptest::prelude::*;
use taper::catalog::Catalog;
use taper::plan::{PlanRequest, build_plan};
use taper::rules::{REMAINDER_FRACTION, StepRule};
use taper::schedule::Hold;

fn rule_strategy() -> impl Strategy<Value = StepRule> {
    prop_oneof![
        (0.5f64..40.0, any::<bool>()).prop_map(|(pp, align)| StepRule::StepPp { pp, align }),
        (1u32..60).prop_map(|count| StepRule::Steps { count }),
        (5.0f64..95.0).prop_map(|percent| StepRule::Percent { percent }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_plan_keeps_the_invariants(
        drug_index in 0usize..9,
        region_index in 0usize..4,
        dose_fraction in 0.02f64..1.5,
        rule in rule_strategy(),
        every in 1u32..60,
        day_offset in 0i64..3000,
        hold in proptest::option::of((0usize..4, 1u32..120)),
    ) {
        let catalog = Catalog::embedded().unwrap();
        let drug = &catalog.drugs()[drug_index];
        let region = drug.curves[region_index % drug.curves.len()].region.clone();
        let from_mg = drug.usual_dose.max_mg * dose_fraction;
        let request = PlanRequest {
            drug: drug.name.clone(),
            from_mg,
            start: date(2026, 1, 1).checked_add(jiff::Span::new().days(day_offset)).unwrap(),
            every_days: every,
            rule: Some(rule),
            region: Some(region),
            custom_curve: None,
            holds: hold.map(|(step, days)| Hold { step, days }).into_iter().collect(),
            min_dose_mg: None,
        };
        let plan = match build_plan(&catalog, &request, taper::BUILT_IN_CATALOG) {
            Ok(plan) => plan,
            // Only refusals a person can act on: too many steps, or a hold past the end.
            Err(err) => {
                let msg = err.to_string();
                prop_assert!(msg.contains("steps") , "unexpected refusal: {msg}");
                return Ok(());
            }
        };
        let steps = &plan.steps;
        prop_assert!(steps.len() >= 2);
        prop_assert_eq!(steps[0].dose_mg, from_mg);
        prop_assert_eq!(steps.last().unwrap().dose_mg, 0.0);
        for pair in steps.windows(2) {
            prop_assert!(pair[1].dose_mg < pair[0].dose_mg, "dose rose or stalled: {:?}", pair);
            prop_assert_eq!(pair[1].start_date, pair[0].end_date.tomorrow().unwrap());
        }
        for s in steps {
            for v in [s.ideal_dose_mg, s.dose_mg, s.occupancy_pct, s.occupancy_drop_pp] {
                prop_assert!(v.is_finite() && v >= 0.0, "step {}: {}", s.step, v);
            }
            prop_assert_eq!((s.end_date - s.start_date).get_days() + 1, s.days as i32);
            for flag in &s.flags {
                prop_assert!(plan.warnings.iter().any(|w| w.code == *flag && w.steps.contains(&s.step)));
            }
        }
        let start_occ = steps[0].occupancy_pct;
        if let Some(nominal) = rule.nominal_fall_pp(start_occ) {
            let falls: Vec<f64> = steps[1..].iter().map(|s| s.occupancy_drop_pp).collect();
            let last = falls.len() - 1;
            for (i, fall) in falls.iter().enumerate() {
                prop_assert!(*fall <= nominal * (1.0 + REMAINDER_FRACTION) + 1e-9);
                if i != 0 && i != last {
                    prop_assert!((fall - nominal).abs() < 1e-6, "fall {} is {}, not {}", i, fall, nominal);
                }
            }
        }
        // Stopping is never bigger than a step unless flagged.
        let stop = steps.last().unwrap().occupancy_drop_pp;
        let largest = steps[1..steps.len() - 1].iter().map(|s| s.occupancy_drop_pp).fold(0.0, f64::max);
        let flagged = !steps.last().unwrap().flags.is_empty();
        let allowed = rule.nominal_fall_pp(start_occ).unwrap_or(largest) * (1.0 + REMAINDER_FRACTION);
        prop_assert!(flagged || stop <= allowed + 1e-9);
        prop_assert_eq!(plan.last_dose_date, steps[steps.len() - 2].end_date);
        prop_assert_eq!(plan.stop_date, steps.last().unwrap().start_date);
    }
}
