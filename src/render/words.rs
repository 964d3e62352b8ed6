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

/// What a flag or warning code means, in a sentence for the patient's CSV: no code,
/// no option name. The warning itself, with its numbers and what to change, is in the
/// other formats. Every code has one, so a new code cannot go unworded.
pub(super) fn note(code: Code) -> &'static str {
    match code {
        Code::FarBelowUsualMin => {
            "The starting dose is far below the usual minimum: check that its unit is right."
        }
        Code::AboveUsualMax => "The starting dose is above the usual maximum.",
        Code::DrugNotInCatalog => {
            "The drug is planned on a curve given by hand, not one from the catalog."
        }
        Code::PartialStep => "A smaller fall than the plan's other steps.",
        Code::SingleStepStop => "The drug is stopped in one step: an abrupt stop, not a taper.",
        Code::FinalStopExceedsStep => "Stopping here is a bigger fall than the steps before.",
        Code::LargeStep => "A large fall at once: closer to an abrupt stop than a taper.",
        Code::OccupancyAbove100 => {
            "The curve gives occupancy above 100% here, which cannot be real: read it as near full."
        }
        Code::CurveEvidence => {
            "The occupancy curve is not checked against its primary source: treat the doses as approximate."
        }
        Code::DrugFile => "The drug's figures come from a file given by the user, not the catalog.",
        Code::ShortSteps => "Shorter than the usual 2 to 4 weeks between reductions.",
        Code::StartNotMeasurable => {
            "The starting dose is kept as it is: the products given cannot make it exactly."
        }
        Code::Merged => "Held longer: the products cannot make the doses in between.",
        Code::StoppedEarly => {
            "The plan stops earlier than the ideal one: the products cannot make smaller doses."
        }
        Code::StepTooLargeForProducts => {
            "A bigger fall than planned: the products cannot make a dose in between."
        }
        Code::BottleNotUsed => "The bottle size given is not used: the doses are not a liquid.",
        Code::FluoxetineAlternateDays => {
            "Fluoxetine alone may be tapered with alternate-day doses; this plan does not use them."
        }
        Code::BenzoAboveThreshold => {
            "The benzodiazepine dose is above the level at which ketamine helped less in studies."
        }
        Code::BenzoAboveEsketamineTrialCap => {
            "The benzodiazepine dose is above the limit of the esketamine trials."
        }
        Code::BenzoLongActing => {
            "The benzodiazepine is long-acting: its level falls slowly when doses are held."
        }
        Code::BenzoShortActing => {
            "The benzodiazepine is short-acting: holding doses risks withdrawal between doses."
        }
        Code::HeldDoses => {
            "Benzodiazepine doses fall in the hold window: whether to hold them is for the prescriber to confirm."
        }
        Code::WindowsMerge => {
            "The hold windows of this session and the one before run into each other."
        }
        Code::SessionOnDoseChange => {
            "A ketamine session falls on the day the antidepressant dose changes."
        }
        Code::BenzoTaperAndHolds => "A benzodiazepine taper is planned alongside the hold windows.",
        Code::BenzoTaperTooLate => {
            "The benzodiazepine taper cannot finish before the first session at this pace."
        }
        Code::BenzoTaperUnusualPace => {
            "The benzodiazepine taper's pace is outside the usual range."
        }
        Code::BenzoTaperStepTooLarge => {
            "The benzodiazepine products cannot make every step: some steps cut more than planned."
        }
        Code::BenzoTaperFinalCliff => {
            "The benzodiazepine taper's last dose is too large to stop from: the products cannot make smaller doses."
        }
        Code::BenzoTaperNotRounded => {
            "The benzodiazepine taper's doses are not rounded to products: some may not be measurable."
        }
        Code::PercentAboveUsualRange => {
            "The cut per step is larger than the range the simple percentage method is used for."
        }
        Code::CustomCurveHill => {
            "The curve given by hand is steeper or flatter than any published fit: do not follow this plan without checking it."
        }
        Code::CustomCurveMinDose => {
            "The curve given by hand does not match published occupancy at the usual minimum dose: do not follow this plan without checking it."
        }
        Code::SerotoninOnly => {
            "Planned on the drug's serotonin effect only; its other effects may need a slower pace."
        }
        Code::BeyondHorizon => {
            "The plan runs for more than two years: review it with your prescriber as it goes."
        }
        Code::OtherRegions => {
            "The drug's curves for other brain regions give different last doses; no study says which region matters most."
        }
        Code::StepBeforeSteadyState => {
            "The dose changes before the level in the body has settled at the last one, so withdrawal symptoms can come weeks after a change."
        }
        Code::ProductSwitch => "From this step the doses come from a different product.",
        Code::DividedDoses => {
            "This medicine is taken in smaller doses more than once a day, as its leaflet says: take each day's amount in equal parts, as the instructions show."
        }
        Code::FinalFallTooLarge => {
            "The products cannot make the smaller last doses, and stopping from this dose would be a big fall at once: keep taking it until your prescriber arranges a smaller dose form. Do not stop without speaking to your prescriber."
        }
        Code::BenzoSeriesLevelFall => {
            "Holding these benzodiazepine doses over the ketamine sessions lowers the level faster than a safe taper would: do not hold them without speaking to your prescriber."
        }
        Code::DoseRaised => {
            "Your dose goes up here, as agreed when the plan was changed; after it the dose only goes down again."
        }
    }
}

/// The notes of `codes`, each once, in order, as one text.
pub(super) fn notes(codes: impl IntoIterator<Item = Code>) -> String {
    let mut seen: Vec<Code> = Vec::new();
    for code in codes {
        if !seen.contains(&code) {
            seen.push(code);
        }
    }
    let notes: Vec<&str> = seen.into_iter().map(note).collect();
    notes.join(" ")
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
        Code::BenzoTaperStepTooLarge => "Benzodiazepine step too large",
        Code::BenzoTaperFinalCliff => "Benzodiazepine taper cliff",
        Code::BenzoTaperNotRounded => "Benzodiazepine doses unrounded",
        Code::PercentAboveUsualRange => "Percent above usual range",
        Code::CustomCurveHill => "Curve steepness unpublished",
        Code::CustomCurveMinDose => "Curve off at usual minimum",
        Code::SerotoninOnly => "Serotonin effect only",
        Code::OtherRegions => "Other regions differ",
        Code::BeyondHorizon => "Very long plan",
        Code::StepBeforeSteadyState => "Changes before level settles",
        Code::ProductSwitch => "Product changes",
        Code::DividedDoses => "Taken more than once a day",
        Code::FinalFallTooLarge => "Held: no smaller dose form",
        Code::BenzoSeriesLevelFall => "Benzodiazepine level falls fast",
        Code::DoseRaised => "Dose goes back up (re-plan)",
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
    fn every_code_has_a_note_in_words() {
        for code in Code::ALL {
            let note = note(*code);
            assert!(note.ends_with('.'), "{code}: {note}");
            assert!(
                !note.contains("--") && !note.contains('_'),
                "{code}: {note}"
            );
        }
        assert_eq!(
            notes([Code::Merged, Code::LargeStep, Code::Merged]),
            format!("{} {}", note(Code::Merged), note(Code::LargeStep))
        );
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
