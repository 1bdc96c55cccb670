"""Golden files: the exports of the annotated sample corpus, checked by eye and
committed under tests/export/golden/. The summary method is ``lead`` so that the
expected text does not move when the default ranker is tuned."""

from __future__ import annotations

import json

from briefing.annotations.filter import split_tags
from briefing.export import BriefingOptions, Filter, export_briefing

from .conftest import GOLDEN

OPTIONS = BriefingOptions(title="Energy week", analyst="A. Analyst", method="lead")


def test_markdown_by_date_matches_golden(loaded):
    corpus, store = loaded
    result = export_briefing(corpus, store, Filter(), "md", OPTIONS)
    assert result.count == 4
    assert result.text == (GOLDEN / "briefing_by_date.md").read_text(encoding="utf-8")


def test_markdown_by_tag_with_tag_filter_matches_golden(loaded):
    corpus, store = loaded
    options = BriefingOptions(title="Energy", method="lead", sentences=1, group_by="tag")
    result = export_briefing(corpus, store, Filter(tags=split_tags(["energy"])), "md", options)
    assert result.count == 2
    assert result.text == (GOLDEN / "briefing_by_tag_energy.md").read_text(encoding="utf-8")


def test_json_matches_golden(loaded):
    corpus, store = loaded
    result = export_briefing(corpus, store, Filter(), "json", OPTIONS)
    assert result.text == (GOLDEN / "briefing_by_date.json").read_text(encoding="utf-8")
    data = json.loads(result.text)
    assert data["item_count"] == len(data["items"]) == 4
    assert [item["id"] for item in data["items"]] == ["005_hostile.md", "004_6814731f4ee210d7.txt", "002_779c45f11c9e3794.txt", "000_c25f74af4bc17e80.txt"]


def test_json_follows_the_documented_schema(loaded):
    """Every key the schema requires is there and no other (additionalProperties:
    false), with the documented types: a hand-rolled check of the schema file."""
    from importlib.resources import files

    schema = json.loads(files("briefing.export").joinpath("schema/briefing.schema.json").read_text(encoding="utf-8"))
    corpus, store = loaded
    data = json.loads(export_briefing(corpus, store, Filter(everything=True), "json", OPTIONS).text)

    def check(value, rule, where):
        if "const" in rule:
            assert value == rule["const"], where
        if "enum" in rule:
            assert value in rule["enum"], where
        kinds = rule.get("type")
        if kinds:
            kinds = [kinds] if isinstance(kinds, str) else kinds
            python = {"string": str, "null": type(None), "integer": int, "boolean": bool, "object": dict, "array": list}
            assert any(isinstance(value, python[k]) and not (k == "integer" and isinstance(value, bool)) for k in kinds), where
        if isinstance(value, dict) and "properties" in rule:
            # (version 3: a note's and a highlight's "by" is optional, present with --authors only)
            assert set(rule["required"]) <= set(value) <= set(rule["properties"]), where
            for key, sub in rule["properties"].items():
                if key in value:
                    check(value[key], sub, f"{where}.{key}")
        if isinstance(value, list) and "items" in rule:
            for i, element in enumerate(value):
                check(element, rule["items"], f"{where}[{i}]")

    check(data, schema, "$")
    assert data["item_count"] == 6


def test_markdown_and_json_are_byte_identical_across_runs(loaded, corpus_root):
    from briefing.annotations import open_store
    from briefing.corpus import open_corpus

    corpus, store = loaded
    first = {fmt: export_briefing(corpus, store, Filter(), fmt, OPTIONS).data for fmt in ("md", "json")}
    corpus2 = open_corpus(corpus_root)
    store2, _ = open_store(corpus_root, corpus2.articles)
    second = {fmt: export_briefing(corpus2, store2, Filter(), fmt, OPTIONS).data for fmt in ("md", "json")}
    assert first == second


def test_produced_date_only_when_asked(loaded):
    import datetime as dt

    corpus, store = loaded
    plain = export_briefing(corpus, store, Filter(), "md", OPTIONS).text
    assert "Produced" not in plain
    dated = export_briefing(corpus, store, Filter(), "md", BriefingOptions(method="lead", produced=dt.date(2026, 11, 21))).text
    assert "- **Produced:** 2026-11-21\n" in dated
    data = json.loads(export_briefing(corpus, store, Filter(), "json", BriefingOptions(method="lead", produced=dt.date(2026, 11, 21))).text)
    assert data["produced"] == "2026-11-21"
