"""The composed briefing's document model and confidence scale (issue 17)."""

from __future__ import annotations

import pytest

from briefing.brief.model import ICD203, BriefDoc, BriefDocError, ConfidenceScale, Judgment, check_term, scale_from_settings


def doc(**sections: list[str]) -> BriefDoc:
    d = BriefDoc(name="w", title="W")
    for name, ids in sections.items():
        d.add(ids, section=name)
    return d


def layout(d: BriefDoc) -> list[tuple[str, list[str]]]:
    return [(s.name, [i.id for i in s.items]) for s in d.sections]


def test_add_appends_skips_present_ids_and_defaults_to_items():
    d = BriefDoc(name="w", title="W")
    assert d.add(["a", "b", "a"]) == 2
    assert d.add(["b", "c"]) == 1
    assert layout(d) == [("Items", ["a", "b", "c"])]
    assert d.add(["d"], section="Energy") == 1
    assert d.add(["e"]) == 1  # no section named: the last one
    assert d.add(["a"], section="Energy") == 0  # already present elsewhere: not moved, not doubled
    assert layout(d) == [("Items", ["a", "b", "c"]), ("Energy", ["d", "e"])]


def test_add_by_tag_names_the_section_after_the_tag_and_matches_sections_ignoring_case():
    d = BriefDoc(name="w", title="W")
    d.add(["a"], tag="energy")
    d.add(["b"], section="ENERGY")
    assert layout(d) == [("energy", ["a", "b"])] and d.sections[0].tag == "energy"


def test_remove_counts_what_was_there():
    d = doc(A=["a", "b"], B=["c"])
    assert d.remove(["b", "c", "zz"]) == 2
    assert layout(d) == [("A", ["a"]), ("B", [])]


def test_move_to_position_and_section():
    d = doc(A=["a", "b", "c"], B=["d"])
    d.move("c", to=1)
    assert layout(d) == [("A", ["c", "a", "b"]), ("B", ["d"])]
    d.move("a", section="B", to=1)
    assert layout(d) == [("A", ["c", "b"]), ("B", ["a", "d"])]
    d.move("c", to=99)  # past the end: the end
    assert layout(d) == [("A", ["b", "c"]), ("B", ["a", "d"])]
    d.move("b", section="New")
    assert layout(d)[-1] == ("New", ["b"])
    with pytest.raises(BriefDocError):
        d.move("b")
    with pytest.raises(BriefDocError):
        d.move("b", to=0)
    with pytest.raises(KeyError):
        d.move("nope", to=1)


def test_move_by_crosses_section_edges_and_stops_at_document_ends():
    d = doc(A=["a", "b"], B=["c"])
    d.move_by("b", 1)
    assert layout(d) == [("A", ["a"]), ("B", ["b", "c"])]
    d.move_by("b", -1)
    assert layout(d) == [("A", ["a", "b"]), ("B", ["c"])]
    d.move_by("a", -1)
    assert layout(d) == [("A", ["a", "b"]), ("B", ["c"])]
    d.move_by("c", 1)
    assert layout(d) == [("A", ["a", "b"]), ("B", ["c"])]
    d.move_by("a", 2)
    assert layout(d) == [("A", ["b"]), ("B", ["a", "c"])]
    assert d.item_ids() == ["b", "a", "c"]


def test_why_and_judgments():
    d = doc(A=["a"])
    d.set_why("a", "  matters  ")
    assert d.item("a").why == "matters"
    assert d.add_judgment(Judgment("one")) == 1
    assert d.add_judgment(Judgment("two", "likely / probable", ["a"])) == 2
    assert d.move_judgment(1, -1) == 0
    assert [j.text for j in d.judgments] == ["two", "one"]
    assert d.remove_judgment(1).text == "one"
    with pytest.raises(IndexError):
        d.remove_judgment(5)
    with pytest.raises(BriefDocError):
        d.add_judgment(Judgment("   "))


def test_icd203_has_seven_terms_each_with_a_synonym_and_check_term_accepts_either():
    assert len(ICD203.terms) == 7 and all("/" in t for t in ICD203.terms)
    assert check_term(ICD203, "Likely") == "likely / probable"
    assert check_term(ICD203, "highly  improbable") == "very unlikely / highly improbable"
    assert check_term(ICD203, "almost certain / nearly certain") == "almost certain / nearly certain"
    assert check_term(ICD203, "remote") == "almost no chance / remote"
    with pytest.raises(ValueError) as err:
        check_term(ICD203, "probably maybe")
    assert "roughly even chance" in str(err.value)


def test_scale_from_settings_reads_a_list_or_a_mapping_and_defaults_to_icd203():
    assert scale_from_settings({}) is ICD203
    assert scale_from_settings(object()) is ICD203
    s = scale_from_settings({"confidence_scale": ["low", "moderate", "high"]})
    assert s.terms == ("low", "moderate", "high")
    assert check_term(s, "HIGH") == "high"
    s = scale_from_settings({"confidence_scale": {"name": "Ours", "terms": ["low", "high"]}})
    assert s == ConfidenceScale("Ours", ("low", "high"))
    for bad in ("high", ["low", ""], ["low", "Low"], {"terms": "x"}):
        with pytest.raises(ValueError, match="confidence_scale"):
            scale_from_settings({"confidence_scale": bad})
