//! Writing output: stdout, or a file written atomically (a temporary file in the same
//! directory, renamed over the target), so a failure never leaves half a plan behind.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Writes `text` to `target`: `None` or `-` is stdout, anything else a file path.
pub fn write_output(target: Option<&Path>, text: &str) -> Result<()> {
    match target {
        None => write_stdout(text),
        Some(path) if path.as_os_str() == "-" => write_stdout(text),
        Some(path) => write_atomically(path, text),
    }
}

fn write_stdout(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        // A closed pipe (`taper plan … | head`) is the reader's choice, not a failure.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(Error::Write {
            path: "standard output".into(),
            source,
        }),
    }
}

fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let wrap = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".taper-")
        .tempfile_in(dir)
        .map_err(wrap)?;
    temp.write_all(text.as_bytes()).map_err(wrap)?;
    temp.as_file().sync_all().map_err(wrap)?;
    temp.persist(path).map_err(|err| wrap(err.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_file_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("plan.csv");
        write_output(Some(&target), "a,b\n1,2\n").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "a,b\n1,2\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_directory_is_a_write_error() {
        let err = write_output(Some(Path::new("/nonexistent-dir/plan.csv")), "x").unwrap_err();
        assert_eq!(err.exit_code(), 1);
        assert!(
            err.to_string().contains("/nonexistent-dir/plan.csv"),
            "{err}"
        );
    }
}
