//! FHIR renderer: the taper as an R4 `MedicationRequest`, for clinic systems.
//!
//! It follows HL7's published pattern for a tapering dose: one `dosageInstruction` per
//! step, in order (`sequence` 1, 2 …), each bounded by the step's dates
//! (`timing.repeat.boundsPeriod`), taken once a day, with the step's dose as
//! `doseQuantity` in UCUM milligrams. The final 0 mg step is an instruction of its own
//! ("stop", dose 0), so the plan's end is explicit rather than implied by the last
//! period running out. The request is a `draft` `proposal`: the tool proposes, the
//! prescriber decides, and the review notice goes with it as a note.
//!
//! When the plan holds benzodiazepine doses before ketamine sessions, the output is a
//! `collection` `Bundle`: the taper plus one request per regimen, whose notes list each
//! held dose as "hold — confirm with prescriber".
//!
//! A revision of the plan (`taper replan`) is a new request that replaces the one
//! before: its id carries the revision (`PLAN-r2-taper`), it names the one it replaces
//! (`priorPrescription`), and the output is a `Bundle` that also holds the earlier
//! request as `stopped` (it was in progress: R4's `cancelled` is for a request none of
//! whose doses were taken), so a clinic system that imported the earlier one sees it
//! end.
//!
//! No FHIR crate: the few elements used are plain structs written by serde, in the
//! order the R4 specification lists them (`resourceType` first). The tests and
//! `tests/validate_formats.py` check the result against an independent R4 model.

use super::PrintOptions;
use super::step_view::{StepView, Steps, Taken};
use crate::error::{Error, Result};
use crate::formulation::DailyRow;
use crate::ketamine::{HOLD_ACTION, KetamineSection, RegimenInfo, fmt_datetime};
use crate::plan::Plan;
use crate::text::{fmt_dose, fmt_machine, fmt_num};
use serde::Serialize;

