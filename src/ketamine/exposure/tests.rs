use super::*;
use jiff::civil::date;

fn at(day: i8, hour: i8) -> DateTime {
    date(2027, 2, day).at(hour, 0, 0, 0)
}

fn times(hours: &[i8]) -> Vec<Time> {
    hours.iter().map(|h| Time::constant(*h, 0, 0, 0)).collect()
}

fn level(
    hours: &[i8],
    windows: &[(DateTime, DateTime)],
    last: DateTime,
    half_life: (f64, f64),
) -> SeriesLevel {
    series_level(&times(hours), windows, last, half_life, 25.0)
        .unwrap()
        .unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

/// Once a day with a 24 h half-life: steady state just after a dose is
/// 1 / (1 − ½) = 2 doses. One held dose leaves 2 − 1 = 1: half of steady state; the
/// next dose taken brings ½ + 1 = 1.5 against 2 (75%), then 87.5% …
#[test]
fn one_held_daily_dose_halves_the_level() {
    let window = (at(3, 6), at(3, 10));
    let l = level(&[8], &[window], at(3, 10), (24.0, 24.0));
    assert!(close(l.lowest_fraction.min, 0.5) && close(l.lowest_fraction.max, 0.5));
    assert_eq!(l.lowest_at, at(3, 8));
    assert!(close(l.largest_fall_14_days_percent.max, 50.0));
    assert_eq!(l.largest_fall_from, at(2, 8));
    assert_eq!(l.largest_fall_to, at(3, 8));
    assert_eq!((l.held_doses, l.longest_held_run.doses), (1, 1));
    assert_eq!(l.longest_held_run.hours_without_dose, 48.0);
    assert!(!l.longest_held_run.more_than_a_day);
    assert!(l.fall_above_taper_cap);
    // From 02-03 08:00 to a week after the session, 02-10 08:00: 8 doses.
    assert_eq!((l.from, l.to, l.scheduled_doses), (at(3, 8), at(10, 8), 8));
}

/// Two held in a row, 24 h half-life: the shortfall is ½ + 1 = 1.5 of 2, so 25% is
/// left; at 48 h, steady state is 1 / (1 − 2^−½) ≈ 3.414 and the shortfall
/// 2^−½ + 1 ≈ 1.707: 50% left. Two doses in a row is more than a day's one.
#[test]
fn two_held_in_a_row_over_the_half_life_range() {
    let window = (at(2, 6), at(3, 10));
    let l = level(&[8], &[window], at(3, 10), (24.0, 48.0));
    assert!(close(l.lowest_fraction.min, 0.25));
    let r = 0.5f64.powf(0.5);
    assert!(close(l.lowest_fraction.max, 1.0 - (r + 1.0) * (1.0 - r)));
    assert!(close(l.largest_fall_14_days_percent.min, 50.0));
    assert!(close(l.largest_fall_14_days_percent.max, 75.0));
    assert_eq!(l.longest_held_run.doses, 2);
    assert_eq!(l.longest_held_run.hours_without_dose, 72.0);
    assert!(l.longest_held_run.more_than_a_day);
}

/// Twice a day, 12 h apart, 12 h half-life: steady state after a dose is
/// (1 + ½) / (1 − ¼) = 2 doses; one held dose leaves half.
#[test]
fn twice_daily_one_held() {
    let l = level(&[8, 20], &[(at(3, 7), at(3, 10))], at(3, 10), (12.0, 12.0));
    assert!(close(l.lowest_fraction.min, 0.5));
    assert_eq!(l.longest_held_run.hours_without_dose, 24.0);
    assert!(!l.longest_held_run.more_than_a_day);
}

/// A fall counts only within 14 days: two single held doses three weeks apart, each
/// a 50% dip, never make a larger fall than one of them.
#[test]
fn falls_are_measured_within_two_weeks() {
    let windows = [(at(1, 7), at(1, 9)), (at(22, 7), at(22, 9))];
    let l = level(&[8], &windows, at(22, 10), (24.0, 24.0));
    assert!(close(l.largest_fall_14_days_percent.max, 50.0));
    assert_eq!(l.longest_held_run.doses, 1);
}

/// Nothing held: no figure (the level stays at steady state).
#[test]
fn nothing_held_nothing_reported() {
    let none = series_level(
        &times(&[8]),
        &[(at(3, 9), at(3, 10))],
        at(3, 10),
        (24.0, 24.0),
        25.0,
    )
    .unwrap();
    assert!(none.is_none());
}

/// The clonazepam case: 0.5 mg at 08:00 and 20:00, sessions on 02-03, 02-05
/// and 02-07 at 10:00, held from 18:00 the day before to the end of each session
/// day: 9 doses held; the level at the third session is 18–36% of steady state
/// (half-life 18–50 h) and lowest after the held 20:00 dose that evening, 11–30%
/// (direct sums by hand: 0.1798, 0.3558; 0.1133, 0.3013). Three doses in a row is
/// more than a day's two.
#[test]
fn the_clonazepam_night_before_series() {
    let end = |d: i8| date(2027, 2, d).at(23, 59, 59, 0);
    let windows = [
        (at(2, 18), end(3)),
        (at(4, 18), end(5)),
        (at(6, 18), end(7)),
    ];
    let l = level(&[8, 20], &windows, at(7, 10), (18.0, 50.0));
    assert_eq!(l.held_doses, 9);
    let at_session = |th| brute_force(&[8, 20], &windows, at(7, 10), th);
    assert!((at_session(18.0) - 0.1798).abs() < 1e-4);
    assert!((at_session(50.0) - 0.3558).abs() < 1e-4);
    assert_eq!(l.lowest_at, at(7, 20));
    assert!((l.lowest_fraction.min - 0.1133).abs() < 1e-4, "{l:?}");
    assert!((l.lowest_fraction.max - 0.3013).abs() < 1e-4, "{l:?}");
    assert!(l.longest_held_run.more_than_a_day);
    assert_eq!(l.longest_held_run.hours_without_dose, 48.0);
}

/// The level, by brute force: every dose of the last 60 days summed directly (and
/// the days before as a geometric series), held ones left out, against all of them.
fn brute_force(hours: &[i8], windows: &[(DateTime, DateTime)], t: DateTime, th: f64) -> f64 {
    let (mut taken, mut all) = (0.0, 0.0);
    let first_day = t.date().checked_sub(60.days()).unwrap();
    // Before the first day, nothing is held: the days before it add a geometric tail.
    let r = 0.5f64.powf(24.0 / th);
    for h in hours {
        let dose = first_day.at(*h, 0, 0, 0);
        let w = 0.5f64.powf(t.duration_since(dose).as_secs_f64() / 3600.0 / th);
        taken += w * r / (1.0 - r);
        all += w * r / (1.0 - r);
    }
    let mut day = first_day;
    while day <= t.date() {
        for h in hours {
            let dose = day.at(*h, 0, 0, 0);
            if dose <= t {
                let w = 0.5f64.powf(t.duration_since(dose).as_secs_f64() / 3600.0 / th);
                all += w;
                if !windows.iter().any(|(a, b)| dose >= *a && dose <= *b) {
                    taken += w;
                }
            }
        }
        day = day.tomorrow().unwrap();
    }
    taken / all
}

proptest::proptest! {
    /// The exact walk agrees with the direct sum, its lowest is the lowest the direct
    /// sum finds at any dose time, every level stays within 0–1, and a half-life
    /// inside the range gives figures inside the two ends' range.
    #[test]
    fn the_walk_agrees_with_the_direct_sum(
        dose_hours in proptest::collection::btree_set(0i8..24, 1..4),
        sessions in proptest::collection::btree_set(0i64..20, 1..5),
        hold in 0i64..80,
        after in 0i64..30,
        th_short in 2.0f64..60.0,
        th_ratio in 1.0f64..6.0,
    ) {
        let hours: Vec<i8> = dose_hours.into_iter().collect();
        let windows: Vec<(DateTime, DateTime)> = sessions
            .iter()
            .map(|d| {
                let s = at(1, 10).checked_add(d.days()).unwrap();
                (
                    s.checked_sub(hold.hours()).unwrap(),
                    s.checked_add(after.hours()).unwrap(),
                )
            })
            .collect();
        let last = windows.last().unwrap().1;
        let th_long = th_short * th_ratio;
        let Some(l) = series_level(&times(&hours), &windows, last, (th_short, th_long), 25.0)
            .unwrap()
        else {
            return Ok(());
        };
        let doses = scheduled_doses(&times(&hours), &windows, last).unwrap().unwrap();
        let slots: Vec<f64> = hours.iter().map(|h| f64::from(*h)).collect();
        for th in [th_short, th_long] {
            let w = walk(&doses, &slots, th);
            let direct = brute_force(&hours, &windows, doses[w.lowest_at].at, th);
            proptest::prop_assert!(direct >= w.lowest - 1e-9 && direct <= w.lowest + SAME + 1e-9);
            let lowest = doses
                .iter()
                .map(|d| brute_force(&hours, &windows, d.at, th))
                .fold(1.0, f64::min);
            proptest::prop_assert!((lowest - w.lowest).abs() < 1e-9);
            proptest::prop_assert!((0.0..=1.0).contains(&w.lowest));
            proptest::prop_assert!(w.fall <= 1.0 - w.lowest + 1e-12);
        }
        let mid = walk(&doses, &slots, (th_short * th_long).sqrt());
        proptest::prop_assert!(mid.lowest >= l.lowest_fraction.min - 1e-9);
        proptest::prop_assert!(mid.lowest <= l.lowest_fraction.max + 1e-9);
        proptest::prop_assert!(mid.fall * 100.0 <= l.largest_fall_14_days_percent.max + 1e-7);
        proptest::prop_assert!(mid.fall * 100.0 >= l.largest_fall_14_days_percent.min - 1e-7);
    }

    /// Holding more never raises the lowest level.
    #[test]
    fn holding_more_never_raises_the_level(
        dose_hours in proptest::collection::btree_set(0i8..24, 1..4),
        hold in 1i64..48,
        extra in 1i64..48,
        th in 2.0f64..200.0,
    ) {
        let hours: Vec<i8> = dose_hours.into_iter().collect();
        let s = at(10, 10);
        let window = |h: i64| (s.checked_sub(h.hours()).unwrap(), s);
        let short = series_level(&times(&hours), &[window(hold)], s, (th, th), 25.0).unwrap();
        let long = series_level(&times(&hours), &[window(hold + extra)], s, (th, th), 25.0)
            .unwrap();
        if let (Some(short), Some(long)) = (short, long) {
            proptest::prop_assert!(long.lowest_fraction.min <= short.lowest_fraction.min + 1e-12);
        }
    }
}
