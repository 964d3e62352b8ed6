//! Ketamine and esketamine sessions: the benzodiazepine hold window before each one.
//!
//! Higher benzodiazepine doses blunt ketamine's antidepressant effect (Andrashko 2020;
//! Feeney 2023), so protocols hold them before each session: 12 h in the esketamine
//! phase-3 trials, 24 h or 72 h in some clinics, "the night before and the day of" at
//! Oxford Health. For each session this module lays out the window, names every
//! scheduled dose inside it (to hold, *for the prescriber to confirm*: the tool never
//! tells anyone to stop a benzodiazepine), and says what holding achieves for that drug:
//! the fraction of the level at the last dose still there at session time,
//! 0.5^(hours since last dose / t½) over the half-life range (first-order
//! elimination). Over the whole series, [`exposure`] follows each regimen's level with
//! the held doses removed, as a share of the level with none held, and compares its
//! largest fall within 14 days with ASAM 2025's cap for a taper.

mod benzo_doses;
mod benzo_measure;
mod benzo_round;
mod benzo_taper;
mod evidence;
mod exposure;
mod notes;
mod window;

pub use benzo_measure::{ProductLine, TaperProducts, TaperProductsInfo};
pub use benzo_taper::{BenzoTaper, BenzoTaperRequest, BenzoTaperStep, parse as parse_benzo_taper};
pub use evidence::KetamineEvidence;
pub use exposure::{HeldRun, PercentRange, SeriesLevel};
pub use window::{HoldRule, fmt_datetime, hold_window};

use crate::catalog::{BenzoCatalog, EquivalenceTable, Evidence};
use crate::error::{Error, Result};
use crate::model::{Code, Tool, Warning};
use jiff::civil::{Date, DateTime, Time};
use serde::Serialize;

/// One benzodiazepine or Z-drug taken every day at fixed times.
#[derive(Debug, Clone, PartialEq)]
pub struct BenzoRegimen {
    pub drug: String,
    pub dose_mg: f64,
    pub times: Vec<Time>,
}

/// Everything the ketamine section needs, parsed and typed.
#[derive(Debug, Clone, PartialEq)]
pub struct KetamineRequest {
    pub regimens: Vec<BenzoRegimen>,
    pub sessions: Vec<DateTime>,
    pub hold: HoldRule,
    /// Hours after each session in which doses are also held (`--benzo-after`).
    pub after_hours: u32,
    pub equivalence: EquivalenceTable,
    /// A benzodiazepine taper to finish before the first session (`--benzo-taper`).
    pub benzo_taper: Option<BenzoTaperRequest>,
    /// Benzodiazepine files to add to (or override) the built-in catalog.
    pub benzo_files: Vec<std::path::PathBuf>,
    /// Whose products a benzodiazepine taper's doses are rounded to: the plan's
    /// `--market`, else `--benzo-market`, else the US (`None`).
    pub benzo_market: Option<(crate::catalog::Market, &'static str)>,
    /// The rounding tolerance for the taper's doses, percent (the plan's `--tolerance`,
    /// else the default in `schedules/guardrails.toml`).
    pub benzo_tolerance_pct: Option<f64>,
}

/// The drug a benzodiazepine taper is written in (`--benzo-taper-as`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum TaperAs {
    /// Keep the drug the person takes.
    Same,
    /// Switch to diazepam equivalents first (Ashton's method).
    Diazepam,
}

