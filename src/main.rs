//! The `taper` binary: parse the command line, run, and map the outcome to an exit
//! code ([`exit_codes::ExitCode`]: 0 success, 1 runtime failure, 2 bad input, 3 some
//! batch lines failed). All planning is in the library; `cli` only turns flags into a
//! raw request and writes what the library returns.

mod cli;
mod exit_codes;

use clap::Parser;
use clap::error::ErrorKind;
use exit_codes::ExitCode;
use std::error::Error as _;

fn main() -> std::process::ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(&err).into(),
    };
    match cli::run(cli).map_err(anyhow::Error::from) {
        Ok(code) => code.into(),
        Err(err) => {
            // One line, whatever the input held (a newline in a drug name, say).
            // Other control characters (an escape sequence in a file name) are escaped
            // too, so nothing from the input can drive the terminal.
            let message = err.to_string().replace('\n', "\\n").replace('\r', "\\r");
            eprintln!("error: {}", taper::limits::escape_controls(&message));
            ExitCode::for_error(&err).into()
        }
    }
}

/// Help and version print as clap formats them; a usage mistake becomes one line on
/// stderr, built from the error's parts rather than its rendered text, and exit 2.
fn usage_error(err: &clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue};
    match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            if err.use_stderr() {
                ExitCode::BadInput
            } else {
                ExitCode::Success
            }
        }
        kind => {
            let context =
                |wanted: ContextKind| err.context().find_map(|(k, v)| (k == wanted).then_some(v));
            let text = |value: Option<&ContextValue>| match value {
                Some(ContextValue::String(s)) => s.clone(),
                Some(ContextValue::Strings(list)) => list.join(", "),
                Some(other) => other.to_string(),
                None => String::new(),
            };
            let arg = text(context(ContextKind::InvalidArg));
            let value = text(context(ContextKind::InvalidValue));
            let mut message = match kind {
                ErrorKind::UnknownArgument => format!("unexpected argument '{arg}' found"),
                ErrorKind::InvalidSubcommand => format!(
                    "unrecognized subcommand '{}'",
                    text(context(ContextKind::InvalidSubcommand))
                ),
                ErrorKind::InvalidValue if value.is_empty() => {
                    format!("a value is required for '{arg}' but none was supplied")
                }
                ErrorKind::InvalidValue => {
                    let valid = text(context(ContextKind::ValidValue));
                    if valid.is_empty() {
                        format!("invalid value '{value}' for '{arg}'")
                    } else {
                        format!("invalid value '{value}' for '{arg}'; possible values: {valid}")
                    }
                }
                ErrorKind::ValueValidation => {
                    let why = err.source().map(ToString::to_string).unwrap_or_default();
                    format!("invalid value '{value}' for '{arg}': {why}")
                }
                ErrorKind::MissingRequiredArgument => {
                    format!("the following required arguments were not provided: {arg}")
                }
                _ => err.kind().as_str().unwrap_or("invalid usage").to_string(),
            };
            if let Some(suggested) = context(ContextKind::SuggestedArg) {
                message.push_str(&format!(
                    "; tip: a similar argument exists: '{}'",
                    text(Some(suggested))
                ));
            }
            if let Some(suggested) = context(ContextKind::SuggestedSubcommand) {
                message.push_str(&format!(
                    "; tip: a similar subcommand exists: '{}'",
                    text(Some(suggested))
                ));
            }
            if let Some(suggested) = context(ContextKind::SuggestedValue) {
                message.push_str(&format!(
                    "; tip: a similar value exists: '{}'",
                    text(Some(suggested))
                ));
            }
            eprintln!(
                "error: {}; run `taper --help` for the options",
                taper::limits::escape_controls(&message)
            );
            ExitCode::BadInput
        }
    }
}
