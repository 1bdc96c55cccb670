"""Composed briefings on disk: briefings/NAME.yaml beside the annotations (issue 17)."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest
from click.testing import CliRunner

from briefing.brief.model import BriefDoc, HighlightRef, Judgment
from briefing.brief.store import (
    BriefError,
    Stamp,
    check_name,
    dumps,
    list_briefs,
    load_brief,
    merge_docs,
    new_brief,
    parse,
    save_and_reload,
    save_brief,
)
from briefing.cli import main
from briefing.team.mergefile import kind_for, merge_bytes


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "001.txt").write_text("A headline\n\nSome text here.\n")
    return root


def full_doc() -> BriefDoc:
    d = BriefDoc(
        name="weekly", title='Weekly: "grid" \n two lines', marking="OFFICIAL", analyst="Ana", date=dt.date(2026, 12, 5), bluf="Bottom\nline"
    )
    d.add(["001.txt", "sub/x#k\\u0023y"], section="Energy")
    d.add(["no"], tag="1e3")
    d.set_why("001.txt", "It \x1b[31m matters")
    d.add_judgment(Judgment("Outages spread.", "likely / probable", ["001.txt"], [HighlightRef("001.txt", "half: of")]))
    return d


def test_a_document_round_trips_exactly_through_the_file_bytes(corpus):
    d = full_doc()
    data = dumps(d)
    assert dumps(d) == data  # deterministic
    back, conflicts = parse(data, "weekly")
    assert back == d and conflicts == []
    text = data.decode()
    assert "\x1b" not in text and 'tag: "1e3"' in text and 'id: "no"' in text


def test_new_load_save_and_list(corpus):
    made = new_brief(corpus, "weekly", title="Weekly", marking="TEAM", analyst="Ana")
    assert (corpus / "briefings" / "weekly.yaml").is_file()
    loaded = load_brief(corpus, "weekly.yaml")  # the suffix is accepted and dropped
    assert loaded.doc == made
    loaded.doc.add(["001.txt"])
    stamp = save_brief(corpus, loaded.doc, loaded.stamp)
    assert stamp.data == (corpus / "briefings" / "weekly.yaml").read_bytes()
    assert load_brief(corpus, "weekly").doc.item_ids() == ["001.txt"]
    new_brief(corpus, "another one")
    infos = list_briefs(corpus)
    assert [(i.name, i.title, i.items, i.problem) for i in infos] == [("another one", "another one", 0, ""), ("weekly", "Weekly", 1, "")]
    assert all(isinstance(i.modified, dt.datetime) for i in infos)
    with pytest.raises(BriefError, match="exists already"):
        new_brief(corpus, "weekly")
    with pytest.raises(BriefError, match="no briefing named 'nope'"):
        load_brief(corpus, "nope")


def test_list_is_empty_without_a_folder_and_makes_none(corpus):
    assert list_briefs(corpus) == []
    assert not (corpus / "briefings").exists()


@pytest.mark.parametrize("bad", ["", "../x", "a/b", ".hidden", "x" * 101, "a\\b", "tab\there", "end.", "nul\x00"])
def test_names_with_path_parts_or_odd_characters_are_refused(bad):
    with pytest.raises(BriefError):
        check_name(bad)


def test_good_names():
    assert check_name(" Weekly-2026_12.v2 ") == "Weekly-2026_12.v2"
    assert check_name("Сводка") == "Сводка"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"title: !!python/object/apply:os.system [ls]\n", "line 1"),
        (b"title: x\nsections:\n  - name: A\n    items:\n      - id: a\n      - id: a\n", "listed twice"),
        (b'title: x\nversion: "9"\n', "newer briefing"),
        (b"title: x\nsurprise: 1\n", "unknown field 'surprise'"),
        (b"title: [1, 2]\n", "title must be text"),
        (b"\xff\xfe", "not UTF-8"),
        (b"a: &x 1\nb: *x\n", "line"),
        (b"title: x\ndate: yesterday\n", "YYYY-MM-DD"),
    ],
)
def test_a_broken_or_hostile_file_names_the_file_and_line_and_is_not_rewritten(corpus, content, words):
    folder = corpus / "briefings"
    folder.mkdir()
    (folder / "bad.yaml").write_bytes(content)
    with pytest.raises(BriefError) as err:
        load_brief(corpus, "bad")
    assert str(folder / "bad.yaml") in str(err.value) and words in str(err.value)
    (info,) = list_briefs(corpus)
    assert info.name == "bad" and str(folder / "bad.yaml") in info.problem
    with pytest.raises(BriefError):
        save_brief(corpus, BriefDoc(name="bad", title="t"), Stamp(b"title: x\n"))
    assert (folder / "bad.yaml").read_bytes() == content


def test_never_writes_through_a_link_file_or_folder(corpus, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "target.yaml").write_bytes(b"keep")
    (corpus / "briefings").mkdir()
    os.symlink(outside / "target.yaml", corpus / "briefings" / "evil.yaml")
    with pytest.raises(BriefError, match="symbolic link"):
        save_brief(corpus, BriefDoc(name="evil", title="t"), Stamp(None))
    with pytest.raises(BriefError, match="symbolic link"):
        load_brief(corpus, "evil")
    assert (outside / "target.yaml").read_bytes() == b"keep"
    assert list_briefs(corpus)[0].problem  # listed, with the reason
    os.unlink(corpus / "briefings" / "evil.yaml")
    shutil.rmtree(corpus / "briefings")
    os.symlink(outside, corpus / "briefings")
    with pytest.raises(BriefError, match="link"):
        new_brief(corpus, "x")
    assert sorted(p.name for p in outside.iterdir()) == ["target.yaml"]


def test_a_save_after_someone_else_saved_merges_both_changes(corpus):
    new_brief(corpus, "w", title="T")
    mine, theirs = load_brief(corpus, "w"), load_brief(corpus, "w")
    theirs.doc.add(["b.txt"], section="Them")
    theirs.doc.bluf = "their bottom line"
    save_brief(corpus, theirs.doc, theirs.stamp)
    mine.doc.add(["a.txt"], section="Mine")
    mine.doc.title = "My title"
    saved = save_and_reload(corpus, mine.doc, mine.stamp)
    again = load_brief(corpus, "w")
    assert again.doc == saved.doc
    assert again.doc.title == "My title" and again.doc.bluf == "their bottom line"
    assert sorted(again.doc.item_ids()) == ["a.txt", "b.txt"]
    assert again.conflicts == []


def test_both_changing_one_value_keeps_ours_and_records_the_other(corpus):
    new_brief(corpus, "w", title="T")
    mine, theirs = load_brief(corpus, "w"), load_brief(corpus, "w")
    theirs.doc.title = "Theirs"
    save_brief(corpus, theirs.doc, theirs.stamp)
    mine.doc.title = "Ours"
    save_brief(corpus, mine.doc, mine.stamp, now="2026-12-05T07:00:00Z", by="Ana")
    again = load_brief(corpus, "w")
    assert again.doc.title == "Ours"
    assert again.conflicts == [{"field": "title", "kept": "Ours", "other": "Theirs", "base": "T", "at": "2026-12-05T07:00:00Z", "by": "Ana"}]


def test_a_new_briefing_whose_name_was_taken_meanwhile_is_refused(corpus):
    new_brief(corpus, "w", title="first")
    with pytest.raises(BriefError, match="exists already"):
        save_brief(corpus, BriefDoc(name="w", title="second"), Stamp(None))
    assert load_brief(corpus, "w").doc.title == "first"


def test_merge_keeps_moves_removals_and_reorders_of_each_side():
    base = BriefDoc(name="w", title="T")
    base.add(["a", "b", "c"], section="A")
    base.add(["d"], section="B")
    ours, theirs = parse(dumps(base), "w")[0], parse(dumps(base), "w")[0]
    ours.move("c", to=1)  # ours reorders A
    ours.remove(["d"])
    theirs.move("a", section="B")  # theirs moves a to B
    theirs.add(["e"], section="A")
    theirs.set_why("b", "why b")
    merged, found = merge_docs(base, ours, theirs)
    # ours' order of A (ours reordered it); theirs' new e goes after its neighbour c in theirs
    assert [(s.name, [i.id for i in s.items]) for s in merged.sections] == [("A", ["c", "e", "b"]), ("B", ["a"])]
    assert merged.item("b").why == "why b" and found == []


def test_merge_judgments_by_text_and_cites_as_sets():
    base = BriefDoc(name="w", title="T")
    base.add_judgment(Judgment("J", "likely / probable", ["a"]))
    ours, theirs = parse(dumps(base), "w")[0], parse(dumps(base), "w")[0]
    ours.judgments[0].cites.append("b")
    theirs.judgments[0].cites.append("c")
    theirs.add_judgment(Judgment("K"))
    merged, _ = merge_docs(base, ours, theirs)
    assert [(j.text, j.cites) for j in merged.judgments] == [("J", ["a", "b", "c"]), ("K", [])]


def test_git_merge_driver_knows_briefing_files_by_path_and_content():
    base = BriefDoc(name="", title="T")
    data = dumps(base)
    assert kind_for("briefings/weekly.yaml").name == "briefing"
    assert kind_for("team/corpus/briefings/weekly.yaml").name == "briefing"
    assert kind_for(None, data).name == "briefing"
    ours, theirs = parse(data, "")[0], parse(data, "")[0]
    ours.title, theirs.title = "O", "X"
    ours.add(["a"])
    result = merge_bytes(data, dumps(ours), dumps(theirs), "briefings/w.yaml", now="now", by="Bo")
    merged, conflicts = parse(result.data, "")
    assert result.kind == "briefing" and merged.title == "O" and merged.item_ids() == ["a"]
    assert conflicts[0]["other"] == "X" and len(result.conflicts) == 1


def test_merge_file_command_exit_codes_for_briefings(tmp_path):
    base = BriefDoc(name="", title="T")
    files = {}
    for side, title in (("base", "T"), ("ours", "T"), ("theirs", "T2")):
        d = parse(dumps(base), "")[0]
        d.title = title
        if side == "ours":
            d.bluf = "mine"
        files[side] = tmp_path / side
        files[side].write_bytes(dumps(d))
    result = CliRunner().invoke(main, ["merge-file", str(files["base"]), str(files["ours"]), str(files["theirs"]), "briefings/w.yaml"])
    assert result.exit_code == 0, result.output
    merged = parse(files["ours"].read_bytes(), "")[0]
    assert (merged.title, merged.bluf) == ("T2", "mine")
    files["theirs"].write_bytes(b"title: !!python/name:os.system x\n")
    result = CliRunner().invoke(main, ["merge-file", str(files["base"]), str(files["ours"]), str(files["theirs"]), "briefings/w.yaml"])
    assert result.exit_code == 2 and "not a valid briefing file" in result.stderr
