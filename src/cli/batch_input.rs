//! Reading `taper batch` input: one request a line. A line that cannot be a request
//! (not UTF-8, or longer than any request could be) becomes that line's error, like a
//! line of bad JSON, instead of stopping the batch; and an endless line is skipped, not
//! held in memory.

use std::io::{self, BufRead, Read};

/// The longest line read as a request. Requests are a few hundred bytes; a line this
/// long is a wrong file (or a missing newline), and is skipped without being kept.
pub const MOST_LINE_BYTES: usize = 1 << 20;

/// One input line: its text, or why it cannot be a request.
pub type Line = std::result::Result<String, String>;

/// The lines of `reader`, numbered from 1, blank lines left out.
pub struct Lines<R> {
    reader: R,
    number: usize,
    buffer: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines {
            reader,
            number: 0,
            buffer: Vec::new(),
        }
    }

    /// Reads one line into `buffer`; `None` at the end of the input.
    fn next_line(&mut self) -> io::Result<Option<Line>> {
        self.buffer.clear();
        // Room for the longest line and its "\r\n".
        let limit = MOST_LINE_BYTES as u64 + 2;
        let read = (&mut self.reader)
            .take(limit)
            .read_until(b'\n', &mut self.buffer)?;
        if read == 0 {
            return Ok(None);
        }
        let whole = self.buffer.last() == Some(&b'\n');
        if whole {
            self.buffer.pop();
            if self.buffer.last() == Some(&b'\r') {
                self.buffer.pop();
            }
        }
        if self.buffer.len() > MOST_LINE_BYTES {
            if !whole {
                self.skip_rest_of_line()?;
            }
            return Ok(Some(Err(format!(
                "the line is longer than {} MB, far longer than a request; each line must be one JSON request object",
                MOST_LINE_BYTES >> 20
            ))));
        }
        Ok(Some(
            std::str::from_utf8(&self.buffer)
                .map(str::to_string)
                .map_err(|e| {
                    format!(
                        "the line is not UTF-8 text (at byte {}); save the file as UTF-8",
                        e.valid_up_to() + 1
                    )
                }),
        ))
    }

    fn skip_rest_of_line(&mut self) -> io::Result<()> {
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                return Ok(());
            }
            match available.iter().position(|&b| b == b'\n') {
                Some(end) => {
                    self.reader.consume(end + 1);
                    return Ok(());
                }
                None => {
                    let all = available.len();
                    self.reader.consume(all);
                }
            }
        }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    /// The line number and the line; an error only when the input cannot be read.
    type Item = io::Result<(usize, Line)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let line = match self.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => return None,
                Err(err) => return Some(Err(err)),
            };
            self.number += 1;
            if line.as_ref().is_ok_and(|text| text.trim().is_empty()) {
                continue;
            }
            return Some(Ok((self.number, line)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<(usize, Line)> {
        Lines::new(input).map(Result::unwrap).collect()
    }

    #[test]
    fn numbers_lines_skips_blank_ones_and_strips_line_ends() {
        assert_eq!(
            lines(b"{\"a\":1}\r\n\n   \n{\"b\":2}"),
            vec![(1, Ok("{\"a\":1}".into())), (4, Ok("{\"b\":2}".into()))]
        );
    }

    #[test]
    fn a_line_that_is_not_utf8_is_that_lines_error() {
        let got = lines(b"{}\n{\"from\":\"20\xffmg\"}\n{}\n");
        assert_eq!(got.len(), 3);
        assert_eq!(got[1].0, 2);
        assert!(
            got[1].1.as_ref().unwrap_err().contains("at byte 12"),
            "{got:?}"
        );
        assert_eq!(got[2], (3, Ok("{}".into())));
    }

    #[test]
    fn an_endless_line_is_skipped_not_kept() {
        let mut input = b"{}\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 3 * MOST_LINE_BYTES));
        input.extend(b"\n{}\n");
        // A small reader buffer, so the skipping crosses many refills.
        let got: Vec<_> = Lines::new(io::BufReader::with_capacity(4096, &input[..]))
            .map(Result::unwrap)
            .collect();
        assert_eq!(got.len(), 3);
        assert!(got[1].1.as_ref().unwrap_err().contains("longer than 1 MB"));
        assert_eq!(got[2], (3, Ok("{}".into())));
        // Exactly the limit is still read as a line, whatever ends it; one more is not.
        let exactly = |end: &[u8]| {
            let mut line = b"{}".to_vec();
            line.resize(MOST_LINE_BYTES, b' ');
            line.extend(end);
            line.extend(b"{}\n");
            line
        };
        for end in [&b"\n"[..], b"\r\n"] {
            let got = lines(&exactly(end));
            assert_eq!(got.len(), 2, "{end:?}");
            assert!(got.iter().all(|(_, l)| l.is_ok()), "{end:?}");
            let mut over = exactly(end);
            over.insert(0, b' ');
            let got = lines(&over);
            assert!(
                got[0].1.is_err() && got[1] == (2, Ok("{}".into())),
                "{end:?}"
            );
        }
        // A last line without a line end.
        assert_eq!(
            lines(b"{}\n{}"),
            vec![(1, Ok("{}".into())), (2, Ok("{}".into()))]
        );
    }
}
