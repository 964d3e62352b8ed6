//! The process's exit codes, in one place (after fd's `exit_codes.rs`).

/// How `taper` ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Done as asked.
    Success,
    /// The output could not be written, or another failure that is not the input's.
    RuntimeFailure,
    /// Bad input: usage, an unknown drug, an impossible dose, conflicting options …
    BadInput,
    /// `taper batch`: some lines failed (each is an error object); the rest were planned.
    SomeLinesFailed,
    /// `taper plan --strict`: the plan was written, but it needs review (a `danger`
    /// warning).
    NeedsReview,
}

impl ExitCode {
    /// The code for an error: bad input when the library says the input must change.
    pub fn for_error(err: &anyhow::Error) -> ExitCode {
        match err.downcast_ref::<taper::Error>() {
            Some(err) if err.is_bad_input() => ExitCode::BadInput,
            _ => ExitCode::RuntimeFailure,
        }
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(match code {
            ExitCode::Success => 0,
            ExitCode::RuntimeFailure => 1,
            ExitCode::BadInput => 2,
            ExitCode::SomeLinesFailed => 3,
            ExitCode::NeedsReview => 4,
        })
    }
}
