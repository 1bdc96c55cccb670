"""The briefing screen's logic without an app (issue 17): the session's undo, the
saver's order and merges, what ctrl+b says, the dialogs' checks, the outline's rows."""

from __future__ import annotations

import threading

from briefing.brief.model import BriefDoc, Judgment
from briefing.brief.store import load_brief, new_brief, save_brief
from briefing.tui.brief_rows import item_line, judgment_line, section_of
from briefing.tui.features.brief import BriefSaver, BriefSession, SaveJob, SaveResult, added_text
from briefing.tui.screens.brief_dialogs import check_name, overview_line, slug

from .conftest import meta


def doc() -> BriefDoc:
    d = BriefDoc("week", "Week 11")
    d.add(["a", "b"], section="Ports")
    d.add(["c"], section="Weather")
    return d


def test_each_change_is_one_undo_step_and_undo_keeps_the_bottom_line_as_typed(tmp_path):
    session = BriefSession(tmp_path, doc(), None)
    session.edit(lambda d: d.move_by("b", 1))
    assert [[i.id for i in s.items] for s in session.doc.sections] == [["a"], ["b", "c"]]
    session.set_bluf("typed meanwhile")
    session.edit(lambda d: d.remove(["a"]))
    assert session.generation == 3 and session.dirty
    assert session.undo() and session.doc.item_ids() == ["a", "b", "c"]
    assert session.undo() and [[i.id for i in s.items] for s in session.doc.sections] == [["a", "b"], ["c"]]
    assert session.doc.bluf == "typed meanwhile"  # the editor undoes its own typing
    assert not session.undo()


def test_a_change_that_does_nothing_or_is_refused_leaves_no_undo_step(tmp_path):
    session = BriefSession(tmp_path, doc(), None)
    session.edit(lambda d: d.move_by("a", -1))  # first place already
    assert session.undo_stack == [] and not session.dirty
    try:
        session.edit(lambda d: (d.remove(["a"]), d.add_judgment(Judgment("  "))))
    except ValueError:
        pass
    assert session.doc.item_ids() == ["a", "b", "c"] and session.undo_stack == []  # refused part-way: nothing changed


def test_a_save_merges_a_change_made_elsewhere_and_the_next_save_keeps_it(tmp_path):
    new_brief(tmp_path, "week", title="Week 11")
    loaded = load_brief(tmp_path, "week")
    posted: list[SaveResult] = []
    started: list[threading.Thread] = []

    def start(drain):
        thread = threading.Thread(target=drain)
        started.append(thread)
        thread.start()

    saver = BriefSaver(start, posted.append)
    saver.reset("week", loaded.stamp)
    # someone else changes the title on disk
    other = load_brief(tmp_path, "week")
    other.doc.title = "Their title"
    save_brief(tmp_path, other.doc, other.stamp)
    ours = loaded.doc
    ours.bluf = "Ours."
    saver.submit(SaveJob(tmp_path, BriefDoc(**{**ours.__dict__}), 1))
    assert saver.wait(10)
    assert posted[-1].error is None and posted[-1].merged is not None and posted[-1].merged.title == "Their title"
    on_disk = load_brief(tmp_path, "week").doc
    assert on_disk.title == "Their title" and on_disk.bluf == "Ours."
    # the next save is based on the merged file: their title is not reverted
    session = BriefSession(tmp_path, ours, loaded.stamp)
    session.take_merge(posted[-1].saved, posted[-1].merged)
    session.set_bluf("Ours, again.")
    saver.submit(SaveJob(tmp_path, session.doc, 2))
    assert saver.wait(10)
    on_disk = load_brief(tmp_path, "week").doc
    assert on_disk.title == "Their title" and on_disk.bluf == "Ours, again." and posted[-1].merged is None
    for thread in started:
        thread.join(5)


def test_ctrl_b_says_how_many_went_in_and_how_many_were_there():
    assert added_text(2, 2, "Week") == "Added 2 articles to the briefing “Week”."
    assert added_text(1, 3, "Week") == "Added 1 article to the briefing “Week”; 2 were already there."
    assert added_text(0, 1, "Week") == "Already in the briefing “Week”: the article. Nothing added."
    assert added_text(0, 4, "[b]W\x1b[31m") == "Already in the briefing “[b]W\ufffd”: all 4 articles. Nothing added."


def test_a_new_briefing_name_is_checked_before_anything_is_written():
    assert check_name("week-11", ["other"]) is None
    assert "exists" in (check_name("week", ["week"]) or "")
    for bad in ("", "../up", ".hidden", "a/b", "x" * 101):
        assert check_name(bad, []) is not None, bad
    assert slug("Energy week 49: Kyiv!") == "energy-week-49-kyiv"


def test_outline_rows_and_lines_are_plain_text():
    hostile = meta("x.txt", "[bold red]T[/] \x1b]0;pwn\x07", None, source="[@click=app.quit]S")
    line = item_line(3, "x.txt", hostile, "[i]why[/i]")
    assert "[bold red]T[/]" in line.plain and "\x1b" not in line.plain and "[@click=app.quit]S" in line.plain
    assert "why: [i]why[/i]" in line.plain and "undated" in line.plain
    assert "(not in the corpus)" in item_line(1, "gone.txt", None, "").plain
    judged = judgment_line(2, "Prices rise.", "likely / probable", [1, 3], 1)
    assert judged.plain == "2. [likely / probable] Prices rise.  (sources 1, 3; 1 highlight)"
    assert section_of(doc(), "c") == 1 and section_of(doc(), "zz") is None


def test_an_accepted_overview_sentence_keeps_its_source_number():
    class Suggestion:
        text = "Power was cut\x1b[31m in Kharkiv."
        cite = 3

    assert overview_line(Suggestion()) == "Power was cut\ufffd in Kharkiv. [3]"


def test_the_last_save_is_handed_over_with_the_saver_idle(tmp_path):
    """The screen redraws its head ("saved" or "saving…") when a result arrives: by
    then the saver must no longer say it is busy, or the head would stay "saving…"
    (nothing redraws it later)."""
    new_brief(tmp_path, "week", title="Week 11")
    loaded = load_brief(tmp_path, "week")
    busy_when_posted: list[bool] = []
    saver: BriefSaver
    started: list[threading.Thread] = []

    def post(result):
        busy_when_posted.append(saver.busy)

    def start(drain):
        thread = threading.Thread(target=drain)
        started.append(thread)
        thread.start()

    saver = BriefSaver(start, post)
    saver.reset("week", loaded.stamp)
    doc = loaded.doc
    doc.bluf = "One."
    saver.submit(SaveJob(tmp_path, BriefDoc(**{**doc.__dict__}), 1))
    assert saver.wait(10)
    assert busy_when_posted == [False]
    assert load_brief(tmp_path, "week").doc.bluf == "One."
    for thread in started:
        thread.join(5)
