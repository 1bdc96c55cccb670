"""Print check of the document formats (issue 17): HTML printed by headless Chromium
and our own PDF, on A4 and Letter, for a composed briefing of many items and a
hostile one; then the time to render a 500-item briefing in every format.

Checks, from the text positions in each PDF (pypdf ``extract_text(visitor_text=...)``):
- page count;
- near-empty pages: a page other than the last whose text ends above half of the
  page's body height;
- headings left as the last line of a page: a heading line (item or section, by
  font size) with no body line (or picture: the timeline chart) below it on its page.
The first pages of each PDF are rendered to PNG with ``pdftoppm`` (in --out) to
look at.

    PYTHONPATH=$PWD /work/venv/bin/python bench/print_check.py [--items 120] [--bench-items 500] [--out DIR]

Needs chromium and pdftoppm on PATH for the print part (skipped with a note when
missing); the timing part needs neither.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.export import FORMATS, render  # noqa: E402
from briefing.export.model import Briefing  # noqa: E402
from briefing.export.pdffmt import render_pdf  # noqa: E402
from tests.export.composed import composed  # noqa: E402

HEADING_PT = 11.4  # item headings are 11.5 pt (PDF) / 11.55 pt (HTML print); body text is 10-10.5 pt
EDGE_PT = 75.0  # the page furniture (marking, page number) is this close to the top or bottom edge
PAGE_LINE = re.compile(r"Page \d+ of \d+")


def varied(n: int, hostile: bool = False) -> Briefing:
    """A composed briefing whose items have varied lengths (so page breaks fall everywhere)."""
    base = composed(n, hostile=hostile, sections=max(1, n // 15))
    items = tuple(dataclasses.replace(it, summary=it.summary * (1 + it.number % 3)) for it in base.items)
    by_number = {it.number: it for it in items}
    groups = tuple(dataclasses.replace(g, items=tuple(by_number[it.number] for it in g.items)) for g in base.groups)
    return dataclasses.replace(base, items=items, groups=groups)


def furniture(text: str, top: float, height: float, marking: str) -> bool:
    """A line of the page header or footer: near an edge, and a piece of the marking or the page number."""
    near_edge = top < EDGE_PT or top > height - EDGE_PT
    squeezed = "".join(text.split())
    return near_edge and bool(PAGE_LINE.search(text) or (squeezed and squeezed.replace("…", "") in "".join(marking.split())))


def page_lines(pdf: bytes, marking: str = "") -> tuple[list[list[tuple[float, float, str]]], float, float]:
    """Per page: body lines as (distance from the top in pt, font size in pt, text), top first."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = []
    height = width = 0.0
    for page in reader.pages:
        height, width = float(page.mediabox.height), float(page.mediabox.width)
        rows: dict[float, list[tuple[float, str]]] = {}

        def visit(text, cm, tm, font, size, rows=rows):
            if text.strip():
                y = tm[5] * cm[3] + tm[4] * cm[1] + cm[5]
                rows.setdefault(round(y, 0), []).append((abs(size * tm[3] * cm[3]), text))

        def placed(operator, operands, cm, tm, rows=rows):
            if operator == b"Do":  # a picture (the timeline chart): body content down to its lower edge
                rows.setdefault(round(cm[5], 0), []).append((0.0, "[picture]"))

        page.extract_text(visitor_text=visit, visitor_operand_before=placed)
        lines = [(height - y, max(s for s, _ in parts), "".join(t for _, t in parts).strip()) for y, parts in rows.items()]
        pages.append(sorted(line for line in lines if line[2] and not furniture(line[2], line[0], height, marking)))
    return pages, height, width


