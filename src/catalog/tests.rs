use super::*;

#[test]
fn a_file_error_names_the_problem_without_the_files_values() {
    let message =
        without_values("unknown variant `hunter2\u{1b}`, expected one of `verified`, `secondary`");
    assert_eq!(
        message,
        "unknown variant `…`, expected one of `verified`, `secondary`"
    );
    assert_eq!(
        without_values("invalid type: string \"root:x:0:0\", expected f64"),
        "invalid type: string \"…\", expected f64"
    );
    assert_eq!(
        without_values("unknown field `emax`, expected `emax_pct`"),
        "unknown field `emax`, expected `emax_pct`"
    );
    assert_eq!(
        without_values("unknown field `root:x:0:0`"),
        "unknown field `…`"
    );
}

#[test]
fn every_embedded_file_parses_and_validates() {
    let catalog = Catalog::embedded().unwrap();
    assert_eq!(catalog.drugs().len(), embedded::FILES.len());
    let benzos = BenzoCatalog::embedded_benzos().unwrap();
    assert_eq!(benzos.entries().len(), embedded::BENZO_FILES.len());
}

#[test]
fn every_schedules_file_is_embedded() {
    let root = env!("CARGO_MANIFEST_DIR");
    for (dir, listed) in [
        ("schedules", embedded::FILES),
        ("schedules/benzodiazepines", embedded::BENZO_FILES),
    ] {
        for file in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
            let name = file.unwrap().file_name().into_string().unwrap();
            // ketamine.toml, guardrails.toml, handout.toml (the handout's
            // advice) and syringes.toml (oral syringe scales) are embedded by
            // their own modules, not as drugs.
            if name.ends_with(".toml")
                && !matches!(
                    name.as_str(),
                    "ketamine.toml" | "guardrails.toml" | "handout.toml" | "syringes.toml"
                )
            {
                assert!(
                    listed.iter().any(|(f, _)| *f == name),
                    "{dir}/{name} is not listed in src/catalog/embedded.rs"
                );
            }
        }
    }
}

#[test]
fn benzodiazepines_match_the_reference_table() {
    // Ashton Manual half-lives (t½ governing min, max) and equivalents; VA/DoD 2021
    // equivalents via ASAM 2025 Table 7.
    let rows: [(&str, f64, f64, f64, Option<f64>); 15] = [
        ("alprazolam", 6.0, 12.0, 0.5, Some(1.0)),
        ("lorazepam", 10.0, 20.0, 1.0, Some(2.0)),
        ("clonazepam", 18.0, 50.0, 0.5, Some(1.0)),
        ("diazepam", 36.0, 200.0, 10.0, Some(10.0)),
        ("temazepam", 8.0, 22.0, 20.0, Some(15.0)),
        ("oxazepam", 4.0, 15.0, 20.0, Some(30.0)),
        ("chlordiazepoxide", 36.0, 200.0, 25.0, Some(25.0)),
        ("clobazam", 12.0, 60.0, 20.0, None),
        ("clorazepate", 36.0, 200.0, 15.0, Some(15.0)),
        ("triazolam", 2.0, 2.0, 0.5, Some(0.25)),
        ("nitrazepam", 15.0, 38.0, 10.0, None),
        ("zolpidem", 2.0, 2.0, 20.0, None),
        ("zopiclone", 5.0, 6.0, 15.0, None),
        ("eszopiclone", 6.0, 9.0, 3.0, None),
        ("zaleplon", 2.0, 2.0, 20.0, None),
    ];
    let benzos = BenzoCatalog::embedded_benzos().unwrap();
    for (name, lo, hi, ashton, va) in rows {
        let b = benzos.find(name).unwrap();
        let h = b.effective_half_life();
        assert_eq!((h.hours_min, h.hours_max), (lo, hi), "{name}");
        assert_eq!(
            b.equivalence(EquivalenceTable::Ashton).map(|e| e.mg),
            Some(ashton),
            "{name}"
        );
        assert_eq!(
            b.equivalence(EquivalenceTable::VaDod).map(|e| e.mg),
            va,
            "{name}"
        );
    }
    // §4's long-acting list, reproduced by the half-life midpoint rule.
    let long: Vec<&str> = benzos
        .entries()
        .iter()
        .filter(|b| b.is_long_acting())
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(
        long,
        [
            "chlordiazepoxide",
            "clobazam",
            "clonazepam",
            "clorazepate",
            "diazepam",
            "nitrazepam"
        ]
    );
}

