//! Writing output: stdout, or a file written atomically (a temporary file in the same
//! directory, renamed over the target), so a failure never leaves half a plan behind.

mod cleanup;

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `text` to `target`: `None` or `-` is stdout, anything else a file path.
pub fn write_output(target: Option<&Path>, text: &str) -> Result<()> {
    let mut out = Output::create(target)?;
    let path = out.path.clone();
    out.write_all(text.as_bytes())
        .map_err(|source| Error::Write { path, source })?;
    out.finish()
}

/// An output being written. A regular file (or a new path) is written to a temporary
/// file beside it and renamed over it by [`Output::finish`], so a failure never leaves
/// half a plan behind; it keeps the old file's permissions, or gets 0666 less the umask.
/// Anything else that exists (a device such as /dev/null, a FIFO, a process
/// substitution) is written into directly, never replaced; a symbolic link is followed.
pub struct Output {
    /// The target as named to the user, for error messages.
    pub path: PathBuf,
    sink: Sink,
    /// Standard output's reader went away (`| head`); later writes were dropped.
    reader_gone: bool,
}

enum Sink {
    Stdout(std::io::Stdout),
    Direct(std::fs::File),
    Temp {
        file: tempfile::NamedTempFile,
        target: PathBuf,
        permissions: Option<std::fs::Permissions>,
        /// Removes the temporary file if a signal ends the process first.
        _guard: cleanup::Guard,
    },
}

/// Refuses a path whose last component is (or leads through) a symbolic link that the
/// kernel's `fs.protected_symlinks` rule would not follow: a link in a sticky,
/// world-writable folder (like /tmp) owned neither by us nor by the folder's owner. This
/// is where another user plants a link to make a privileged process overwrite a file
/// of theirs choosing. taper applies the rule even where the sysctl is off.
fn refuse_where_the_shell_would(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let me = effective_uid();
        let mut at = path.to_path_buf();
        for _ in 0..40 {
            let Ok(link) = std::fs::symlink_metadata(&at) else {
                return Ok(());
            };
            if !link.file_type().is_symlink() {
                return Ok(());
            }
            let dir = match at.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
                _ => PathBuf::from("."),
            };
            if let Ok(folder) = std::fs::metadata(&dir) {
                let shared = folder.mode() & 0o1002 == 0o1002;
                if shared && Some(link.uid()) != me && link.uid() != folder.uid() {
                    return Err(std::io::Error::other(format!(
                        "it is a link another user made in the shared folder {}, which the system's protected-links rule does not follow; write to a path of your own",
                        dir.display()
                    )));
                }
            }
            match std::fs::read_link(&at) {
                Ok(target) if target.is_absolute() => at = target,
                Ok(target) => at = dir.join(target),
                Err(_) => return Ok(()),
            }
        }
    }
    Ok(())
}

/// The process's effective user id, from /proc (no libc crate); `None` where unknown,
/// which treats every link in a shared folder as another user's.
#[cfg(unix)]
fn effective_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// Where a path that does not exist yet should be written: the path itself, or, for a
/// symbolic link whose target does not exist yet, that target (so the link is kept and
/// followed, as for an existing file, not replaced by a regular file).
fn dangling_target(path: &Path) -> PathBuf {
    let mut at = path.to_path_buf();
    // A bounded walk: a loop of links ends as the path itself.
    for _ in 0..40 {
        let is_link = std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            return at;
        }
        match std::fs::read_link(&at) {
            Ok(target) if target.is_absolute() => at = target,
            Ok(target) => at = at.parent().unwrap_or(Path::new("")).join(target),
            Err(_) => return at,
        }
    }
    path.to_path_buf()
}

