"""A composed briefing as it goes out: golden Markdown and JSON, private text,
hostile text, story summaries, cited differences, the suggested overview (issue 17).

The golden files were generated once from the fixture corpus (tests/brief/conftest.py)
and every line was checked by hand against what the briefing must say: private
note and comment absent, the story's shared facts once with both source numbers,
the cited difference as a sentence, hostile markup escaped, one link (the http(s)
source URL), method names only in the last line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib.resources import files
from pathlib import Path

import pytest

from briefing.annotations import open_store
from briefing.brief.build import compose, difference_sentence, merge_sentences, suggest_overview
from briefing.brief.model import BriefDoc, HighlightRef, Judgment
from briefing.corpus import open_corpus
from briefing.export import BriefingOptions, export_briefing, render
from briefing.export.select import Filter

GOLDEN = Path(__file__).parent / "golden"
OPTIONS = BriefingOptions(method="lead", sentences=2)


def the_doc() -> BriefDoc:
    doc = BriefDoc(name="w", title="Week <b>10</b>", marking="TEAM ONLY", analyst="A. Analyst", date=dt.date(2024, 3, 6),
                   bluf="Power cuts spread.\nPorts reopen.")
    doc.add(["a_story.md"], section="Energy")
    doc.add(["d_plain.txt"], section="Energy")
    doc.add(["c_hostile.md"], section="Trade")
    doc.set_why("a_story.md", "Three regions *dark*")
    doc.add_judgment(Judgment("Outages will last into next week.", "likely / probable", ["a_story.md", "b_story.md"],
                              [HighlightRef("a_story.md", "Engineers expect repairs to take at least four days")]))
    return doc


def composed(root: Path, options: BriefingOptions = OPTIONS):
    corpus = open_corpus(root)
    store, _ = open_store(root, corpus.articles)
    return compose(corpus, store, the_doc(), options)


def test_markdown_matches_golden(brief_corpus):
    assert render(composed(brief_corpus), "md").decode() == (GOLDEN / "composed.md").read_text(encoding="utf-8")


def test_json_matches_golden(brief_corpus):
    assert render(composed(brief_corpus), "json").decode() == (GOLDEN / "composed.json").read_text(encoding="utf-8")


def test_markdown_and_json_are_byte_identical_for_the_same_state(brief_corpus):
    first = composed(brief_corpus)
    second = composed(brief_corpus)
    assert render(first, "md") == render(second, "md") and render(first, "json") == render(second, "json")


def test_sections_items_and_numbered_sources(brief_corpus):
    b = composed(brief_corpus)
    assert [(g.label, [i.id for i in g.items]) for g in b.groups] == [("Energy", ["a_story.md", "d_plain.txt"]), ("Trade", ["c_hostile.md"])]
    assert [i.number for i in b.items] == [1, 2, 3]
    assert [(c.number, c.id) for c in b.cited] == [(1, "a_story.md"), (2, "d_plain.txt"), (3, "c_hostile.md"), (4, "b_story.md")]
    first = b.cited[0]
    assert (first.outlet, first.author, first.date, first.url) == ("Wire One", "Ana Lopes", dt.date(2024, 3, 1), "https://wire.example/grid-cuts")
    assert b.cited[2].url is None  # javascript: is never a source URL
    assert b.judgments[0].cites == (1, 4) and b.judgments[0].highlights[0].endswith("[1]")
    assert b.items[0].why == "Three regions *dark*" and b.items[0].cite == 1


def test_private_text_stays_out_of_every_format_unless_included(brief_corpus, tmp_path):
    secret = ("PRIVATE-NOTE", "PRIVATE-COMMENT")
    b = composed(brief_corpus)
    for fmt in ("md", "json", "html", "docx"):
        data = render(b, fmt)
        if fmt == "docx":
            import io
            import zipfile

            data = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
        assert not any(s.encode() in data for s in secret), fmt
    shared = composed(brief_corpus, BriefingOptions(method="lead", sentences=2, include_private=True))
    text = render(shared, "md").decode()
    assert all(s in text for s in secret)
    # the plain export too
    corpus = open_corpus(brief_corpus)
    store, _ = open_store(brief_corpus, corpus.articles)
    for fmt in ("md", "json", "html"):
        plain = export_briefing(corpus, store, Filter(), fmt, BriefingOptions(method="lead")).data
        assert not any(s.encode() in plain for s in secret), fmt
    plain = export_briefing(corpus, store, Filter(), "md", BriefingOptions(method="lead", include_private=True)).data
    assert all(s.encode() in plain for s in secret)


def test_no_method_jargon_outside_the_appendix_line(brief_corpus):
    text = render(composed(brief_corpus), "md").decode()
    lines = [line for line in text.splitlines() if "method" in line]
    assert lines == ["*Summaries are sentences taken from each article as written (selection method: lead).*"]
    data = json.loads(render(composed(brief_corpus), "json"))
    assert all("method" not in item["summary"] for item in data["items"])


def test_hostile_text_stays_inert_and_only_http_source_urls_are_links(brief_corpus):
    text = render(composed(brief_corpus), "md").decode()
    live = re.sub(r"\\[<>\[\]#*]", "", text)  # what is left once the escaped characters are taken out
    assert re.findall(r"<[^>]*>", live) == ["<https://wire.example/grid-cuts>"]  # the one link: an http(s) source URL
    assert "[" not in live and "](" not in live  # no Markdown link or image can start
    assert "\\# not a heading" in text and "\n# not a heading" not in text
    assert "\\*\\*bold\\*\\*" in text


def test_composed_json_follows_the_schema(brief_corpus):
    schema = json.loads(files("briefing.export").joinpath("schema/briefing.schema.json").read_text(encoding="utf-8"))
    rule = schema["$defs"]["composed"]
    data = json.loads(render(composed(brief_corpus), "json"))

    def check(value, rule, where):
        if "const" in rule:
            assert value == rule["const"], where
        kinds = rule.get("type")
        if kinds:
            kinds = [kinds] if isinstance(kinds, str) else kinds
            python = {"string": str, "null": type(None), "integer": int, "boolean": bool, "object": dict, "array": list}
            assert any(isinstance(value, python[k]) for k in kinds), where
        if isinstance(value, dict) and "properties" in rule:
            assert set(rule["required"]) <= set(value) <= set(rule["properties"]), where
            for key, sub in rule["properties"].items():
                if key in value:
                    check(value[key], sub, f"{where}.{key}")
        if isinstance(value, list) and "items" in rule:
            for i, element in enumerate(value):
                check(element, rule["items"], f"{where}[{i}]")

    check(data, rule, "$")


def test_merge_sentences_keeps_each_fact_once_with_every_source():
    merged = merge_sentences([
        (1, ["The port closed on Friday after the strike.", "Ships waited offshore."]),
        (3, ["The port closed on Friday after a strike.", "Prices of fuel rose sharply."]),
    ])
    assert merged == [
        ("The port closed on Friday after the strike.", (1, 3)),
        ("Ships waited offshore.", (1,)),
        ("Prices of fuel rose sharply.", (3,)),
    ]


@pytest.mark.parametrize(
    ("note", "sentence"),
    [
        ('Date differs from "Other title" (undated, 002_x.txt): "so far this year" vs (not mentioned)',
         "Only this report gives a date here: \u201cso far this year\u201d; \u201cOther title\u201d [2] does not mention it."),
        ('Number differs from "T" (2024-01-02, 002_x.txt): "70" vs "80"',
         "The versions differ on a figure: this report says \u201c70\u201d, while \u201cT\u201d [2] says \u201c80\u201d."),
        ('Only here, not in "T" (2024-01-02, 002_x.txt): "Ships waited."',
         "Only this report reports: \u201cShips waited.\u201d; it is not in \u201cT\u201d [2]."),
        ('Not here; only in "T" (undated, 002_x.txt): "Ships waited."',
         "This report leaves out what \u201cT\u201d [2] report: \u201cShips waited.\u201d."),
        ("just a note", None),
    ],
)
def test_cited_differences_become_sentences(note, sentence):
    assert difference_sentence(note, "this report", {"002_x.txt": 2}) == sentence


def test_suggest_overview_offers_central_sentences_with_source_numbers_none_alike(brief_corpus):
    corpus = open_corpus(brief_corpus)
    store, _ = open_store(brief_corpus, corpus.articles)
    doc = BriefDoc(name="w", title="W")
    doc.add(["a_story.md", "b_story.md", "d_plain.txt"])
    offered = suggest_overview(corpus, doc, 3, store=store, options=OPTIONS)
    assert len(offered) == 3
    # a's and b's shared opening sentence is the most central; it is offered once
    texts = [s.text for s in offered]
    assert sum("cut power to three regions" in t for t in texts) == 1
    assert {s.cite for s in offered} <= {1, 2, 3}
    assert all(s.cite == doc.item_ids().index(s.id) + 1 for s in offered)
    assert doc.bluf == ""  # never inserted
