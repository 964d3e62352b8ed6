//! The `taper` binary: parse the command line, run, map the outcome to an exit code
//! (DESIGN.md §3: 0 success, 1 runtime failure, 2 bad input). All work is in the library.

use clap::Parser;
use clap::error::ErrorKind;
use std::process::ExitCode;
use taper::cli::Cli;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    match taper::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // One line, whatever the input held (a newline in a drug name, say).
            let message = err.to_string().replace('\n', "\\n").replace('\r', "\\r");
            eprintln!("error: {message}");
            ExitCode::from(err.exit_code())
        }
    }
}

/// Help and version print as clap formats them; a usage mistake becomes one line on
/// stderr (clap's message and its tip, if any) and exit code 2.
fn usage_error(err: clap::Error) -> ExitCode {
    match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            ExitCode::from(if err.use_stderr() { 2 } else { 0 })
        }
        _ => {
            // clap writes paragraphs: the error (possibly with indented detail lines),
            // optional tips, then usage. Keep the error and tips, each on one line.
            let rendered = err.render().to_string();
            let mut parts: Vec<String> = rendered
                .split("\n\n")
                .map(|para| para.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|para| para.starts_with("error:") || para.starts_with("tip:"))
                .map(|para| {
                    para.trim_start_matches("error:")
                        .trim()
                        .trim_end_matches(':')
                        .to_string()
                })
                .collect();
            parts.push("run `taper --help` for the options".to_string());
            eprintln!("error: {}", parts.join("; "));
            ExitCode::from(2)
        }
    }
}