impl Output {
    /// `None` or `-` is stdout.
    pub fn create(target: Option<&Path>) -> Result<Output> {
        let path = match target {
            Some(path) if path.as_os_str() != "-" => path,
            _ => {
                return Ok(Output {
                    path: "standard output".into(),
                    sink: Sink::Stdout(std::io::stdout()),
                    reader_gone: false,
                });
            }
        };
        let wrap = |source| Error::Write {
            path: path.to_path_buf(),
            source,
        };
        refuse_where_the_shell_would(path).map_err(wrap)?;
        let resolved = match std::fs::canonicalize(path) {
            Ok(resolved) => resolved,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => dangling_target(path),
            Err(err) => return Err(wrap(err)),
        };
        let sink = match std::fs::metadata(&resolved) {
            Ok(meta) if !meta.is_file() => Sink::Direct(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&resolved)
                    .map_err(wrap)?,
            ),
            existing => {
                if existing.is_ok() {
                    // The shell's `>` opens the file for writing: where the system would
                    // refuse that (a read-only file, another user's file), so do we,
                    // although a rename would get round it. Opening without truncating
                    // changes nothing.
                    std::fs::OpenOptions::new()
                        .write(true)
                        .open(path)
                        .map_err(wrap)?;
                }
                let file = temp_beside(&resolved).map_err(wrap)?;
                let guard = cleanup::register(file.path());
                Sink::Temp {
                    file,
                    target: resolved,
                    permissions: existing.ok().map(|m| m.permissions()),
                    _guard: guard,
                }
            }
        };
        Ok(Output {
            path: path.to_path_buf(),
            sink,
            reader_gone: false,
        })
    }

    /// Whether standard output's reader closed it (`taper … | head`): a single document
    /// may end there, but a batch should stop planning lines nobody will read.
    pub fn reader_gone(&self) -> bool {
        self.reader_gone
    }

    /// Flushes, and for a regular file syncs it and renames it into place.
    pub fn finish(self) -> Result<()> {
        let wrap = |source| Error::Write {
            path: self.path.clone(),
            source,
        };
        match self.sink {
            Sink::Stdout(mut out) => match out.flush() {
                // A closed pipe (`taper plan … | head`) is the reader's choice, not a failure.
                Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(wrap(err)),
                _ => Ok(()),
            },
            Sink::Direct(mut file) => file.flush().map_err(wrap),
            Sink::Temp {
                file,
                target,
                permissions,
                _guard,
            } => {
                if let Some(permissions) = permissions {
                    file.as_file().set_permissions(permissions).map_err(wrap)?;
                }
                file.as_file().sync_all().map_err(wrap)?;
                file.persist(&target).map_err(|err| wrap(err.error))?;
                drop(_guard);
                Ok(())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.sink {
            Sink::Stdout(out) => match out.write(buf) {
                Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {
                    self.reader_gone = true;
                    Ok(buf.len())
                }
                other => other,
            },
            Sink::Direct(file) => file.write(buf),
            Sink::Temp { file, .. } => file.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(out) => match out.flush() {
                Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            },
            Sink::Direct(file) => file.flush(),
            Sink::Temp { file, .. } => file.flush(),
        }
    }
}

/// A temporary file in the target's directory, created 0666 less the umask.
fn temp_beside(target: &Path) -> std::io::Result<tempfile::NamedTempFile> {
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
    builder
        .tempfile_in(dir)
        .map_err(|err| std::io::Error::new(err.kind(), err.kind().to_string()))
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
    fn a_link_to_a_file_not_yet_made_is_kept_and_its_target_written() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link.csv");
        // A relative target, resolved from the link's own folder.
        std::os::unix::fs::symlink("out/real.csv", &link).unwrap();
        std::fs::create_dir(dir.path().join("out")).unwrap();
        write_output(Some(&link), "new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let real = dir.path().join("out/real.csv");
        assert_eq!(std::fs::read_to_string(real).unwrap(), "new");
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
        assert!(!err.is_bad_input());
        assert!(
            err.to_string().contains("/nonexistent-dir/plan.csv"),
            "{err}"
        );
    }
}