pub fn plan(plan: &Plan, options: &PrintOptions) -> Result<String> {
    let taper = taper_request(plan, options);
    let regimens = plan.ketamine.as_ref().filter(|k| !k.regimens.is_empty());
    let text = match (regimens, plan.revisions.last()) {
        (None, None) => serde_json::to_string_pretty(&taper),
        (regimens, revision) => {
            let mut entry = vec![Entry { resource: taper }];
            if let Some(revision) = revision {
                entry.push(Entry {
                    resource: replaced_request(plan, options, revision),
                });
            }
            if let Some(k) = regimens {
                entry.extend(k.regimens.iter().enumerate().map(|(i, r)| Entry {
                    resource: regimen_request(plan, options, k, i, r),
                }));
            }
            let bundle = Bundle {
                resource_type: "Bundle",
                id: resource_id(plan, "bundle"),
                kind: "collection",
                entry,
            };
            serde_json::to_string_pretty(&bundle)
        }
    };
    let mut text =
        text.map_err(|e| Error::Runtime(format!("could not write the FHIR document: {e}")))?;
    text.push('\n');
    Ok(text)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Bundle {
    resource_type: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    entry: Vec<Entry>,
}

#[derive(Serialize)]
struct Entry {
    resource: MedicationRequest,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MedicationRequest {
    resource_type: &'static str,
    id: String,
    status: &'static str,
    intent: &'static str,
    medication_codeable_concept: Text,
    subject: Display,
    authored_on: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    requester: Option<Display>,
    note: Vec<Text>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    dosage_instruction: Vec<Dosage>,
    /// The request of the revision before, which this one replaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    prior_prescription: Option<Reference>,
}

#[derive(Serialize)]
struct Reference {
    reference: String,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Display {
    display: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dosage {
    sequence: usize,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    patient_instruction: Option<String>,
    timing: Timing,
    dose_and_rate: [DoseAndRate; 1],
}

#[derive(Serialize)]
struct Timing {
    repeat: Repeat,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Repeat {
    #[serde(skip_serializing_if = "Option::is_none")]
    bounds_period: Option<Period>,
    frequency: usize,
    period: u32,
    period_unit: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    time_of_day: Vec<String>,
}

#[derive(Serialize)]
struct Period {
    start: String,
    end: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DoseAndRate {
    dose_quantity: Quantity,
}

#[derive(Serialize)]
struct Quantity {
    value: f64,
    unit: &'static str,
    system: &'static str,
    code: &'static str,
}

/// The antidepressant taper: one dosage instruction per step.
fn taper_request(plan: &Plan, options: &PrintOptions) -> MedicationRequest {
    let c = &plan.curve;
    // A plan that needs review says so before anything else.
    let mut notes: Vec<Text> = plan
        .headline
        .iter()
        .map(|h| text(&format!("DANGER: {h}")))
        .collect();
    notes.extend([
        text(plan.notice),
        text(&format!(
            "Rule: {}; each step lasts {} unless held longer. Curve: {} SERT occupancy, Emax {}%, ED50 {} mg, Hill {}. Source: {}. Evidence: {} ({}).",
            plan.rule.description,
            super::words::days(plan.rule.every_days),
            c.region,
            fmt_num(c.emax_pct),
            fmt_num(c.ed50_mg),
            fmt_num(c.hill),
            c.source,
            c.evidence.as_str(),
            c.evidence.meaning()
        )),
    ]);
    notes.extend(
        plan.warnings
            .iter()
            .map(|w| text(&format!("{} ({})", w.message, w.code))),
    );
    let steps = Steps::new(plan);
    // With --daily the dose falls every day: a step's dose would contradict the daily
    // rows, so each run of days at one dose is its own instruction.
    let dosage = match plan.daily.is_some() {
        true => {
            let mut dosage: Vec<Dosage> = daily_runs(steps.dosing_days)
                .iter()
                .enumerate()
                .map(|(i, run)| run_instruction(plan, &steps, i + 1, run))
                .collect();
            // A plan that ends held has no stop: its held days are daily runs.
            if let Some(stop) = steps.steps.last().filter(|s| s.stop) {
                dosage.push(step_instruction(plan, dosage.len() + 1, stop));
            }
            dosage
        }
        false => steps
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| step_instruction(plan, i + 1, s))
            .collect(),
    };
    let mut taper = request(
        options,
        resource_id(plan, "taper"),
        &plan.drug.name,
        notes,
        dosage,
    );
    if plan.revision > 1 {
        taper.prior_prescription = Some(Reference {
            reference: format!("MedicationRequest/{}", prior_id(plan)),
        });
    }
    taper
}

/// The request of the revision before, as the Bundle carries it: `stopped`, with why,
/// and without its dosage (the new request holds the doses taken and to come).
fn replaced_request(
    plan: &Plan,
    options: &PrintOptions,
    revision: &crate::revision::Revision,
) -> MedicationRequest {
    let note = vec![
        text(plan.notice),
        text(&format!(
            "Replaced from {} by revision {} of this plan ({}): {}.",
            revision.on,
            revision.revision,
            resource_id(plan, "taper"),
            revision.reason
        )),
    ];
    let mut replaced = request(options, prior_id(plan), &plan.drug.name, note, Vec::new());
    replaced.status = "stopped";
    replaced
}

/// The id of the revision before's taper request.
fn prior_id(plan: &Plan) -> String {
    format!("{}-r{}-taper", plan.plan_id, plan.revision - 1)
}

/// Consecutive `--daily` days with a dose, grouped where the dose and how to take it
/// stay the same.
fn daily_runs(dosing_days: &[DailyRow]) -> Vec<&[DailyRow]> {
    dosing_days
        .chunk_by(|a, b| a.dose_mg == b.dose_mg && a.instructions == b.instructions)
        .collect()
}

fn run_instruction(plan: &Plan, steps: &Steps, sequence: usize, run: &[DailyRow]) -> Dosage {
    let (first, last) = (&run[0], &run[run.len() - 1]);
    let days = match run.len() {
        1 => format!("Day {}", first.day),
        _ => format!("Days {}–{}", first.day, last.day),
    };
    let in_steps = match first.step == last.step {
        true => format!("step {}", first.step),
        false => format!("steps {}–{}", first.step, last.step),
    };
    let taken = steps.taken(first.step, first.dose_mg);
    let times = first.times_a_day.unwrap_or(1);
    Dosage {
        sequence,
        text: format!(
            "{days} ({in_steps}): {} {} from {} to {} ({}); predicted SERT occupancy {:.1}%",
            dose_text(plan, &taken, first.dose_mg),
            how_often(times),
            first.date,
            last.date,
            super::words::days(run.len() as i64),
            first.occupancy_pct
        ),
        patient_instruction: first.instructions.clone(),
        timing: daily(first.date, last.date, times),
        dose_and_rate: [mg(taken.mg / f64::from(times))],
    }
}

fn step_instruction(plan: &Plan, sequence: usize, view: &StepView) -> Dosage {
    let s = view.step;
    let taken = view.taken(s.dose_mg);
    let times = s.times_a_day.unwrap_or(1);
    let text = if view.stop {
        "stop".to_string()
    } else {
        format!(
            "Step {}: {} {} from {} to {} ({}); predicted SERT occupancy {:.1}%",
            s.step,
            dose_text(plan, &taken, s.dose_mg),
            how_often(times),
            s.start_date,
            s.end_date,
            super::words::days(s.days),
            s.occupancy_pct
        )
    };
    Dosage {
        sequence,
        text,
        // With products given: "½ × 10 mg tablet", in the patient's terms.
        patient_instruction: view.instructions.filter(|_| !view.stop).map(str::to_string),
        timing: daily(s.start_date, s.end_date, times),
        dose_and_rate: [mg(taken.mg / f64::from(times))],
    }
}

/// "citalopram 5 mg", or "citalopram 8 mg as oral drops 40 mg/mL … (acting like 10 mg
/// of tablets)": a dose of `dose_mg` tablet-equivalent mg, `taken` as it is.
fn dose_text(plan: &Plan, taken: &Taken, dose_mg: f64) -> String {
    match taken.product {
        Some(products) => format!(
            "{} {} mg as {products} (acting like {} mg of tablets)",
            plan.drug.name,
            fmt_num(taken.mg),
            fmt_dose(dose_mg)
        ),
        None => format!("{} {} mg", plan.drug.name, fmt_dose(dose_mg)),
    }
}

/// "once a day", or "a day, in 2 divided doses (twice a day)": the text's words for
/// a day's dose taken `times` times (see [`crate::model::Step::times_a_day`]).
fn how_often(times: u32) -> String {
    match times {
        0 | 1 => "once a day".into(),
        n => format!(
            "a day, in {n} divided doses ({})",
            crate::formulation::times_a_day(n)
        ),
    }
}

/// `times` times a day from `start` to `end`, inclusive; each dose (doseQuantity) is
/// the day's dose divided by `times`.
fn daily(start: jiff::civil::Date, end: jiff::civil::Date, times: u32) -> Timing {
    Timing {
        repeat: Repeat {
            bounds_period: Some(Period {
                start: start.to_string(),
                end: end.to_string(),
            }),
            frequency: times.max(1) as usize,
            period: 1,
            period_unit: "d",
            time_of_day: Vec::new(),
        },
    }
}

/// One benzodiazepine regimen, with the doses held before each session as notes.
fn regimen_request(
    plan: &Plan,
    options: &PrintOptions,
    k: &KetamineSection,
    index: usize,
    r: &RegimenInfo,
) -> MedicationRequest {
    let mut notes = vec![
        text(plan.notice),
        text(&format!(
            "Benzodiazepine hold before ketamine sessions: {} ({}).",
            k.hold.description, k.hold.source
        )),
    ];
    for s in &k.sessions {
        let held: Vec<String> = s
            .held_doses
            .iter()
            .filter(|d| d.drug == r.drug)
            .map(|d| {
                let (mg, at) = (fmt_num(d.dose_mg), fmt_datetime(d.at));
                format!("{mg} mg at {at}: {HOLD_ACTION}")
            })
            .collect();
        if !held.is_empty() {
            notes.push(text(&format!(
                "Ketamine session {} at {}; doses in the hold window: {}.",
                s.session,
                fmt_datetime(s.at),
                held.join("; ")
            )));
        }
    }
    let dosage = Dosage {
        sequence: 1,
        text: format!(
            "{} {} mg at {} every day",
            r.drug,
            fmt_num(r.dose_mg),
            r.times.join(", ")
        ),
        patient_instruction: None,
        timing: Timing {
            repeat: Repeat {
                bounds_period: None,
                frequency: r.times.len(),
                period: 1,
                period_unit: "d",
                // FHIR times carry seconds; the regimen's are "HH:MM".
                time_of_day: r.times.iter().map(|t| format!("{t}:00")).collect(),
            },
        },
        dose_and_rate: [mg(r.dose_mg)],
    };
    let id = resource_id(plan, &format!("benzo-{}", index + 1));
    request(options, id, &r.drug, notes, vec![dosage])
}

/// What every request shares: a draft proposal, the medication by name, who it is for.
fn request(
    options: &PrintOptions,
    id: String,
    medication: &str,
    note: Vec<Text>,
    dosage_instruction: Vec<Dosage>,
) -> MedicationRequest {
    MedicationRequest {
        resource_type: "MedicationRequest",
        id,
        status: "draft",
        intent: "proposal",
        medication_codeable_concept: text(medication),
        // FHIR requires a subject; without --patient the request says so.
        subject: Display {
            display: options
                .patient
                .clone()
                .unwrap_or_else(|| "unspecified patient".into()),
        },
        authored_on: options.made_on().to_string(),
        requester: options
            .prescriber
            .clone()
            .map(|display| Display { display }),
        note,
        dosage_instruction,
        prior_prescription: None,
    }
}

fn text(text: &str) -> Text {
    Text { text: text.into() }
}

/// A dose in UCUM milligrams, to the precision of the CSV output (6 decimals, but
/// never rounded to 0).
fn mg(value: f64) -> DoseAndRate {
    DoseAndRate {
        dose_quantity: Quantity {
            value: fmt_machine(value).parse().unwrap_or(value),
            unit: "mg",
            system: "http://unitsofmeasure.org",
            code: "mg",
        },
    }
}

/// A FHIR id (`[A-Za-z0-9\-\.]{1,64}`) for one resource of one revision of a plan:
/// `clinic-4711-r2-taper`. It derives from the plan id (at most 40 safe characters,
/// [`crate::identity`]), never from the drug: two patients' plans never collide, and
/// each revision's request is a resource of its own that the next one replaces.
fn resource_id(plan: &Plan, what: &str) -> String {
    format!("{}-r{}-{what}", plan.plan_id, plan.revision)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doses_keep_csv_precision_and_never_vanish() {
        let value = |mg_per_day| mg(mg_per_day).dose_quantity.value;
        assert_eq!(value(11.666666666666663), 11.666667);
        assert_eq!(value(0.0), 0.0);
        assert_eq!(value(2.5e-7), 2.5e-7);
    }

    #[test]
    fn keys_follow_the_specification_order() {
        let json = serde_json::to_string(&mg(5.0)).unwrap();
        assert_eq!(
            json,
            r#"{"doseQuantity":{"value":5.0,"unit":"mg","system":"http://unitsofmeasure.org","code":"mg"}}"#
        );
    }
}
