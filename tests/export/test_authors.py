"""--authors names who wrote each note and highlight; by default a briefing sent
out names no one (the JSON has no "by" then)."""

from __future__ import annotations

import json
from dataclasses import replace

from briefing.export import Filter, export_briefing

from .conftest import SMOLENSK
from .test_golden import OPTIONS


def _annotate(store):
    store.author = "Ann <Analyst>"
    store.add_note(SMOLENSK, "Check the governor's figures", at="2024-05-02T09:00:00Z")
    store.add_highlight(SMOLENSK, "civilian fuel and energy", "")


def test_authors_are_hidden_by_default(loaded):
    corpus, store = loaded
    _annotate(store)
    for fmt in ("md", "html", "json"):
        text = export_briefing(corpus, store, Filter(), fmt, OPTIONS).text
        assert "Ann" not in text, fmt
    data = json.loads(export_briefing(corpus, store, Filter(), "json", OPTIONS).text)
    assert all("by" not in n for item in data["items"] for n in item["notes"])


def test_authors_are_named_when_asked_and_escaped_per_format(loaded):
    corpus, store = loaded
    _annotate(store)
    options = replace(OPTIONS, authors=True)
    md = export_briefing(corpus, store, Filter(), "md", options).text
    assert "- Check the governor's figures *(Ann \\<Analyst\\>)*\n" in md  # inert Markdown: no raw tag
    assert "> *highlighted by Ann \\<Analyst\\>*\n" in md
    html = export_briefing(corpus, store, Filter(), "html", options).text
    assert '<span class="by">(Ann &lt;Analyst&gt;)</span>' in html and "<Analyst>" not in html
    data = json.loads(export_briefing(corpus, store, Filter(), "json", options).text)
    (item,) = [i for i in data["items"] if i["id"] == SMOLENSK]
    assert {"text": "Check the governor's figures", "at": "2024-05-02T09:00:00Z", "by": "Ann <Analyst>"} in item["notes"]
    assert any(h.get("by") == "Ann <Analyst>" for h in item["highlights"])
