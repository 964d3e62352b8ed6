//! Tests of the kits: which doses they make, and how each is taken.

use super::*;
use crate::formulation::Usage;

fn doses(kit: &Kit, max: f64) -> Vec<f64> {
    kit.doses_up_to(max)
        .unwrap()
        .iter()
        .map(|d| d.dose_mg)
        .collect()
}

#[test]
fn tablets_with_halves() {
    let kit = Kit::tablets(&[10.0, 20.0], Split::Half, "tablet").unwrap();
    assert_eq!(doses(&kit, 20.0), [5.0, 10.0, 15.0, 20.0]);
    let all = kit.doses_up_to(20.0).unwrap();
    assert_eq!(kit.instructions(&all[0]), "½ × 10 mg tablet");
    assert_eq!(
        kit.instructions(&all[2]),
        "1 × 10 mg tablet + ½ × 10 mg tablet"
    );
    assert_eq!(kit.instructions(&all[3]), "1 × 20 mg tablet");
    assert_eq!(
        kit.usage(&all[0]),
        [Usage {
            product: "10 mg tablet".into(),
            amount: 0.5,
            unit: crate::model::Unit::Tablets
        }]
    );
}

#[test]
fn whole_tablets_only() {
    let kit = Kit::tablets(&[10.0, 20.0], Split::None, "tablet").unwrap();
    assert_eq!(doses(&kit, 40.0), [10.0, 20.0, 30.0, 40.0]);
}

#[test]
fn liquid_volumes_are_multiples_of_the_graduation() {
    let kit = Kit::liquid("oral solution 2 mg/mL", 2.0, 0.1, 1.0).unwrap();
    let all = kit.doses_up_to(1.0).unwrap();
    assert_eq!(all.len(), 5);
    assert!((all[4].dose_mg - 1.0).abs() < 1e-12);
    let seventeen = &kit.doses_up_to(3.4).unwrap()[16];
    assert_eq!(
        kit.instructions(seventeen),
        "draw 1.7 mL of the oral solution 2 mg/mL (3.4 mg)"
    );
    // 3.1 mL: more than a 3 mL syringe holds, finer than a 5 mL one's 0.2 mL marks.
    let thirty_one = &kit.doses_up_to(6.2).unwrap()[30];
    assert_eq!(
        kit.instructions(thirty_one),
        "draw 3.1 mL of the oral solution 2 mg/mL (6.2 mg) in 2 draws: 3 mL with a 3 mL oral syringe, then 0.1 mL with a 1 mL oral syringe"
    );
    let four = &kit.doses_up_to(3.4).unwrap()[3];
    assert_eq!(
        kit.instructions(four),
        "draw 0.4 mL of the oral solution 2 mg/mL (0.8 mg)"
    );
}

#[test]
fn citalopram_drops_act_like_more_tablet() {
    // 8 mg of drops ≡ 10 mg of tablets (NHS Specialist Pharmacy Service and a trust
    // formulary): 0.2 mL of 40 mg/mL is 8 mg.
    let kit = Kit::liquid("oral drops 40 mg/mL", 40.0, 0.1, 1.25).unwrap();
    let all = kit.doses_up_to(10.0).unwrap();
    assert!((all[1].dose_mg - 10.0).abs() < 1e-9);
    assert!(
        kit.instructions(&all[1])
            .contains("(8 mg, acting like 10 mg of tablets)")
    );
}

#[test]
fn beads_fill_in_below_a_capsule() {
    let kit = Kit::capsules(&[20.0], Some(200)).unwrap();
    let all = kit.doses_up_to(21.0).unwrap();
    assert!((all[0].dose_mg - 0.1).abs() < 1e-12);
    let twenty_and_a_bit = all
        .iter()
        .find(|d| (d.dose_mg - 20.5).abs() < 1e-9)
        .unwrap();
    assert_eq!(
        kit.instructions(twenty_and_a_bit),
        "1 × 20 mg capsule + 5 beads from an opened 20 mg capsule (≈ 0.5 mg)"
    );
    assert!(!kit.caveats.is_empty());
    let most = all
        .iter()
        .find(|d| (d.dose_mg - 18.4).abs() < 1e-9)
        .unwrap();
    assert_eq!(
        kit.instructions(most),
        "an opened 20 mg capsule with 16 of its 200 beads removed (184 beads, ≈ 18.4 mg)"
    );
}

#[test]
fn refuses_nonsense() {
    assert!(Kit::tablets(&[], Split::None, "tablet").is_err());
    assert!(Kit::tablets(&[-10.0], Split::None, "tablet").is_err());
    assert!(Kit::liquid("x", 0.0, 0.1, 1.0).is_err());
    assert!(Kit::liquid("x", 2.0, 0.0, 1.0).is_err());
    assert!(Kit::capsules(&[20.0], Some(1)).is_err());
}

#[test]
fn bead_doses_are_exact_fractions_of_a_capsule() {
    // One bead of a 20 mg capsule of 300 is 1/15 mg, not a whole number of micrograms:
    // 125 beads are 8.333… mg (not 125 × 67 µg = 8.375 mg), and the words say so too.
    let kit = Kit::capsules(&[20.0], Some(300)).unwrap();
    let all = kit.doses_up_to(60.0).unwrap();
    assert_eq!(all.len(), 900);
    for (i, d) in all.iter().enumerate() {
        assert_eq!(d.dose_mg, (i + 1) as f64 * 20.0 / 300.0);
    }
    assert_eq!(
        kit.instructions(&all[124]),
        "125 beads from an opened 20 mg capsule (≈ 8.333 mg)"
    );
    assert_eq!(
        kit.instructions(&all[424]),
        "1 × 20 mg capsule + 125 beads from an opened 20 mg capsule (≈ 8.333 mg)"
    );
}

#[test]
fn bead_counts_stay_below_a_capsule() {
    // With rounded bead sizes, 3 beads of 6.667 mg added up to more than the capsule,
    // and the words ("… with -… of its beads removed") could not be written.
    for beads in [3, 7, 3000] {
        let kit = Kit::capsules(&[20.0], Some(beads)).unwrap();
        for d in kit.doses_up_to(60.0).unwrap() {
            let Measure::Pieces(counts) = &d.how else {
                panic!("capsules are counted in pieces")
            };
            assert!(counts[1] < beads, "{beads} beads: {counts:?}");
            assert!(!kit.instructions(&d).is_empty());
        }
    }
}

#[test]
fn bead_counts_beyond_counting_are_refused() {
    let kit = Kit::capsules(&[20.0], Some(MOST_BEADS_PER_CAPSULE)).unwrap();
    let all = kit.doses_up_to(60.0).unwrap();
    assert_eq!(all.len(), 3 * MOST_BEADS_PER_CAPSULE as usize);
    let err = Kit::capsules(&[20.0], Some(50_000))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("--beads-per-capsule") && err.contains("from 2 to 10000"),
        "{err}"
    );
    // Countable, but too many doses for a capsule this small and a dose this large.
    let err = Kit::capsules(&[1.0], Some(MOST_BEADS_PER_CAPSULE))
        .unwrap()
        .doses_up_to(60.0)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("--beads-per-capsule") && err.contains("from 2 to 3333"),
        "{err}"
    );
}