/// A range of fractions (0–1), from the shortest to the longest half-life... or the
/// other way round: `min` is always the smaller.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FractionRange {
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct KetamineSection {
    pub equivalence_table: EquivalenceTable,
    pub equivalence_table_name: &'static str,
    pub hold: HoldInfo,
    pub regimens: Vec<RegimenInfo>,
    /// Sum over regimens, in the named table.
    pub diazepam_equivalent_mg_per_day: f64,
    pub diazepam_threshold: evidence::Figure,
    pub above_diazepam_threshold: bool,
    pub lorazepam_equivalent_mg_per_day: f64,
    pub esketamine_trial_cap: evidence::Figure,
    pub above_esketamine_trial_cap: bool,
    /// ASAM 2025: a benzodiazepine taper usually no faster than this percentage every 2
    /// weeks. Each regimen's largest 14-day fall over the series is compared with it.
    pub benzo_taper_pace_cap: evidence::Figure,
    pub sessions: Vec<SessionInfo>,
    /// Present when `--benzo-taper` asked for a taper before the first session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub benzo_taper: Option<BenzoTaper>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct HoldInfo {
    /// "12h", "24h", "night-before" …
    pub rule: String,
    pub description: String,
    pub after_hours: u32,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RegimenInfo {
    pub drug: String,
    pub kind: crate::catalog::BenzoKind,
    pub dose_mg: f64,
    pub times: Vec<String>,
    pub daily_mg: f64,
    /// mg of this drug ≈ 10 mg diazepam, in the named table.
    pub equivalent_to_10mg_diazepam: f64,
    pub equivalence_source: String,
    pub equivalence_evidence: Evidence,
    pub diazepam_equivalent_mg_per_day: f64,
    pub half_life_hours_min: f64,
    pub half_life_hours_max: f64,
    /// "parent drug" or the active metabolite whose half-life governs.
    pub half_life_of: String,
    pub half_life_source: String,
    pub half_life_evidence: Evidence,
    pub long_acting: bool,
    /// The level over the whole series with the held doses removed; absent when no
    /// dose of this regimen is held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series_level: Option<SeriesLevel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SessionInfo {
    /// 1, 2 … in date order.
    pub session: usize,
    pub at: DateTime,
    pub hold_from: DateTime,
    pub hold_to: DateTime,
    pub held_doses: Vec<HeldDose>,
    pub benzos: Vec<SessionBenzo>,
    /// Over all regimens: the least and most of any drug's level left at session time.
    pub remaining_fraction: Option<FractionRange>,
    pub flags: Vec<Code>,
}

/// A scheduled dose inside a hold window.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct HeldDose {
    pub drug: String,
    pub at: DateTime,
    pub dose_mg: f64,
    pub action: &'static str,
}

/// The wording of every held dose: a flag for the prescriber, never an instruction.
pub const HOLD_ACTION: &str = "hold — confirm with prescriber";

/// What holding achieves for one drug at one session.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SessionBenzo {
    pub drug: String,
    /// The last scheduled dose before the window, the one the level falls from.
    pub last_dose_before_hold: DateTime,
    pub hours_since_last_dose: f64,
    /// 0.5^(hours / t½) over the half-life range: the fraction of the level at the last
    /// dose still present at session time.
    pub remaining_fraction: FractionRange,
}

/// `taper ketamine`: the sessions and hold windows without an antidepressant taper.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct KetamineReport {
    pub schema_version: u32,
    pub tool: Tool,
    pub notice: &'static str,
    pub start_date: Date,
    pub ketamine: KetamineSection,
    pub warnings: Vec<Warning>,
}

impl KetamineReport {
    pub fn build(request: &KetamineRequest, benzos: &BenzoCatalog, start: Date) -> Result<Self> {
        let (ketamine, mut warnings) = build(request, benzos, start, None)?;
        crate::model::most_severe_first(&mut warnings);
        Ok(KetamineReport {
            schema_version: crate::model::SCHEMA_VERSION,
            tool: Tool::this(),
            notice: crate::model::REVIEW_NOTICE,
            start_date: start,
            ketamine,
            warnings,
        })
    }
}

/// The days an antidepressant taper changes the dose: each step's first day, or with
/// daily rows each day whose dose differs from the day before. Sessions on those days
/// are flagged.
pub fn change_days(steps: &[crate::model::Step], daily: Option<&[DailyRowDose]>) -> Vec<Date> {
    match daily {
        Some(days) => days
            .windows(2)
            .filter(|w| w[1].1 != w[0].1)
            .map(|w| w[1].0)
            .collect(),
        None => steps.iter().skip(1).map(|s| s.start_date).collect(),
    }
}

