//! Errors and the exit codes they map to (DESIGN.md §3).
//!
//! Every error the library returns is one plain sentence that names the input and the
//! fix. `main.rs` prints it after `error: ` and exits with [`Error::exit_code`].

use std::path::PathBuf;

/// What went wrong, split by who must fix it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The person or script gave something we cannot plan from (exit code 2).
    #[error("{0}")]
    Input(String),
    /// A drug file given with `--drug-file` is malformed (exit code 2).
    #[error("drug file {}: {message}", path.display())]
    DrugFile { path: PathBuf, message: String },
    /// The plan was computed but could not be written (exit code 1).
    #[error("could not write {}: {}", path.display(), write_hint(path, source))]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Anything else that is not the user's input (exit code 1).
    #[error("{0}")]
    Runtime(String),
}

impl Error {
    /// Shorthand for a bad-input error.
    pub fn input(message: impl Into<String>) -> Self {
        Error::Input(message.into())
    }

    /// The process exit code for this error: 2 for bad input, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) | Error::DrugFile { .. } => 2,
            Error::Write { .. } | Error::Runtime(_) => 1,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a write failed, with the fix where the cause is a common one.
fn write_hint(path: &std::path::Path, err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let folder_missing = path
        .parent()
        .is_some_and(|dir| !dir.as_os_str().is_empty() && !dir.is_dir());
    match err.kind() {
        ErrorKind::NotFound if folder_missing => {
            "its folder does not exist; create the folder or choose another -o path".into()
        }
        ErrorKind::PermissionDenied => {
            "permission denied; choose a folder you can write to with -o".into()
        }
        ErrorKind::StorageFull => "the disk is full; free some space or write elsewhere".into(),
        _ => err.to_string(),
    }
}