def check(pdf: bytes, marking: str) -> dict[str, object]:
    pages, height, _ = page_lines(pdf, marking)
    near_empty = []
    orphans = []
    body_top = min((lines[0][0] for lines in pages if lines), default=0.0)
    body_bottom = max((lines[-1][0] for lines in pages if lines), default=height)
    for number, lines in enumerate(pages, 1):
        if number < len(pages):
            lowest = max((y for y, _, _ in lines), default=body_top)
            if (lowest - body_top) / (body_bottom - body_top) < 0.5:
                near_empty.append(number)
        for index, (_, size, text) in enumerate(lines):
            if HEADING_PT <= size < 17 and not any(s < HEADING_PT for _, s, _ in lines[index + 1:]):
                orphans.append(f"p{number}: {text[:40]}")
    return {"pages": len(pages), "near_empty": near_empty, "orphans": orphans}


def chromium_pdf(html: str, paper: str, workdir: Path, name: str) -> tuple[bytes, float]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser
    page = workdir / f"{name}.html"
    # the paper size as a printer would choose it: an extra @page rule (the CSP allows inline style)
    page.write_text(html.replace("</head>", f"<style>@page {{ size: {paper}; }}</style>\n</head>", 1), encoding="utf-8")
    out = workdir / f"{name}.pdf"
    started = time.perf_counter()
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={workdir / 'profile'}",
         "--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri()],
        capture_output=True, timeout=300, check=True,
    )
    return out.read_bytes(), time.perf_counter() - started


def to_png(pdf: bytes, prefix: Path, last: int = 3) -> None:
    if not shutil.which("pdftoppm"):
        return
    src = prefix.with_suffix(".pdf")
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", str(last), str(src), str(prefix)], check=True, timeout=120)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=120, help="items of the printed briefing (default 120)")
    parser.add_argument("--bench-items", type=int, default=500, help="items of the timed briefing (default 500)")
    parser.add_argument("--out", type=Path, default=None, help="folder for the PDFs and PNGs (default: a new temporary folder)")
    parser.add_argument("--no-print", action="store_true", help="only the timing")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="print-check-"))
    out.mkdir(parents=True, exist_ok=True)
    failed = False

    if not args.no_print:
        have_browser = bool(shutil.which("chromium") or shutil.which("chromium-browser"))
        if not have_browser:
            print("chromium not found: the HTML print check is skipped (apt-get install chromium)")
        cases = {"many": varied(args.items), "hostile": varied(12, hostile=True)}
        print(f"{'case':8} {'paper':7} {'renderer':9} {'pages':>5} {'near-empty':>10} {'heading last':>12} {'seconds':>8}")
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            for case, briefing in cases.items():
                html = render(briefing, "html").decode("utf-8")
                for paper in ("A4", "Letter"):
                    runs = []
                    started = time.perf_counter()
                    ours = render_pdf(briefing, paper=paper)
                    runs.append(("pdf", ours, time.perf_counter() - started))
                    if have_browser:
                        printed, seconds = chromium_pdf(html, paper, work, f"{case}-{paper}")
                        runs.append(("chromium", printed, seconds))
                    for renderer, pdf, seconds in runs:
                        result = check(pdf, briefing.marking)
                        to_png(pdf, out / f"{case}-{paper}-{renderer}")
                        bad = bool(result["near_empty"] or result["orphans"])
                        failed = failed or bad
                        print(f"{case:8} {paper:7} {renderer:9} {result['pages']:>5} {len(result['near_empty']):>10} "  # type: ignore[arg-type]
                              f"{len(result['orphans']):>12} {seconds:>8.2f}{'  FAIL ' + str(result) if bad else ''}")  # type: ignore[arg-type]
        print(f"PDFs and PNGs of the first pages: {out}")

    big = varied(args.bench_items)
    print(f"\nrendering a {args.bench_items}-item composed briefing (wall and CPU seconds; the machine's load shows in wall)")
    for fmt in FORMATS:
        render(composed(1), fmt)  # imports and fonts loaded once, as in a running reader
        wall, cpu = time.perf_counter(), time.process_time()
        data = render(big, fmt)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        verdict = "ok" if cpu < 5 else "SLOW"
        print(f"  {fmt:5} {wall:6.2f} s wall {cpu:6.2f} s CPU  {len(data) / 1e6:6.2f} MB  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
