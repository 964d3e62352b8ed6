//! The library's errors, split by who must fix them. The binary maps them to exit codes
//! (2 for anything the input must change, 1 otherwise); `taper batch` writes an input
//! error's [`Problem`] and field into that line's error object.
//!
//! Every error is one plain sentence that names the input and the fix.

use std::path::PathBuf;

/// What went wrong, split by who must fix it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The person or script gave something we cannot plan from.
    #[error("{message}")]
    Input {
        problem: Problem,
        /// The request field concerned (`"tablets"`), when one is.
        field: Option<String>,
        message: String,
    },
    /// A catalog file given with `--drug-file` or `--benzo-file` (`flag`, as the error
    /// names it) is malformed or cannot be read.
    #[error("{flag} {}: {message}", path.display())]
    DrugFile {
        flag: &'static str,
        path: PathBuf,
        message: String,
    },
    /// The plan was computed but could not be written.
    #[error("could not write {}: {}", path.display(), write_hint(path, source))]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Anything else that is not the user's input.
    #[error("{0}")]
    Runtime(String),
}

/// What kind of input problem, for machines: batch error objects carry it as `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// A request field that is not an option.
    UnknownField,
    /// A line or document that is not a JSON object.
    NotJson,
    /// A value that cannot be read or is out of range.
    InvalidValue,
    /// Something required is missing (a drug, a dose).
    Missing,
    /// Two options that cannot go together.
    Conflict,
    /// An option that would have no effect with the others given.
    NoEffect,
    /// Something a request may not do unless the command line allows it (name files).
    NotAllowed,
    /// The request is well formed but cannot be planned (an unknown drug, a dose the
    /// products cannot make, a hold past the end of the plan …).
    CannotPlan,
}

impl Problem {
    pub fn as_str(self) -> &'static str {
        match self {
            Problem::UnknownField => "unknown_field",
            Problem::NotJson => "not_json",
            Problem::InvalidValue => "invalid_value",
            Problem::Missing => "missing",
            Problem::Conflict => "conflict",
            Problem::NoEffect => "no_effect",
            Problem::NotAllowed => "not_allowed",
            Problem::CannotPlan => "cannot_plan",
        }
    }
}

impl Error {
    /// A bad-input error about no one field in particular.
    pub fn input(message: impl Into<String>) -> Self {
        Error::Input {
            problem: Problem::CannotPlan,
            field: None,
            message: message.into(),
        }
    }

    /// A bad-input error about `field` (its request name, like `"tablets"`).
    pub fn field(problem: Problem, field: &str, message: impl Into<String>) -> Self {
        Error::Input {
            problem,
            field: Some(field.to_string()),
            message: message.into(),
        }
    }

    /// Whether the input must change (exit code 2), rather than the machine or the
    /// place the output goes (exit code 1).
    pub fn is_bad_input(&self) -> bool {
        matches!(self, Error::Input { .. } | Error::DrugFile { .. })
    }

    /// For a batch error object: the problem's code and the field, if any.
    pub fn problem(&self) -> (&'static str, Option<&str>) {
        match self {
            Error::Input { problem, field, .. } => (problem.as_str(), field.as_deref()),
            Error::DrugFile { flag, .. } => (
                "drug_file",
                Some(if flag.contains("benzo") {
                    "benzo_file"
                } else {
                    "drug_file"
                }),
            ),
            Error::Write { .. } => ("write", None),
            Error::Runtime(_) => ("runtime", None),
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
        ErrorKind::PermissionDenied if path.is_file() => {
            "permission denied: the file is read-only or not yours to write, as the shell's > would find; choose another -o path or change its permissions".into()
        }
        ErrorKind::PermissionDenied => {
            "permission denied; choose a folder you can write to with -o".into()
        }
        ErrorKind::StorageFull => "the disk is full; free some space or write elsewhere".into(),
        _ => err.to_string(),
    }
}
