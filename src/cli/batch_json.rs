//! The plan document as `taper batch` writes it: byte for byte what
//! `serde_json::to_writer(&plan)` writes, but the parts that are the same for every plan
//! of a drug (the review notice, the drug's facts and the curve, each with its sources)
//! are encoded once per thread and copied in as they are.
//!
//! Those parts are a third of a plan's bytes and most of its text, and escaping text is
//! what serde_json spends most of its time on; the batch throughput target (issue 6:
//! 100,000 plans a second on one core) needs them encoded once, not 100,000 times.
//! `PlanView` mirrors [`Plan`]: the exhaustive destructuring in [`PlanView::new`] stops
//! the build when `Plan` gains a field, and the tests below compare bytes with serde_json
//! over every drug and every optional section.

use jiff::civil::Date;
use serde::Serialize;
use serde_json::value::RawValue;
use taper::plan::{CurveInfo, DrugInfo, Plan, RuleInfo, Status, Step, Tool, Warning};

/// Encoded parts this many distinct drugs (and curves) deep; more, e.g. a batch of
/// drug files, are encoded per plan as before.
const MOST_CACHED: usize = 64;

/// Per-thread cache of encoded parts, compared by value, so a drug file that changes a
/// source text never reuses another entry's bytes.
#[derive(Default)]
pub struct JsonCache {
    notice: Option<(&'static str, Box<RawValue>)>,
    drugs: Vec<(DrugInfo, Box<RawValue>)>,
    curves: Vec<(CurveInfo, Box<RawValue>)>,
}

impl JsonCache {
    /// Appends `plan` as compact JSON to `out`.
    pub fn write_plan(&mut self, out: &mut Vec<u8>, plan: &Plan) -> serde_json::Result<()> {
        if self.notice.as_ref().is_none_or(|(n, _)| *n != plan.notice) {
            self.notice = Some((plan.notice, serde_json::value::to_raw_value(plan.notice)?));
        }
        let drug = cached(&mut self.drugs, &plan.drug)?;
        let curve = cached(&mut self.curves, &plan.curve)?;
        let notice = self.notice.as_ref().map(|(_, raw)| &**raw);
        let (Some(notice), Some(drug), Some(curve)) = (notice, drug, curve) else {
            return serde_json::to_writer(out, plan);
        };
        let view = PlanView::new(plan, notice, drug, curve);
        // The object in three parts: the fields before the steps, the steps, the fields
        // after them. Both parts always have a field, so each is written as an object
        // and its braces are swapped for the commas that join them.
        serde_json::to_writer(&mut *out, &view.head)?;
        out.pop();
        out.extend_from_slice(b",\"steps\":");
        super::batch_steps::write_steps(out, view.steps)?;
        let tail = out.len();
        serde_json::to_writer(&mut *out, &view.tail)?;
        out[tail] = b',';
        Ok(())
    }
}

/// The encoded `value` from `cache`, encoding and keeping it if new; `None` (encode as
/// usual) when the cache is full.
fn cached<'c, T: Serialize + PartialEq + Clone>(
    cache: &'c mut Vec<(T, Box<RawValue>)>,
    value: &T,
) -> serde_json::Result<Option<&'c RawValue>> {
    let index = match cache.iter().position(|(known, _)| known == value) {
        Some(i) => i,
        None if cache.len() < MOST_CACHED => {
            cache.push((value.clone(), serde_json::value::to_raw_value(value)?));
            cache.len() - 1
        }
        None => return Ok(None),
    };
    Ok(Some(&cache[index].1))
}

/// [`Plan`]'s fields in [`Plan`]'s order and with its serde attributes, three of them
/// already encoded, in the part before the steps, the steps, and the part after.
struct PlanView<'a> {
    head: PlanHead<'a>,
    steps: &'a [Step],
    tail: PlanTail<'a>,
}

#[derive(Serialize)]
struct PlanHead<'a> {
    schema_version: u32,
    plan_id: &'a str,
    revision: u32,
    tool: &'a Tool,
    notice: &'a RawValue,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    headline: Option<&'a str>,
    drug: &'a RawValue,
    curve: &'a RawValue,
    rule: &'a RuleInfo,
    start_dose_mg: f64,
    #[serde(serialize_with = "taper::schedule::serialize_date")]
    start_date: Date,
    #[serde(serialize_with = "taper::plan::serialize_opt_date")]
    last_dose_date: Option<Date>,
    #[serde(serialize_with = "taper::plan::serialize_opt_date")]
    stop_date: Option<Date>,
    total_days: i64,
    ending: taper::formulation::Ending,
    #[serde(skip_serializing_if = "Option::is_none")]
    held: Option<&'a taper::formulation::HeldEnd>,
}

#[derive(Serialize)]
struct PlanTail<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    ketamine: Option<&'a taper::ketamine::KetamineSection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    formulation: Option<&'a taper::formulation::FormulationInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dispense: Option<&'a taper::formulation::Dispense>,
    #[serde(skip_serializing_if = "Option::is_none")]
    daily: Option<&'a [taper::formulation::DailyRow]>,
    warnings: &'a [Warning],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    revisions: &'a [taper::revision::Revision],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    cancelled: &'a [taper::revision::CancelledStep],
    request: &'a taper::model::RequestDocument,
}