/// A day of a daily plan: its date and dose (mg).
pub type DailyRowDose = (Date, f64);

/// Builds the ketamine section. `plan_start` is the first day of the plan (sessions
/// before it are refused); `change_days`, the days an antidepressant taper changes the
/// dose, lets sessions on those days be flagged.
pub fn build(
    request: &KetamineRequest,
    benzos: &BenzoCatalog,
    plan_start: Date,
    change_days: Option<&[Date]>,
) -> Result<(KetamineSection, Vec<Warning>)> {
    let evidence = KetamineEvidence::embedded()?;
    let mut sessions = request.sessions.clone();
    sessions.sort();
    check_sessions(&sessions, plan_start, !request.regimens.is_empty())?;

    let mut regimens = Vec::new();
    for regimen in &request.regimens {
        regimens.push(regimen_info(regimen, benzos, request.equivalence)?);
    }
    let dz_per_day: f64 = regimens
        .iter()
        .map(|r| r.diazepam_equivalent_mg_per_day)
        .sum();
    let lorazepam = benzos.find("lorazepam")?;
    let lorazepam_per_10mg_dz = lorazepam
        .equivalence(request.equivalence)
        .map(|e| e.mg)
        .ok_or_else(|| {
            Error::Runtime("the catalog has no lorazepam equivalence for this table".into())
        })?;
    let lz_per_day = dz_per_day * lorazepam_per_10mg_dz / 10.0;

    let mut infos = Vec::with_capacity(sessions.len());
    let mut windows: Vec<(DateTime, DateTime)> = Vec::with_capacity(sessions.len());
    let mut held_total = 0usize;
    for (i, at) in sessions.iter().enumerate() {
        let (hold_from, hold_to) = hold_window(*at, request.hold, request.after_hours)?;
        let mut info = SessionInfo {
            session: i + 1,
            at: *at,
            hold_from,
            hold_to,
            held_doses: Vec::new(),
            benzos: Vec::new(),
            remaining_fraction: None,
            flags: Vec::new(),
        };
        for (regimen, regimen_info) in request.regimens.iter().zip(&regimens) {
            info.held_doses.extend(
                window::doses_between(&regimen.times, hold_from, hold_to)?
                    .into_iter()
                    .map(|at| HeldDose {
                        drug: regimen_info.drug.clone(),
                        at,
                        dose_mg: regimen.dose_mg,
                        action: HOLD_ACTION,
                    }),
            );
            let last = window::last_dose_taken_before(
                &regimen.times,
                hold_from,
                window::still_open(&windows, hold_from),
            )?;
            let hours = at.duration_since(last).as_secs_f64() / 3600.0;
            let remaining = FractionRange {
                min: 0.5f64.powf(hours / regimen_info.half_life_hours_min),
                max: 0.5f64.powf(hours / regimen_info.half_life_hours_max),
            };
            info.benzos.push(SessionBenzo {
                drug: regimen_info.drug.clone(),
                last_dose_before_hold: last,
                hours_since_last_dose: hours,
                remaining_fraction: FractionRange {
                    min: remaining.min.min(remaining.max),
                    max: remaining.min.max(remaining.max),
                },
            });
        }
        held_total += info.held_doses.len();
        if held_total > crate::limits::MAX_HELD_DOSES {
            return Err(crate::limits::over(
                "benzo_hold",
                format!(
                    "the hold windows of these sessions take in more than {} scheduled benzodiazepine doses, more than taper lists in one plan; give fewer sessions, dose times or a shorter --benzo-hold",
                    crate::limits::MAX_HELD_DOSES
                ),
            ));
        }
        info.held_doses
            .sort_by(|a, b| a.at.cmp(&b.at).then(a.drug.cmp(&b.drug)));
        info.remaining_fraction =
            info.benzos
                .iter()
                .map(|b| b.remaining_fraction)
                .reduce(|a, b| FractionRange {
                    min: a.min.min(b.min),
                    max: a.max.max(b.max),
                });
        if !info.held_doses.is_empty() {
            info.flags.push(Code::HeldDoses);
        }
        windows.push((hold_from, hold_to));
        infos.push(info);
    }

    let cap = evidence.benzo_taper.cap_percent_per_two_weeks;
    if let Some(last) = sessions.last() {
        for (regimen, info) in request.regimens.iter().zip(&mut regimens) {
            info.series_level = exposure::series_level(
                &regimen.times,
                &windows,
                *last,
                (info.half_life_hours_min, info.half_life_hours_max),
                cap,
            )?;
        }
    }
    let section = KetamineSection {
        equivalence_table: request.equivalence,
        equivalence_table_name: request.equivalence.label(),
        hold: window::describe(request.hold, request.after_hours, evidence),
        diazepam_equivalent_mg_per_day: dz_per_day,
        above_diazepam_threshold: dz_per_day > evidence.diazepam_threshold.value,
        diazepam_threshold: evidence.diazepam_threshold.clone(),
        lorazepam_equivalent_mg_per_day: lz_per_day,
        above_esketamine_trial_cap: lz_per_day > evidence.esketamine_trial_cap.value,
        esketamine_trial_cap: evidence.esketamine_trial_cap.clone(),
        benzo_taper_pace_cap: evidence::Figure {
            value: cap,
            source: evidence.benzo_taper.pace_source.clone(),
            evidence: evidence.benzo_taper.pace_evidence,
        },
        regimens,
        sessions: infos,
        benzo_taper: None,
    };
    let mut section = section;
    let mut warnings = notes::warnings(&mut section, change_days);
    if let Some(taper_request) = request.benzo_taper {
        let [regimen] = &section.regimens[..] else {
            return Err(Error::input(
                "--benzo-taper plans one drug; give exactly one --benzo with it",
            ));
        };
        let first = section.sessions[0].at.date();
        let products = taper_products(request, benzos, &regimen.drug)?;
        let (taper, taper_warnings) = benzo_taper::plan(
            taper_request,
            regimen,
            &evidence.benzo_taper,
            first,
            plan_start,
            &products,
        )?;
        if taper.feasible {
            // With the taper, nothing is left to hold at the sessions: the danger of
            // holding doses of the current regimen applies only if the taper is not
            // used, which the note says, instead of a headline against the plan chosen.
            let held_danger = warnings
                .iter()
                .any(|w| w.code == Code::BenzoSeriesLevelFall);
            warnings.retain(|w| w.code != Code::BenzoSeriesLevelFall);
            for s in &mut section.sessions {
                s.flags.retain(|c| *c != Code::BenzoSeriesLevelFall);
            }
            let unless = match held_danger {
                true => {
                    " If the taper is not used, holding those doses takes the level down faster than ASAM 2025 allows for a taper (see the level over the series): the taper, or a shorter hold, is then needed."
                }
                false => "",
            };
            warnings.push(Warning::plan_wide(
                Code::BenzoTaperAndHolds,
                format!(
                    "With the {} taper above, the last dose falls on {}, before the first session; the held doses and levels listed for the sessions assume the current regimen continues, as it would if the taper is not used.{unless}",
                    taper.drug, taper.last_dose_date
                ),
            ));
        }
        section.benzo_taper = Some(taper);
        warnings.extend(taper_warnings);
    }
    Ok((section, warnings))
}

