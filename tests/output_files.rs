//! `-o FILE` with a kind of file taper does not write (issue 14): `-o plan.pdf` used to
//! write the text table into plan.pdf and exit 0. It is refused (exit 2, nothing
//! written) with the command that makes the file, unless `--format` says what to write.

mod common;
use common::{FIXED_PLAN, assert_refused, taper};

#[test]
fn a_pdf_is_refused_with_the_command_that_prints_one() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("plan.pdf");
    let html = dir.path().join("plan.html");
    let args = [FIXED_PLAN, &["-o", pdf.to_str().unwrap()]].concat();
    let command = format!(
        "-o {}: taper does not write PDF; write the printable page with -o {}, then print it with: chromium --headless --no-pdf-header-footer --print-to-pdf={} {}",
        pdf.display(),
        html.display(),
        pdf.display(),
        html.display()
    );
    assert_refused(&args, &command);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn spreadsheets_and_documents_name_the_format_to_open_instead() {
    for (file, fix) in [
        ("plan.xlsx", "write CSV with -o plan.csv"),
        ("plan.ods", "write CSV with -o plan.csv"),
        ("plan.docx", "-o plan.html"),
    ] {
        assert_refused(&[FIXED_PLAN, &["-o", file]].concat(), fix);
        assert_refused(&["drugs", "-o", file], fix);
    }
}

#[test]
fn an_explicit_format_or_an_ordinary_name_still_writes() {
    let dir = tempfile::tempdir().unwrap();
    for (name, format) in [("table.pdf", Some("table")), ("plan.txt", None)] {
        let path = dir.path().join(name);
        let mut cmd = taper();
        cmd.args(FIXED_PLAN).arg("-o").arg(&path);
        cmd.args(format.map(|f| ["--format", f]).iter().flatten());
        cmd.assert().success();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("Taper plan: citalopram"), "{name}");
    }
}
