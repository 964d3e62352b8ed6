//! Numbers, dates and text in reason (issue 15, items 5 and 6): figures outside
//! documented ranges are refused before use, so no `inf`, `NaN` or `null` reaches an
//! output; calendars fold at 75 octets; files with control characters are refused
//! without being echoed.

mod common;
use common::taper;

fn refused(request: serde_json::Value) -> String {
    let out = taper()
        .args(["plan", "--request", "-", "--format", "json"])
        .write_stdin(request.to_string())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{request}: {err}");
    err
}

#[test]
fn doses_outside_a_nanogram_to_100_g_are_refused_after_unit_conversion() {
    for from in [
        serde_json::json!(1e308),
        serde_json::json!(1e-300),
        serde_json::json!("0.0000000001mcg"),
    ] {
        let err = refused(serde_json::json!({"drug": "citalopram", "from": from}));
        assert!(err.contains("outside what taper accepts"), "{err}");
    }
    let err = refused(serde_json::json!({
        "drug": "citalopram", "from": "20mg", "start": "2027-01-04",
        "benzo": ["lorazepam"], "benzo_dose": [1e300], "benzo_times": ["08:00"],
        "ketamine": ["2027-02-03T10:00"],
    }));
    assert!(err.contains("benzo_dose"), "{err}");
}

#[test]
fn years_outside_1900_to_2200_are_refused() {
    for start in ["0000-01-01", "1899-12-31", "2201-01-01"] {
        let err =
            refused(serde_json::json!({"drug": "citalopram", "from": "20mg", "start": start}));
        assert!(err.contains("1900 to 2200"), "{err}");
    }
    let err = refused(serde_json::json!({
        "drug": "citalopram", "from": "20mg", "start": "2027-01-04", "ketamine": ["9999-02-03T10:00"],
    }));
    assert!(err.contains("1900 to 2200"), "{err}");
}

fn benzo_file(dir: &std::path::Path, equivalence: &str, extra: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string("schedules/benzodiazepines/lorazepam.toml").unwrap();
    let mut text = text
        .replace("name = \"lorazepam\"", "name = \"testazepam\"")
        .replace("brand_names = [\"Ativan\"]", "brand_names = []");
    // The first equivalence figure becomes the one under test.
    let at = text.find("\nmg = ").unwrap() + 1;
    let end = at + text[at..].find('\n').unwrap();
    text.replace_range(at..end, &format!("mg = {equivalence}{extra}"));
    let path = dir.join("testazepam.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn ketamine_with(file: &std::path::Path) -> std::process::Output {
    taper()
        .args([
            "ketamine",
            "--start",
            "2027-01-04",
            "--benzo",
            "testazepam",
            "--benzo-dose",
            "1mg",
        ])
        .args([
            "--benzo-times",
            "08:00",
            "--ketamine",
            "2027-02-03T10:00",
            "--format",
            "json",
        ])
        .arg("--benzo-file")
        .arg(file)
        .output()
        .unwrap()
}

#[test]
fn a_tiny_equivalence_is_refused_and_a_control_character_is_not_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let good = ketamine_with(&benzo_file(dir.path(), "1", ""));
    assert_eq!(
        good.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let out = ketamine_with(&benzo_file(dir.path(), "1e-308", ""));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("must be from 0.01 to 1000"), "{err}");
    let out = ketamine_with(&benzo_file(dir.path(), "1", "\nnote = \"a\\u001b[2Jb\""));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains("[2J"), "{err}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48)
    ))]
    /// RFC 5545 lines are at most 75 octets, over calendars of many shapes: drug names
    /// of several lengths in titles, daily plans, reminders, ketamine sessions and holds.
    #[test]
    fn calendar_lines_fit_in_75_octets(
        drug in proptest::sample::select(vec!["citalopram", "escitalopram", "desvenlafaxine", "Lexapro", "vortioxetine"]),
        steps in 1u32..12,
        every in 7u32..60,
        daily in proptest::bool::ANY,
        full in proptest::bool::ANY,
        remind in proptest::option::of(0u32..24),
        sessions in proptest::option::of(1u32..6),
        patient in "[A-Za-zé ]{0,90}",
    ) {
        let mut args: Vec<String> = ["plan", drug, "--from", "20mg", "--start", "2027-01-04", "--format", "ics"]
            .map(String::from).to_vec();
        args.extend(["--steps".into(), steps.to_string(), "--every".into(), format!("{every}d")]);
        if daily { args.push("--daily".into()); }
        if full { args.extend(["--ics-titles".into(), "full".into()]); }
        if let Some(h) = remind { args.extend(["--remind".into(), format!("{h:02}:00")]); }
        if let Some(n) = sessions {
            args.extend(["--ketamine-series".into(), format!("2027-02-03T10:00,{n},3d")]);
            args.extend(["--benzo", "clonazepam", "--benzo-dose", "0.5mg", "--benzo-times", "08:00,20:00"].map(String::from));
        }
        let _ = patient; // ICS shows no patient name; kept so other shapes can join later
        let out = taper().args(&args).output().unwrap();
        proptest::prop_assert!(out.status.code() == Some(0) || out.status.code() == Some(2), "{:?}", out);
        let text = String::from_utf8(out.stdout).unwrap();
        for line in text.split("\r\n") {
            proptest::prop_assert!(line.len() <= 75, "{} octets: {line}", line.len());
            proptest::prop_assert!(!line.contains(|c: char| c.is_control()), "{line:?}");
        }
    }
}

#[test]
fn strengths_and_concentrations_are_bounded_like_doses() {
    use common::assert_refused;
    let plan = ["plan", "citalopram", "--from", "20mg"];
    for (flag, value, shown) in [
        ("--tablets", "1e308", "1e308 mg"),
        ("--tablets", "1e-300", "1e-300 mg"),
        ("--tablets", "200000", "200000 mg"),
        ("--tablets", "inf", "inf mg"),
        ("--tablets", "nan", "NaN mg"),
        ("--capsule", "0.0000001", "1e-7 mg"),
    ] {
        assert_refused(
            &[&plan[..], &[flag, value]].concat(),
            &format!("{flag} has a strength of {shown}, outside what taper accepts"),
        );
    }
    for liquid in ["10mg/1e-300ml", "10mg/1e308ml", "1mg/1e7ml"] {
        assert_refused(
            &[&plan[..], &["--liquid", liquid]].concat(),
            &format!("--liquid {liquid} is "),
        );
    }
    // Found while checking the above: a tiny --bottle made 18446744073709551615 bottles.
    for bottle in ["1e-300ml", "0.5ml", "1e300ml"] {
        assert_refused(
            &[&plan[..], &["--liquid", "2mg/ml", "--bottle", bottle]].concat(),
            "--bottle is ",
        );
    }
    // A request names the field as it was written.
    let err =
        refused(serde_json::json!({"drug": "citalopram", "from": "20mg", "tablets": [10, 1e308]}));
    assert!(
        err.contains("\"tablets\" has a strength of 1e308 mg"),
        "{err}"
    );
    // Ordinary strengths and concentrations still plan.
    for products in [&["--tablets", "10,20"][..], &["--liquid", "10mg/5ml"]] {
        let out = taper().args(plan).args(products).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
