"""parse_body (a query's phrase check on many files): the same clean body as a full
parse_bytes, for every kind of single-article file, messy text included."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.corpus import ArticleError, parse_bytes
from briefing.corpus.load import is_container, parse_body

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
MESSY = {
    "glued.txt": b"date 2023-11-06The grid failed at dawn.\n\nBy Anthony Solly\n\nPower came back.\n\nShare this article\n",
    "front.md": b"---\ntitle: Port strike\ndate: 2024-02-01\n---\n# Port strike\n\nDockers walked out.\n\n## The talks\n\nNo deal yet.\n",
    "latin1.txt": "Caf\xe9 owners in K\xf6ln said the White House\x07 called.\n".encode("latin-1"),
    "page.html": b"<html><head><title>Flood</title></head><body><nav>Home</nav><article><h1>Flood</h1>"
                 b"<p>The river rose <b>two</b> metres &amp; more.</p></article></body></html>",
    "only_furniture.txt": b"Share this article\n",
    "empty.md": b"",
}


def cases():
    seeds = sorted(p for p in SEEDS.rglob("*") if p.is_file() and not is_container(str(p)))
    return [(p.name, p.read_bytes()) for p in seeds] + sorted(MESSY.items())


@pytest.mark.parametrize(("name", "data"), cases(), ids=[c[0] for c in cases()])
def test_the_body_alone_is_the_full_parse_body(name, data):
    try:
        expected = parse_bytes(name, name, data).body
    except ArticleError:
        expected = None
    try:
        body = parse_body(name, name, data)
    except ArticleError:
        body = None
    assert body == expected or (expected is None and body == "")  # an empty body: parse_bytes refuses it
