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
        Some(path) => write_to_path(path, text),
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

/// A regular file (or a new path) is replaced atomically; anything else that exists
/// (a device such as /dev/null, a FIFO, a process substitution) is written into
/// directly, never replaced. A symbolic link is followed, so its target is written.
fn write_to_path(path: &Path, text: &str) -> Result<()> {
    let wrap = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let target = match std::fs::canonicalize(path) {
        Ok(resolved) => resolved,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => path.to_path_buf(),
        Err(err) => return Err(wrap(err)),
    };
    match std::fs::metadata(&target) {
        Ok(meta) if !meta.is_file() => {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(&target)
                .map_err(wrap)?;
            file.write_all(text.as_bytes())
                .and_then(|()| file.flush())
                .map_err(wrap)
        }
        Ok(meta) => write_atomically(&target, text, Some(meta.permissions())).map_err(wrap),
        Err(_) => write_atomically(&target, text, None).map_err(wrap),
    }
}

/// Temporary file beside the target, flushed to disk, then renamed over it. The new
/// file keeps the old one's permissions, or gets the usual 0666 less the umask.
fn write_atomically(
    target: &Path,
    text: &str,
    permissions: Option<std::fs::Permissions>,
) -> std::io::Result<()> {
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".taper-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    // The temporary file's own path means nothing to the user: keep only the reason.
    let plain = |err: std::io::Error| std::io::Error::new(err.kind(), err.kind().to_string());
    let mut temp = builder.tempfile_in(dir).map_err(plain)?;
    temp.write_all(text.as_bytes())?;
    if let Some(permissions) = permissions {
        temp.as_file().set_permissions(permissions)?;
    }
    temp.as_file().sync_all()?;
    temp.persist(target).map_err(|err| err.error)?;
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

    #[cfg(unix)]
    #[test]
    fn keeps_permissions_and_follows_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_output(Some(&link), "new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert_eq!(
            std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[cfg(unix)]
    #[test]
    fn writes_into_devices_without_replacing_them() {
        write_output(Some(Path::new("/dev/null")), "plan").unwrap();
        assert!(!std::fs::metadata("/dev/null").unwrap().is_file());
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
