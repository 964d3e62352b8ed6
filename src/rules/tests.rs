//! Tests of the step rules, against the doses the Antidepressant Hyperbolic Calculator
//! gives (its own code run) for the same cases.

use super::*;
use approx::assert_abs_diff_eq;
use proptest::prelude::*;

fn curve(emax: f64, ed50: f64) -> EmaxCurve {
    EmaxCurve::new(emax, ed50, 1.0).unwrap()
}

fn doses(targets: &[Target]) -> Vec<f64> {
    targets.iter().map(|t| t.dose_mg).collect()
}

fn assert_doses(actual: &[f64], expected: &[f64], tolerance: f64) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert_abs_diff_eq!(*a, *e, epsilon = tolerance);
    }
}

#[test]
fn citalopram_aligned_10pp_matches_the_reference() {
    // The Antidepressant Hyperbolic Calculator's "absolute" mode, 10 points.
    let t = reduction_targets(
        StepRule::StepPp {
            pp: 10.0,
            align: true,
        },
        &curve(83.98, 2.33),
        20.0,
    )
    .unwrap();
    assert_doses(
        &doses(&t),
        &[11.67, 5.83, 3.43, 2.12, 1.29, 0.73, 0.31, 0.0],
        0.01,
    );
}

#[test]
fn sertraline_aligned_10pp_matches_the_reference() {
    let t = reduction_targets(
        StepRule::StepPp {
            pp: 10.0,
            align: true,
        },
        &curve(92.01, 7.72),
        100.0,
    )
    .unwrap();
    assert_doses(
        &doses(&t),
        &[51.42, 24.55, 14.47, 9.19, 5.94, 3.73, 2.14, 0.94, 0.0],
        0.01,
    );
}

#[test]
fn citalopram_ten_steps_matches_the_reference_relative_mode() {
    // §6, "relative, 10": ten equal falls of 7.52 points. The calculator rounds every
    // intermediate to 2 decimals, hence the ±0.02 mg tolerance.
    let t = reduction_targets(StepRule::Steps { count: 10 }, &curve(83.98, 2.33), 20.0).unwrap();
    assert_doses(
        &doses(&t),
        &[9.69, 5.89, 3.92, 2.71, 1.89, 1.30, 0.86, 0.51, 0.23, 0.0],
        0.02,
    );
}

#[test]
fn unaligned_steps_count_down_from_the_start() {
    let t = reduction_targets(
        StepRule::StepPp {
            pp: 10.0,
            align: false,
        },
        &curve(83.98, 2.33),
        20.0,
    )
    .unwrap();
    let occ: Vec<f64> = t.iter().map(|t| t.occupancy_pct).collect();
    assert_eq!(occ.len(), 8);
    assert_abs_diff_eq!(occ[0], 65.2172, epsilon = 1e-3);
    assert_abs_diff_eq!(occ[6], 5.2172, epsilon = 1e-3);
    assert_eq!(occ[7], 0.0);
}

#[test]
fn percent_stops_once_stopping_is_no_bigger_than_a_step() {
    let t = reduction_targets(
        StepRule::Percent { percent: 50.0 },
        &curve(83.98, 2.33),
        20.0,
    )
    .unwrap();
    let c = curve(83.98, 2.33);
    let mut occ = vec![c.occupancy(20.0).unwrap()];
    occ.extend(t.iter().map(|t| t.occupancy_pct));
    let falls: Vec<f64> = occ.windows(2).map(|w| w[0] - w[1]).collect();
    let (stop, before) = falls.split_last().unwrap();
    let largest = before.iter().cloned().fold(0.0, f64::max);
    assert!(*stop <= largest + 1e-9);
    // And one step earlier it was not yet so.
    assert!(occ[occ.len() - 3] > largest_of(&falls[..falls.len() - 2]));
    assert_abs_diff_eq!(t[0].dose_mg, 10.0, epsilon = 1e-12);
}

fn largest_of(falls: &[f64]) -> f64 {
    falls.iter().cloned().fold(0.0, f64::max)
}

#[test]
fn refuses_nonsense_rules_and_endless_plans() {
    let c = curve(83.98, 2.33);
    for rule in [
        StepRule::StepPp {
            pp: 0.0,
            align: false,
        },
        StepRule::StepPp {
            pp: f64::NAN,
            align: true,
        },
        StepRule::Steps { count: 0 },
        StepRule::Percent { percent: 100.0 },
        StepRule::Percent { percent: -5.0 },
        StepRule::StepPp {
            pp: 0.01,
            align: false,
        },
        StepRule::Percent { percent: 0.01 },
    ] {
        assert!(reduction_targets(rule, &c, 20.0).is_err(), "{rule:?}");
    }
}

#[test]
fn the_default_is_the_fewest_equal_steps_of_at_most_5pp() {
    assert_eq!(default_rule(75.22), StepRule::Steps { count: 16 });
    assert_eq!(default_rule(75.0), StepRule::Steps { count: 15 });
    assert_eq!(default_rule(3.0), StepRule::Steps { count: 1 });
}

#[test]
fn a_near_whole_start_gets_no_pointless_step() {
    let c = curve(83.98, 2.33);
    // 11.67 mg is 70.0002%: aligned 10-point steps start at 60, not 70.
    let t = reduction_targets(
        StepRule::StepPp {
            pp: 10.0,
            align: true,
        },
        &c,
        11.67,
    )
    .unwrap();
    assert_abs_diff_eq!(t[0].occupancy_pct, 60.0, epsilon = 1e-9);
    // Unaligned from 70.0002%: the last target is 10.0002%, not 0.0002%.
    let t = reduction_targets(
        StepRule::StepPp {
            pp: 10.0,
            align: false,
        },
        &c,
        11.67,
    )
    .unwrap();
    assert!((t[t.len() - 2].occupancy_pct - 10.0).abs() < 0.01);
}

#[test]
fn a_step_larger_than_the_start_occupancy_is_one_stop() {
    let t = reduction_targets(
        StepRule::StepPp {
            pp: 90.0,
            align: true,
        },
        &curve(83.98, 2.33),
        20.0,
    )
    .unwrap();
    assert_eq!(doses(&t), [0.0]);
}

proptest! {
    #[test]
    fn occupancy_rules_fall_equally_to_zero(
        emax in 60.0f64..110.0,
        ed50 in 0.3f64..25.0,
        start in 0.5f64..300.0,
        pp in 1.0f64..30.0,
        count in 1u32..40,
        align: bool,
    ) {
        let c = curve(emax, ed50);
        let start_occ = c.occupancy(start).unwrap();
        for rule in [StepRule::StepPp { pp, align }, StepRule::Steps { count }] {
            let t = reduction_targets(rule, &c, start).unwrap();
            let nominal = rule.nominal_fall_pp(start_occ).unwrap();
            let mut occ = vec![start_occ];
            occ.extend(t.iter().map(|t| t.occupancy_pct));
            let falls: Vec<f64> = occ.windows(2).map(|w| w[0] - w[1]).collect();
            prop_assert_eq!(t.last().unwrap().dose_mg, 0.0);
            for (i, fall) in falls.iter().enumerate() {
                prop_assert!(*fall > 0.0 && *fall <= nominal * (1.0 + REMAINDER_FRACTION) + 1e-9, "{:?}: fall {} {}", rule, i, fall);
                let edge = i == 0 || i == falls.len() - 1;
                if !edge { prop_assert!((fall - nominal).abs() < 1e-6); }
            }
            for w in t.windows(2) { prop_assert!(w[1].dose_mg < w[0].dose_mg); }
            prop_assert!(t[0].dose_mg < start);
        }
    }
}
