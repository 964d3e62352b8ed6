//! `-o` names a kind of file taper does not write (`plan.pdf`, `plan.xlsx`): refused,
//! with the command that makes it, rather than a text table written under that name.
//! Only file kinds a person could expect from a printout or a spreadsheet are refused;
//! any other name (`plan.txt`, `plan`) gets the table, as before.

use std::path::Path;

/// Refuses `-o PATH` when its extension is a document, spreadsheet or image format
/// taper does not write (and no `--format` was given: the caller checks that).
pub fn refuse(path: Option<&Path>) -> taper::Result<()> {
    let Some(path) = path else { return Ok(()) };
    let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
        return Ok(());
    };
    let named = |ext: &str| shell_word(&path.with_extension(ext).to_string_lossy());
    let given = named(ext);
    let how = match ext.to_ascii_lowercase().as_str() {
        "pdf" => format!(
            "taper does not write PDF; write the printable page with -o {html}, then print it with: chromium --headless --no-pdf-header-footer --print-to-pdf={given} {html}",
            html = named("html")
        ),
        "xlsx" | "xls" | "xlsm" | "ods" | "numbers" => format!(
            "taper does not write spreadsheets; write CSV with -o {} and open that in the spreadsheet program",
            named("csv")
        ),
        "docx" | "doc" | "odt" | "rtf" | "pages" => format!(
            "taper does not write word-processor files; write the printable page with -o {} (or Markdown with -o {}) and open that in the word processor",
            named("html"),
            named("md")
        ),
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg" | "tif" | "tiff" => format!(
            "taper does not write images; write the printable page with -o {}, whose chart is an SVG, and print or capture it from the browser",
            named("html")
        ),
        _ => return Ok(()),
    };
    Err(taper::Error::input(format!("-o {given}: {how}")))
}

/// `path` as one shell word: as it is when it is plain, else in single quotes.
fn shell_word(path: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "._-/+,:@%".contains(c);
    if !path.is_empty() && path.chars().all(plain) {
        path.to_string()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(path: &str) -> Option<String> {
        refuse(Some(Path::new(path))).err().map(|e| e.to_string())
    }

    #[test]
    fn documents_taper_does_not_write_are_refused_with_the_command_that_makes_them() {
        assert_eq!(
            message("out/plan.PDF").unwrap(),
            "-o out/plan.PDF: taper does not write PDF; write the printable page with -o out/plan.html, then print it with: chromium --headless --no-pdf-header-footer --print-to-pdf=out/plan.PDF out/plan.html"
        );
        assert!(
            message("plan.xlsx")
                .unwrap()
                .contains("write CSV with -o plan.csv")
        );
        assert!(message("plan.docx").unwrap().contains("-o plan.html"));
        assert!(message("chart.png").unwrap().contains("-o chart.html"));
        assert!(
            message("my plan.pdf")
                .unwrap()
                .contains("-o 'my plan.html'")
        );
    }

    #[test]
    fn other_names_still_get_the_table() {
        for path in ["plan.txt", "plan", "-", "plan.pdf.txt", ".pdf"] {
            assert_eq!(message(path), None, "{path}");
        }
        assert!(refuse(None).is_ok());
    }

    #[test]
    fn a_name_with_quotes_stays_one_shell_word() {
        assert_eq!(shell_word("it's.html"), r"'it'\''s.html'");
        assert_eq!(shell_word("a/b-c_1.html"), "a/b-c_1.html");
    }
}
