//! Data for the inspection commands: `taper curve` (dose ↔ occupancy over the usual
//! dose range). Computed here so the renderers only format it.

use crate::catalog::{DrugEntry, UsualDose};
use crate::curve::EmaxCurve;
use crate::error::Result;
use crate::plan::CurveInfo;
use serde::Serialize;

/// One point of a curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub dose_mg: f64,
    pub occupancy_pct: f64,
}

/// `taper curve DRUG`: occupancy at round doses up to the usual maximum, and the dose
/// for each multiple of 10% occupancy the curve can reach.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurveTable {
    pub schema_version: u32,
    pub drug: String,
    /// Where the drug entry came from: "built-in catalog" or the drug file.
    pub catalog: crate::model::DrugOrigin,
    pub curve: CurveInfo,
    pub usual_dose: UsualDose,
    pub points: Vec<Point>,
    pub targets: Vec<Point>,
    pub notice: &'static str,
}

pub fn curve_table(
    entry: &DrugEntry,
    region: Option<&str>,
    origin: &crate::model::DrugOrigin,
) -> Result<CurveTable> {
    let (curve, info) = crate::ideal::catalog_curve(entry, region)?;
    let usual = &entry.usual_dose;
    let mut doses: Vec<f64> = (-2..=3)
        .flat_map(|exp| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(exp)))
        .filter(|d| *d < usual.max_mg)
        .chain([usual.min_mg, usual.max_mg])
        .collect();
    doses.sort_by(f64::total_cmp);
    doses.dedup();
    let points = doses
        .into_iter()
        .map(|d| point_at_dose(&curve, d))
        .collect::<Result<_>>()?;
    let targets = (1..)
        .map(|k| f64::from(k) * 10.0)
        .take_while(|occ| *occ < curve.emax_pct())
        .map(|occ| {
            Ok(Point {
                dose_mg: curve.dose_for(occ)?,
                occupancy_pct: occ,
            })
        })
        .collect::<Result<_>>()?;
    Ok(CurveTable {
        schema_version: crate::model::SCHEMA_VERSION,
        drug: entry.name.clone(),
        catalog: origin.clone(),
        curve: info,
        usual_dose: usual.clone(),
        points,
        targets,
        notice: crate::model::REVIEW_NOTICE,
    })
}

fn point_at_dose(curve: &EmaxCurve, dose_mg: f64) -> Result<Point> {
    Ok(Point {
        dose_mg,
        occupancy_pct: curve.occupancy(dose_mg)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn citalopram_table_spans_the_usual_range() {
        let catalog = Catalog::embedded().unwrap();
        let table = curve_table(
            catalog.find("citalopram").unwrap(),
            None,
            &crate::model::DrugOrigin::BuiltIn,
        )
        .unwrap();
        let doses: Vec<f64> = table.points.iter().map(|p| p.dose_mg).collect();
        assert_eq!(
            doses,
            [
                0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 40.0
            ]
        );
        assert_eq!(table.targets.len(), 8); // 10 … 80 %, all below Emax 83.98
        assert!((table.points[10].occupancy_pct - 75.22).abs() < 0.005);
    }
}
