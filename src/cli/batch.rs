//! `taper batch`: JSON Lines of requests in, JSON Lines of results out, in the same
//! order, one line each. One bad line never stops the batch: it becomes an error object
//! with its `id`, line number and message. Input is streamed in chunks, so memory stays
//! flat however long the input is; `--jobs N` plans each chunk on N threads and still
//! writes results in input order.

use super::batch_input::{Line, Lines};
use super::batch_json::JsonCache;
use clap::Args;
use serde_json::Value;
use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;
use taper::error::{Error, Result};
use taper::render::Format;
use taper::request::{RawRequest, Request, Spelling};
use taper::{Catalogs, make_plan};

/// Most lines read and planned together; bounds memory whatever the input's length.
const CHUNK_LINES: usize = 256;

/// Result bytes a chunk aims at. Plans range from 4 KB (a few steps) to over 1 MB
/// (`--daily` over years), so the next chunk's length is set from the bytes per line
/// seen so far; and since plans can grow suddenly, each worker also stops once its
/// share of this budget is full, and the lines it did not reach wait for the next chunk.
/// Memory stays flat whatever the plans' size, not only their number.
const CHUNK_BYTES: usize = 2 << 20;

/// Lines in the next chunk, from the result bytes per line of the last one. It aims at
/// half the budget, so that plans a little larger than the last ones still fit: a worker
/// that stops at its budget sends the later workers' parts round again.
fn next_chunk_lines(bytes: usize, lines: usize, jobs: usize) -> usize {
    let per_line = bytes.div_ceil(lines.max(1)).max(1);
    (CHUNK_BYTES / 2 / per_line).clamp(jobs, CHUNK_LINES)
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// JSON Lines of requests (one `taper plan` request object a line, with an optional
    /// "id"); `-` or nothing is standard input.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,

    /// Where to write the JSON Lines of results; `-` or nothing is standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Let request lines name files to read (`drug_file`, `benzo_file`); without it such
    /// a line is refused, since a line from elsewhere could name any file.
    #[arg(long)]
    pub allow_files: bool,

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
        Some(path) if path.as_os_str() != "-" && path.is_dir() => {
            return Err(Error::input(format!(
                "--input {} is a folder; give a JSON Lines file (one request a line)",
                path.display()
            )));
        }
        Some(path) if path.as_os_str() != "-" => {
            Box::new(std::io::BufReader::new(std::fs::File::open(path).map_err(
                |e| Error::input(format!("--input {}: cannot be read ({e})", path.display())),
            )?))
        }
        _ => Box::new(std::io::stdin().lock()),
    };
    // Results go where every output goes (a temporary file renamed at the end, or
    // stdout, or a device written into), through a large buffer.
    let catalogs = Catalogs::embedded()?;
    let planner = Planner {
        catalogs: &catalogs,
        allow_files: args.allow_files,
    };
    let out = taper::output::Output::create(args.output.as_deref())?;
    let path = out.path.clone();
    let write_error = |source| Error::Write {
        path: path.clone(),
        source,
    };
    let mut sink = BufWriter::with_capacity(1 << 16, out);
    let mut workers: Vec<Worker> = (0..args.jobs).map(|_| Worker::default()).collect();
    let mut summary = Summary::default();
    let mut chunk: Vec<(usize, Line)> = Vec::with_capacity(CHUNK_LINES);
    // Start small, until the plans' size is known.
    let mut chunk_lines = (4 * args.jobs).min(CHUNK_LINES);
    let mut lines = Lines::new(input);
    let budget = (CHUNK_BYTES / args.jobs).max(1);
    let mut last_written = 0;
    loop {
        // Lines a worker did not reach last time are still at the front of the chunk.
        // Input lines count against the budget too (a request line may be up to 1 MB).
        let mut input_bytes: usize = chunk.iter().map(|(_, l)| line_bytes(l)).sum();
        while chunk.len() < chunk_lines && input_bytes < CHUNK_BYTES {
            let Some(read) = lines.next() else { break };
            let (number, line) = read.map_err(|e| {
                let after = chunk.last().map_or(last_written, |(n, _)| *n);
                Error::Runtime(match after {
                    0 => format!("batch input could not be read ({e})"),
                    n => format!("batch input could not be read after line {n} ({e})"),
                })
            })?;
            input_bytes += line_bytes(&line);
            chunk.push((number, line));
        }
        if chunk.is_empty() {
            break;
        }
        let done = plan_chunk(&chunk, &planner, &mut workers, budget)?;
        let bytes: usize = workers.iter().map(|w| w.out.len()).sum();
        let planned: usize = workers.iter().map(|w| w.lines.len()).sum();
        chunk_lines = next_chunk_lines(bytes, planned, args.jobs);
        // Each worker planned the start of a contiguous run of the chunk, so writing
        // their buffers one after the other keeps the input's order, up to the first
        // worker that stopped at its budget; what came after is planned again.
        for worker in &mut workers[..done.workers] {
            sink.write_all(&worker.out).map_err(write_error)?;
            if sink.get_ref().reader_gone() {
                return Err(reader_gone(
                    worker.lines.last().map_or(last_written, |l| l.0),
                ));
            }
            for &(line, ok) in &worker.lines {
                last_written = line;
                if ok {
                    summary.planned += 1;
                } else {
                    summary.failed += 1;
                    if summary.failed_lines.len() < 10 {
                        summary.failed_lines.push(line);
                    }
                }
            }
            // One huge plan must not keep its memory for the rest of the batch.
            if worker.out.capacity() > 2 * budget {
                worker.out = Vec::new();
            }
        }
        chunk.drain(..done.lines);
    }
    let out = sink.into_inner().map_err(|e| write_error(e.into_error()))?;
    // The last bytes leave the buffer only now; the reader may have gone before them.
    if out.reader_gone() {
        return Err(reader_gone(last_written));
    }
    out.finish()?;
    Ok(summary)
}