impl<'a> PlanView<'a> {
    fn new(plan: &'a Plan, notice: &'a RawValue, drug: &'a RawValue, curve: &'a RawValue) -> Self {
        // No `..`: a new field of Plan must be added here (and above) to compile.
        let Plan {
            schema_version,
            plan_id,
            revision,
            tool,
            notice: _,
            status,
            headline,
            drug: _,
            curve: _,
            rule,
            start_dose_mg,
            start_date,
            last_dose_date,
            stop_date,
            total_days,
            ending,
            held,
            steps,
            ketamine,
            formulation,
            dispense,
            daily,
            warnings,
            revisions,
            cancelled,
            request,
        } = plan;
        PlanView {
            head: PlanHead {
                schema_version: *schema_version,
                plan_id,
                revision: *revision,
                tool,
                notice,
                status: *status,
                headline: headline.as_deref(),
                drug,
                curve,
                rule,
                start_dose_mg: *start_dose_mg,
                start_date: *start_date,
                last_dose_date: *last_dose_date,
                stop_date: *stop_date,
                total_days: *total_days,
                ending: *ending,
                held: held.as_ref(),
            },
            steps,
            tail: PlanTail {
                ketamine: ketamine.as_ref(),
                formulation: formulation.as_ref(),
                dispense: dispense.as_ref(),
                daily: daily.as_deref(),
                warnings,
                revisions,
                cancelled,
                request,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use taper::Catalogs;

    fn plan(request: serde_json::Value, catalogs: &Catalogs) -> Plan {
        taper::make_plan(
            catalogs,
            &taper::request::from_json(&request.to_string()).unwrap(),
        )
        .unwrap()
    }

    /// Writes each plan twice (encoding, then reusing, the cached parts) and compares
    /// both with serde_json's own encoding of the whole plan.
    /// Returns the top-level keys seen, so a test can check its requests reach every
    /// optional section.
    fn assert_same_bytes(requests: &[serde_json::Value]) -> Vec<String> {
        let catalogs = Catalogs::embedded().unwrap();
        let mut cache = JsonCache::default();
        let mut keys = Vec::new();
        for request in requests {
            let plan = plan(request.clone(), &catalogs);
            let expected = serde_json::to_vec(&plan).unwrap();
            let value: serde_json::Value = serde_json::from_slice(&expected).unwrap();
            keys.extend(value.as_object().unwrap().keys().cloned());
            for pass in ["first", "cached"] {
                let mut out = b"[".to_vec();
                cache.write_plan(&mut out, &plan).unwrap();
                assert!(
                    out[1..] == expected[..],
                    "{pass} encoding differs for {request}:\n{}\n{}",
                    String::from_utf8_lossy(&out[1..]),
                    String::from_utf8_lossy(&expected)
                );
            }
        }
        keys
    }

    #[test]
    fn every_drug_encodes_as_serde_json_does() {
        let catalog = taper::catalog::Catalog::embedded().unwrap();
        let mut requests = Vec::new();
        for drug in catalog.drugs() {
            for curve in &drug.curves {
                requests.push(json!({"drug": drug.name, "from": drug.usual_dose.max_mg, "region": curve.region, "start": "2027-01-04"}));
            }
        }
        // A curve given by hand, and a drug outside the catalog.
        requests.push(json!({"drug": "citalopram", "from": "20mg", "emax": 80, "ed50": 2}));
        requests.push(json!({"drug": "clomipramine", "from": "50mg", "emax": 90, "ed50": 1.5}));
        assert_same_bytes(&requests);
    }

    #[test]
    fn every_optional_section_encodes_as_serde_json_does() {
        let keys = assert_same_bytes(&[
            json!({"drug": "citalopram", "from": "20mg", "start": "2027-01-04",
                   "tablets": [10], "split": "half", "dispense_every": "4w"}),
            json!({"drug": "fluoxetine", "from": "20mg", "liquid": "20mg/5ml", "bottle": "70ml",
                   "daily": true}),
            json!({"drug": "sertraline", "from": "100mg", "daily": true, "start": "2027-01-04"}),
            json!({"drug": "escitalopram", "from": "10mg", "start": "2027-01-04",
                   "ketamine": ["2027-02-03T10:00"], "benzo": ["lorazepam"],
                   "benzo_dose": ["1mg"], "benzo_times": ["22:00"]}),
            // Steps with every optional field the batch writes by hand: instructions,
            // merged steps, flags and a held ending (tablets that cannot make the
            // tail), doses taken twice a day (a liquid replacing a modified-release
            // capsule), text that must be escaped.
            json!({"drug": "sertraline", "from": "100mg", "form": "tablet", "market": "uk",
                   "split": "half", "start": "2027-01-04"}),
            json!({"drug": "venlafaxine", "from": "150mg", "form": "auto", "market": "uk",
                   "start": "2027-01-04"}),
        ]);
        for section in ["ketamine", "formulation", "dispense", "daily", "held"] {
            assert!(
                keys.iter().any(|k| k == section),
                "no request has {section}"
            );
        }
    }
}
