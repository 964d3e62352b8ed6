//! `taper batch`: JSON Lines of requests in, JSON Lines of results out, in the same
//! order, one line each. One bad line never stops the batch: it becomes an error object
//! with its `id`, line number and message. Input is streamed in chunks, so memory stays
//! flat however long the input is; `--jobs N` plans each chunk on N threads and still
//! writes results in input order.

use super::request;
use super::{Catalogs, plan_from_args};
use crate::error::{Error, Result};
use crate::render::Format;
use clap::Args;
use serde_json::Value;
use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;

/// Exit code when some lines failed and the rest were planned (DESIGN.md §3 has 0, 1, 2).
pub const SOME_LINES_FAILED: u8 = 3;

/// Lines read and planned together; bounds memory whatever the input's length.
const CHUNK_LINES: usize = 256;

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// JSON Lines of requests (one `taper plan` request object a line, with an optional
    /// "id"); `-` or nothing is standard input.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,

    /// Where to write the JSON Lines of results; `-` or nothing is standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Threads to plan on; results keep the input's order.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub jobs: usize,
}

/// What a batch did, for the summary on stderr and the exit code.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub planned: usize,
    pub failed: usize,
    /// The first few failed line numbers, for the summary.
    pub failed_lines: Vec<usize>,
}

impl Summary {
    /// The summary line for stderr: "batch: 98 planned, 2 failed (lines 7, 19)".
    pub fn line(&self) -> String {
        let lines: Vec<String> = self.failed_lines.iter().map(usize::to_string).collect();
        let more = if self.failed > lines.len() {
            ", …"
        } else {
            ""
        };
        match lines.is_empty() {
            true => format!("batch: {} planned, {} failed", self.planned, self.failed),
            false => format!(
                "batch: {} planned, {} failed (lines {}{more})",
                self.planned,
                self.failed,
                lines.join(", ")
            ),
        }
    }
}

pub fn run(args: &BatchArgs) -> Result<Summary> {
    if !(1..=256).contains(&args.jobs) {
        return Err(Error::input("--jobs must be from 1 to 256"));
    }
    let input: Box<dyn BufRead> = match &args.input {
        Some(path) if path.as_os_str() != "-" => {
            Box::new(std::io::BufReader::new(std::fs::File::open(path).map_err(
                |e| Error::input(format!("--input {}: cannot be read ({e})", path.display())),
            )?))
        }
        _ => Box::new(std::io::stdin().lock()),
    };
    // Results go where every output goes (a temporary file renamed at the end, or
    // stdout, or a device written into), through a large buffer.
    let out = crate::output::Output::create(args.output.as_deref())?;
    let path = out.path.clone();
    let write_error = |source| Error::Write {
        path: path.clone(),
        source,
    };
    let mut sink = BufWriter::with_capacity(1 << 20, out);
    let known = request::known_fields();
    let mut catalogs: Vec<Catalogs> = (0..args.jobs).map(|_| Catalogs::default()).collect();
    let mut summary = Summary::default();
    let mut chunk: Vec<(usize, String)> = Vec::with_capacity(CHUNK_LINES);
    let mut lines = input.lines().enumerate();
    loop {
        chunk.clear();
        for (i, line) in lines.by_ref() {
            let line = line.map_err(|e| {
                Error::input(format!("batch input line {}: cannot be read ({e})", i + 1))
            })?;
            if !line.trim().is_empty() {
                chunk.push((i + 1, line));
            }
            if chunk.len() == CHUNK_LINES {
                break;
            }
        }
        if chunk.is_empty() {
            break;
        }
        let results = plan_chunk(&chunk, &known, &mut catalogs);
        for ((line, _), (ok, text)) in chunk.iter().zip(results) {
            sink.write_all(text.as_bytes())
                .and_then(|()| sink.write_all(b"\n"))
                .map_err(write_error)?;
            if ok {
                summary.planned += 1;
            } else {
                summary.failed += 1;
                if summary.failed_lines.len() < 10 {
                    summary.failed_lines.push(*line);
                }
            }
        }
    }
    sink.into_inner()
        .map_err(|e| write_error(e.into_error()))?
        .finish()?;
    Ok(summary)
}

/// Plans one chunk, split over the threads, results in order.
fn plan_chunk(
    chunk: &[(usize, String)],
    known: &[String],
    catalogs: &mut [Catalogs],
) -> Vec<(bool, String)> {
    let per = chunk.len().div_ceil(catalogs.len());
    if catalogs.len() == 1 || chunk.len() < 2 {
        return chunk
            .iter()
            .map(|(n, line)| plan_line(*n, line, known, &mut catalogs[0]))
            .collect();
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunk
            .chunks(per)
            .zip(catalogs.iter_mut())
            .map(|(part, cat)| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(n, l)| plan_line(*n, l, known, cat))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join().unwrap_or_else(|_| {
                    vec![(
                        false,
                        error_line(None, 0, "internal error: a planning thread failed", 1),
                    )]
                })
            })
            .collect()
    })
}

/// One request line → one result line: `{"id", "line", "ok": true, "plan"}` or
/// `{"id", "line", "ok": false, "error", "exit_code"}`.
fn plan_line(
    line_number: usize,
    line: &str,
    known: &[String],
    catalogs: &mut Catalogs,
) -> (bool, String) {
    let value: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => {
            return (
                false,
                error_line(None, line_number, &format!("not valid JSON ({e})"), 2),
            );
        }
    };
    let id = value.get("id").cloned();
    let result = request::to_args(value, known, &["id"]).and_then(|args| {
        if args.output.output.is_some() || args.output.format.is_some_and(|f| f != Format::Json) {
            return Err(Error::input(
                "batch always writes JSON Lines; leave out \"output\" and \"format\"",
            ));
        }
        plan_from_args(&args, catalogs)
    });
    match result {
        // Written by hand so the plan keeps its documented key order (and is not
        // converted to a map first, which costs time in a large batch).
        Ok(plan) => match serde_json::to_string(&plan) {
            Ok(plan) => {
                let id = id.map_or("null".to_string(), |v| v.to_string());
                (
                    true,
                    format!("{{\"id\":{id},\"line\":{line_number},\"ok\":true,\"plan\":{plan}}}"),
                )
            }
            Err(e) => (
                false,
                error_line(
                    id,
                    line_number,
                    &format!("could not encode the plan ({e})"),
                    1,
                ),
            ),
        },
        Err(e) => (
            false,
            error_line(id, line_number, &e.to_string(), e.exit_code()),
        ),
    }
}

fn error_line(id: Option<Value>, line_number: usize, message: &str, exit_code: u8) -> String {
    let id = id.map_or("null".to_string(), |v| v.to_string());
    let message = Value::String(message.to_string());
    format!(
        "{{\"id\":{id},\"line\":{line_number},\"ok\":false,\"error\":{message},\"exit_code\":{exit_code}}}"
    )
}