fn line_bytes(line: &Line) -> usize {
    line.as_ref().map_or(0, String::len)
}

fn reader_gone(last_line: usize) -> Error {
    Error::Runtime(format!(
        "standard output was closed by its reader, so the batch stopped after input line {last_line}; the lines after it were not planned or not all delivered"
    ))
}

/// One planning thread's state, kept from chunk to chunk: its catalogs, and the result
/// lines of its part of the current chunk. The buffer keeps its capacity, so a long
/// batch does not allocate (and fault in) fresh memory for every plan.
#[derive(Default)]
struct Worker {
    /// The parts of plans encoded once (see `batch_json`).
    json: JsonCache,
    /// The result lines, each ending in `\n`.
    out: Vec<u8>,
    /// Input line number and whether it was planned, for each result line.
    lines: Vec<(usize, bool)>,
}

impl Worker {
    /// Plans the lines of `part` in order until its results reach `budget` bytes;
    /// returns whether it planned them all.
    fn plan_part(&mut self, part: &[(usize, Line)], planner: &Planner, budget: usize) -> bool {
        self.out.clear();
        self.lines.clear();
        for (n, line) in part {
            if self.out.len() >= budget {
                return false;
            }
            let line = match line {
                Ok(line) => line,
                Err(why) => {
                    error_line(&mut self.out, None, *n, &Failure::line(why));
                    self.lines.push((*n, false));
                    continue;
                }
            };
            let start = self.out.len();
            // A bug that panics on one request must not stop the other lines, at 3 a.m.
            // with nobody watching: that line becomes an error object instead.
            let planned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                plan_line(*n, line, planner, &mut self.json, &mut self.out)
            }));
            let ok = planned.unwrap_or_else(|_| {
                self.out.truncate(start);
                let failure = Failure {
                    message: "internal error while planning this line (a bug in taper; please report it with the request)",
                    code: "internal",
                    field: None,
                    exit_code: 1,
                };
                error_line(&mut self.out, None, *n, &failure);
                false
            });
            self.lines.push((*n, ok));
        }
        true
    }
}

/// What every worker plans with: the catalogs, and whether lines may name files.
struct Planner<'a> {
    catalogs: &'a Catalogs,
    allow_files: bool,
}

/// How far a chunk got: the workers whose results can be written, in order, and the
/// chunk lines they cover.
struct Done {
    workers: usize,
    lines: usize,
}

/// Plans one chunk, split in contiguous parts over the workers, each within `budget`
/// result bytes.
fn plan_chunk(
    chunk: &[(usize, Line)],
    planner: &Planner,
    workers: &mut [Worker],
    budget: usize,
) -> Result<Done> {
    let per = chunk.len().div_ceil(workers.len()).max(1);
    let finished: Vec<bool> = if workers.len() == 1 || chunk.len() < 2 {
        let all = workers[0].plan_part(chunk, planner, budget);
        for idle in &mut workers[1..] {
            idle.plan_part(&[], planner, budget);
        }
        vec![all]
    } else {
        std::thread::scope(|scope| {
            let mut parts = chunk.chunks(per);
            let handles: Vec<_> = workers
                .iter_mut()
                .map(|worker| {
                    let part = parts.next().unwrap_or(&[]);
                    scope.spawn(move || worker.plan_part(part, planner, budget))
                })
                .collect();
            // A planning thread cannot panic (each line's planning is caught); if one
            // did, the batch stops rather than write a part it may not have finished.
            handles
                .into_iter()
                .map(|h| h.join())
                .collect::<std::result::Result<Vec<bool>, _>>()
        })
        .map_err(|_| Error::Runtime("internal error: a planning thread failed".into()))?
    };
    let mut done = Done {
        workers: 0,
        lines: 0,
    };
    for (worker, all) in workers.iter().zip(finished) {
        done.workers += 1;
        done.lines += worker.lines.len();
        if !all {
            break;
        }
    }
    Ok(done)
}