#[test]
fn the_reference_table_has_nine_drugs() {
    let names: Vec<_> = Catalog::embedded()
        .unwrap()
        .drugs()
        .iter()
        .map(|d| d.name.clone())
        .collect();
    assert_eq!(
        names,
        [
            "citalopram",
            "desvenlafaxine",
            "duloxetine",
            "escitalopram",
            "fluoxetine",
            "paroxetine",
            "sertraline",
            "venlafaxine",
            "vortioxetine"
        ]
    );
}

#[test]
fn lookup_names_stay_in_step_with_the_entries() {
    // `find` looks names up in this index; an empty or stale index would send every
    // request through the slow suggestion path (or find a replaced entry's brand).
    let mut catalog = Catalog::embedded().unwrap();
    let in_step = |c: &Catalog| {
        c.names.len() == c.entries.len()
            && c.entries.iter().zip(&c.names).all(|(e, n)| e.names() == *n)
    };
    assert!(in_step(&catalog));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("citalopram.toml");
    let text = embedded::FILES
        .iter()
        .find(|(name, _)| *name == "citalopram.toml")
        .unwrap()
        .1
        .replace("brand_names = [", "brand_names = [\"Zitalo\", ");
    std::fs::write(&path, text).unwrap();
    catalog.add_drug_file(&path).unwrap();
    assert!(in_step(&catalog));
    assert_eq!(catalog.find("ZITALO").unwrap().name, "citalopram");
}

#[test]
fn finds_by_brand_and_case() {
    let catalog = Catalog::embedded().unwrap();
    assert_eq!(catalog.find("CELEXA").unwrap().name, "citalopram");
    assert_eq!(catalog.find(" Citalopram ").unwrap().name, "citalopram");
}

#[test]
fn suggests_the_nearest_name() {
    let err = Catalog::embedded()
        .unwrap()
        .find("citalopran")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "unknown drug \"citalopran\"; did you mean \"citalopram\"?"
    );
    let far = Catalog::embedded()
        .unwrap()
        .find("aspirin")
        .unwrap_err()
        .to_string();
    assert!(far.contains("taper drugs"), "{far}");
}

#[test]
fn region_lookup_lists_regions_on_error() {
    let catalog = Catalog::embedded().unwrap();
    let drug = catalog.find("escitalopram").unwrap();
    assert_eq!(
        drug.curve(Some("Dorsal-Raphe_nucleus")).unwrap().region,
        "dorsal raphe nucleus"
    );
    let err = drug.curve(Some("cortex")).unwrap_err();
    assert!(
        err.contains("\"caudate\"") && err.contains("\"thalamus\""),
        "{err}"
    );
}

#[test]
fn curves_match_the_reference_table() {
    // Every fit of Sørensen, Ruhé & Munkholm 2022 as transcribed by the
    // Antidepressant Hyperbolic Calculator (components/SimpleChart.tsx).
    let rows = [
        ("citalopram", "striatum", 83.98, 2.33),
        ("desvenlafaxine", "amygdala", 106.43, 11.57),
        ("desvenlafaxine", "midbrain", 99.46, 10.92),
        ("desvenlafaxine", "striatum", 100.22, 16.11),
        ("desvenlafaxine", "thalamus", 100.11, 21.17),
        ("duloxetine", "thalamus", 90.75, 6.27),
        ("escitalopram", "caudate", 75.35, 0.66),
        ("escitalopram", "dorsal raphe nucleus", 89.57, 2.72),
        ("escitalopram", "putamen", 69.32, 1.22),
        ("escitalopram", "thalamus", 78.67, 2.10),
        ("fluoxetine", "striatum", 86.12, 1.89),
        ("paroxetine", "striatum", 97.14, 5.60),
        ("sertraline", "striatum", 92.01, 7.72),
        ("venlafaxine", "striatum", 90.07, 5.80),
        ("vortioxetine", "raphe nuclei", 102.24, 4.68),
    ];
    let catalog = Catalog::embedded().unwrap();
    let total: usize = catalog.drugs().iter().map(|d| d.curves.len()).sum();
    assert_eq!(total, rows.len());
    for (drug, region, emax, ed50) in rows {
        let curve = catalog.find(drug).unwrap().curve(Some(region)).unwrap();
        assert_eq!(
            (curve.emax_pct, curve.ed50_mg, curve.hill),
            (emax, ed50, 1.0),
            "{drug} {region}"
        );
        assert_eq!(curve.evidence, Evidence::Secondary, "{drug} {region}");
    }
}