/// The products a benzodiazepine taper may use: the drug's and diazepam's in the
/// request's market, with the rounding tolerance.
fn taper_products(
    request: &KetamineRequest,
    benzos: &BenzoCatalog,
    drug: &str,
) -> Result<TaperProducts> {
    let (market, market_from) = request
        .benzo_market
        .unwrap_or((crate::catalog::Market::Us, "default"));
    let tolerance_pct = match request.benzo_tolerance_pct {
        Some(pct) => pct,
        None => {
            crate::guardrails::Guardrails::embedded()?
                .rounding_tolerance
                .default_pct
        }
    };
    Ok(TaperProducts {
        market,
        market_from,
        tolerance_pct,
        drug: benzos.find(drug)?.products.clone(),
        diazepam: benzos
            .find("diazepam")
            .map(|d| d.products.clone())
            .unwrap_or_default(),
    })
}

fn regimen_info(
    regimen: &BenzoRegimen,
    benzos: &BenzoCatalog,
    table: EquivalenceTable,
) -> Result<RegimenInfo> {
    // Midazolam is left out of the catalog on purpose; a --benzo-file may add it.
    let entry = match benzos.find(&regimen.drug) {
        Err(_) if regimen.drug.trim().eq_ignore_ascii_case("midazolam") => {
            return Err(Error::input(
                "midazolam has no reliable oral diazepam equivalent, so taper does not carry one; give your own figures for it in a file with --benzo-file (format: schedules/benzodiazepines/README.md)",
            ));
        }
        found => found?,
    };
    if !(regimen.dose_mg.is_finite() && regimen.dose_mg > 0.0) {
        return Err(Error::input(format!(
            "--benzo-dose for {} must be more than 0 mg",
            entry.name
        )));
    }
    if regimen.times.is_empty() {
        return Err(Error::input(format!(
            "--benzo-times for {} needs at least one time, like 08:00",
            entry.name
        )));
    }
    let eq = entry.equivalence(table).ok_or_else(|| {
        Error::input(format!(
            "the {} table gives no diazepam equivalent for {}; use --equivalence ashton",
            table.label(),
            entry.name
        ))
    })?;
    let daily_mg = regimen.dose_mg * regimen.times.len() as f64;
    let half_life = entry.effective_half_life();
    Ok(RegimenInfo {
        drug: entry.name.clone(),
        kind: entry.kind,
        dose_mg: regimen.dose_mg,
        times: regimen
            .times
            .iter()
            .map(|t| t.strftime("%H:%M").to_string())
            .collect(),
        daily_mg,
        equivalent_to_10mg_diazepam: eq.mg,
        equivalence_source: eq.source.clone(),
        equivalence_evidence: eq.evidence,
        diazepam_equivalent_mg_per_day: daily_mg * 10.0 / eq.mg,
        half_life_hours_min: half_life.hours_min,
        half_life_hours_max: half_life.hours_max,
        half_life_of: half_life
            .description
            .clone()
            .unwrap_or_else(|| "parent drug".into()),
        half_life_source: half_life.source.clone(),
        half_life_evidence: half_life.evidence,
        long_acting: entry.is_long_acting(),
        series_level: None,
    })
}

/// Sessions must fall on or after the plan's first day, one a day at most, and a
/// benzodiazepine regimen needs at least one session to hold it for.
fn check_sessions(sessions: &[DateTime], plan_start: Date, have_regimens: bool) -> Result<()> {
    if sessions.is_empty() && have_regimens {
        return Err(Error::input(
            "--benzo needs at least one ketamine session (--ketamine 2027-02-03T10:00 or --ketamine-series) to lay out the hold window",
        ));
    }
    if let Some(first) = sessions.first()
        && first.date() < plan_start
    {
        return Err(Error::input(format!(
            "the ketamine session at {} is before the plan starts ({plan_start}); give sessions on or after --start",
            fmt_datetime(*first)
        )));
    }
    for pair in sessions.windows(2) {
        if pair[0].date() == pair[1].date() {
            return Err(Error::input(format!(
                "two ketamine sessions on {} ({} and {}) overlap; give one session a day",
                pair[0].date(),
                pair[0].time().strftime("%H:%M"),
                pair[1].time().strftime("%H:%M")
            )));
        }
    }
    Ok(())
}