/// One request line → one result line appended to `out`: `{"id", "line", "ok": true,
/// "plan"}` or `{"id", "line", "ok": false, "error", "code", "field", "exit_code"}`.
/// Returns whether the line was planned.
fn plan_line(
    line_number: usize,
    line: &str,
    planner: &Planner,
    json: &mut JsonCache,
    out: &mut Vec<u8>,
) -> bool {
    let raw = RawRequest::from_json_str(line);
    // `id` comes back with the result, even when the request is refused.
    let id = match &raw {
        Ok(raw) => raw.id.clone(),
        Err(_) => serde_json::from_str::<Value>(line)
            .ok()
            .and_then(|mut v| v.as_object_mut().and_then(|o| o.remove("id"))),
    };
    let result = raw
        .and_then(|raw| match planner.allow_files {
            true => Request::from_raw(&raw, Format::Json, Spelling::Json),
            false => Request::from_untrusted(&raw, Format::Json, Spelling::Json),
        })
        .and_then(|request| make_plan(planner.catalogs, &request));
    let plan = match result {
        Ok(plan) => plan,
        Err(e) => {
            let message = e.to_string();
            let (code, field) = e.problem();
            let failure = Failure {
                message: &message,
                code,
                field,
                exit_code: if e.is_bad_input() { 2 } else { 1 },
            };
            error_line(out, id, line_number, &failure);
            return false;
        }
    };
    // Written by hand so the plan keeps its documented key order (and is not
    // converted to a map first), straight into the buffer.
    let start = out.len();
    let _ = write!(
        out,
        "{{\"id\":{},\"line\":{line_number},\"ok\":true,\"plan\":",
        IdJson(&id)
    );
    match json.write_plan(out, &plan) {
        Ok(()) => {
            out.extend_from_slice(b"}\n");
            true
        }
        Err(e) => {
            out.truncate(start);
            let message = format!("could not encode the plan ({e})");
            let failure = Failure {
                message: &message,
                code: "internal",
                field: None,
                exit_code: 1,
            };
            error_line(out, id, line_number, &failure);
            false
        }
    }
}

/// Why a line was not planned: the message, a machine code (`unknown_field`,
/// `no_effect` …, see `taper::error::Problem`), the request field if one is to blame,
/// and the exit code `taper plan` would give it.
struct Failure<'a> {
    message: &'a str,
    code: &'a str,
    field: Option<&'a str>,
    exit_code: u8,
}

impl<'a> Failure<'a> {
    /// A line that could not be read (not UTF-8, too long).
    fn line(why: &'a str) -> Self {
        Failure {
            message: why,
            code: "unreadable_line",
            field: None,
            exit_code: 2,
        }
    }
}

/// The request's `id` as JSON, `null` when it had none.
struct IdJson<'a>(&'a Option<Value>);

impl std::fmt::Display for IdJson<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(id) => write!(f, "{id}"),
            None => f.write_str("null"),
        }
    }
}

fn error_line(out: &mut Vec<u8>, id: Option<Value>, line_number: usize, failure: &Failure) {
    let message = Value::String(failure.message.to_string());
    let field = failure
        .field
        .map_or(Value::Null, |f| Value::String(f.to_string()));
    // Writing into a Vec cannot fail.
    let _ = writeln!(
        out,
        "{{\"id\":{},\"line\":{line_number},\"ok\":false,\"error\":{message},\"code\":\"{}\",\"field\":{field},\"exit_code\":{}}}",
        IdJson(&id),
        failure.code,
        failure.exit_code
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_shrink_for_large_plans_and_grow_for_small_ones() {
        // 4 KB plans: the full chunk. 530 KB plans (--daily over years): one at a time.
        assert_eq!(next_chunk_lines(16 * 4_000, 16, 1), CHUNK_LINES);
        assert_eq!(next_chunk_lines(4 * 530_000, 4, 1), 1);
        assert_eq!(next_chunk_lines(4 * 100_000, 4, 1), 10);
        // Never fewer lines than threads, nor a division by zero on an empty chunk.
        assert_eq!(next_chunk_lines(8 * 50_000_000, 8, 2), 2);
        assert_eq!(next_chunk_lines(0, 0, 1), CHUNK_LINES);
    }

    #[test]
    fn the_summary_names_the_first_failed_lines() {
        let summary = Summary {
            planned: 98,
            failed: 12,
            failed_lines: (1..=10).collect(),
        };
        assert_eq!(
            summary.line(),
            "batch: 98 planned, 12 failed (lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …)"
        );
    }
}
