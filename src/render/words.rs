//! Phrases every format words the same way: counts of days, lengths of time, lists of
//! codes, a code's label. One function each, so "1 day" or "4 weeks and 2 days" cannot
//! be phrased one way in the table and another in a printout or a calendar.

use crate::model::Code;
use crate::text::fmt_count;
use std::fmt::Display;

/// A number of days: "1 day", "28 days".
pub(super) fn days(n: impl Into<i64>) -> String {
    fmt_count(n.into(), "day")
}

/// A length of time in weeks and days, for a reader planning around it: "2 days",
/// "3 weeks", "4 weeks and 2 days". Under a week it is days alone, never "0 weeks".
pub(super) fn duration(days: i64) -> String {
    match (days / 7, days % 7) {
        (0, extra) => fmt_count(extra, "day"),
        (weeks, 0) => fmt_count(weeks, "week"),
        (weeks, extra) => format!(
            "{} and {}",
            fmt_count(weeks, "week"),
            fmt_count(extra, "day")
        ),
    }
}

/// Flag or warning codes joined by `separator`, each written as it displays, so the
/// renderers need not know how a code is stored.
pub(super) fn codes<C: Display>(codes: &[C], separator: &str) -> String {
    let codes: Vec<String> = codes.iter().map(ToString::to_string).collect();
    codes.join(separator)
}

/// A flag or warning code as a few words a reader takes in at a glance ("Merged
/// steps"), for a printout's narrow Flags column; the warning itself says the rest.
/// Every code has one, so a new code cannot reach a printout as a bare identifier.
pub(super) fn label(code: Code) -> &'static str {
    match code {
        Code::FarBelowUsualMin => "Start far below usual dose",
        Code::AboveUsualMax => "Start above usual maximum",
        Code::DrugNotInCatalog => "Drug not in catalog",
        Code::PartialStep => "Partial step",
        Code::SingleStepStop => "Stops in one step",
        Code::FinalStopExceedsStep => "Stopping is a bigger step",
        Code::LargeStep => "Large step",
        Code::OccupancyAbove100 => "Occupancy above 100%",
        Code::CurveEvidence => "Curve not verified",
        Code::DrugFile => "From a drug file",
        Code::ShortSteps => "Short steps",
        Code::StartNotMeasurable => "Start dose not made by products",
        Code::Merged => "Merged steps",
        Code::StoppedEarly => "Stops early",
        Code::StepTooLargeForProducts => "Step too large for products",
        Code::BottleNotUsed => "Bottle size not used",
        Code::FluoxetineAlternateDays => "Alternate days not planned",
        Code::BenzoAboveThreshold => "Benzodiazepine above threshold",
        Code::BenzoAboveEsketamineTrialCap => "Above esketamine trial cap",
        Code::BenzoLongActing => "Long-acting benzodiazepine",
        Code::BenzoShortActing => "Short-acting benzodiazepine",
        Code::HeldDoses => "Doses held",
        Code::WindowsMerge => "Hold windows merge",
        Code::SessionOnDoseChange => "Session on a dose change",
        Code::BenzoTaperAndHolds => "Benzodiazepine taper and holds",
        Code::BenzoTaperTooLate => "Benzodiazepine taper too late",
        Code::BenzoTaperUnusualPace => "Unusual taper pace",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_a_person_would_say_them() {
        assert_eq!(duration(1), "1 day");
        assert_eq!(duration(2), "2 days");
        assert_eq!(duration(7), "1 week");
        assert_eq!(duration(21), "3 weeks");
        assert_eq!(duration(8), "1 week and 1 day");
        assert_eq!(duration(30), "4 weeks and 2 days");
    }

    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(days(1u32), "1 day");
        assert_eq!(days(28u32), "28 days");
        assert_eq!(
            codes(&["merged", "stopped_early"], ", "),
            "merged, stopped_early"
        );
        assert_eq!(codes::<&str>(&[], ";"), "");
    }

    #[test]
    fn every_code_has_a_short_label_of_its_own() {
        let mut seen = std::collections::HashSet::new();
        for &code in Code::ALL {
            let label = label(code);
            assert!(seen.insert(label), "{code}: {label} is used twice");
            // Short enough for a narrow column, and words, not the code itself.
            assert!(label.len() <= 32 && !label.contains('_'), "{code}: {label}");
        }
    }
}
