"""The reader's state and the pure functions over it (no app, no Pilot)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefing.annotations import Change, open_store
from briefing.annotations.filter import Filter
from briefing.annotations.schema import ArticleNotes
from briefing.index.query import SearchHit
from briefing.stories import Stories, Story
from briefing.tui import state as view
from briefing.tui.state import ReaderState, Selection, Targets
from briefing.tui.stories import story_rows

from .conftest import FakeCorpus, meta

D1, D2 = dt.date(2024, 3, 1), dt.date(2024, 3, 2)
STORY = Story("old.txt", ("old.txt", "new.txt"), (1.0, 0.9))
STORIES = Stories([STORY], 0.2, 7)


def _corpus(tmp_path: Path) -> FakeCorpus:
    return FakeCorpus(tmp_path, [meta("new.txt", "New report", D2), meta("old.txt", "Old report", D1),
                                 meta("solo.txt", "A very long title " * 5, D1)])


def _state(tmp_path: Path, **kw) -> ReaderState:
    return ReaderState(tmp_path, "default", 3, corpus=_corpus(tmp_path), **kw)


def _story_row():
    metas = [meta("new.txt", "New report", D2), meta("old.txt", "Old report", D1)]
    (row,) = story_rows(metas, STORIES)
    return row


def _title(article_id: str) -> str:
    return {"old.txt": "Old report", "new.txt": "New report"}.get(article_id, "A very long title " * 5)


# --- which articles an action touches -------------------------------------------------------


def test_bulk_actions_take_the_marked_rows_first():
    selection = Selection(True, "solo.txt", None, ("a.txt", "b.txt"))
    assert view.targets(selection, "solo.txt", bulk=True, title_of=_title).ids == ["a.txt", "b.txt"]
    # one-article actions ignore the marks: the article in focus
    assert view.targets(selection, None, bulk=False, title_of=_title).ids == ["solo.txt"]


def test_a_bulk_action_on_a_story_row_takes_every_member_and_names_the_story():
    row = _story_row()
    chosen = view.targets(Selection(True, "old.txt", row), None, bulk=True, title_of=_title)
    assert chosen.ids == ["old.txt", "new.txt"] and chosen.story == STORY
    assert view.describe(chosen, _title) == "the 2 articles of the story “Old report”"
    # a one-article action on the same row: the article it shows
    one = view.targets(Selection(True, "old.txt", row), None, bulk=False, title_of=_title)
    assert one.ids == ["old.txt"] and one.story is None
    # the list without the focus: the story row does not count, the open article does
    away = view.targets(Selection(False, "old.txt", row), "solo.txt", bulk=True, title_of=_title)
    assert away.ids == ["solo.txt"] and away.story is None


def test_the_article_in_focus_is_the_open_one_unless_the_list_has_the_focus():
    assert view.focused_id(Selection(False, "a.txt"), "b.txt") == "b.txt"
    assert view.focused_id(Selection(True, "a.txt"), "b.txt") == "a.txt"
    assert view.focused_id(Selection(False, "a.txt"), None) == "a.txt"
    assert not view.targets(Selection(), None, bulk=True, title_of=_title)


def test_describe_counts_marked_articles_and_cuts_long_titles():
    assert view.describe(Targets(["a", "b", "c"]), _title) == "3 marked articles"
    one = view.describe(Targets(["solo.txt"]), _title)
    assert one.startswith("“A very long title") and one.endswith("…”") and len(one) == 50 + 3


def _change(action: str, ids: tuple[str, ...]) -> Change:
    return Change(action, ids, {i: ArticleNotes() for i in ids}, {i: ArticleNotes(flagged=True) for i in ids})


def test_a_change_on_a_story_says_what_it_did_to_every_member():
    chosen = Targets(["old.txt", "new.txt"], STORY, "Old report")
    note = view.story_change_note(_change("flag", ("old.txt", "new.txt")), chosen)
    assert note == "Flagged 2 articles of the story “Old report” (one undo step)."
    unflag = view.story_change_note(_change("unflag", ("old.txt", "new.txt")), chosen)
    assert unflag is not None and unflag.startswith("Unflagged 2 articles")
    read = view.story_change_note(_change("mark read", ("old.txt", "new.txt")), chosen)
    assert read is not None and read.startswith("Marked read 2 articles")
    assert view.story_change_note(_change("undo flag", ("old.txt", "new.txt")), chosen) is None
    assert view.story_change_note(_change("flag", ("old.txt",)), chosen) is None  # not every member
    assert view.story_change_note(_change("add note", ("old.txt", "new.txt")), chosen) is None
    assert view.story_change_note(_change("flag", ("a",)), Targets(["a"])) is None  # no story


def test_compare_takes_marked_rows_or_the_story_in_focus(tmp_path):
    state = _state(tmp_path, stories=STORIES)
    marked = view.compare_choice(Selection(True, "a", None, ("a", "b")), state, _title)
    assert (marked.ids, marked.size, marked.refusal) == (["a", "b"], 2, "")
    # the member in focus takes the citations: it comes first
    own = view.compare_choice(Selection(False, None), _state(tmp_path, stories=STORIES, current_id="new.txt"), _title)
    assert (own.ids, own.size) == (["new.txt", "old.txt"], 2)
    row = view.compare_choice(Selection(True, "old.txt", _story_row()), state, _title)
    assert row.ids == ["old.txt", "new.txt"]


def test_compare_says_why_there_is_nothing_to_compare(tmp_path):
    on_solo = Selection(False, None)
    alone = view.compare_choice(on_solo, _state(tmp_path, stories=STORIES, current_id="solo.txt"), _title)
    assert alone.refusal.startswith("“A very long title") and "no other version" in alone.refusal
    off = view.compare_choice(on_solo, _state(tmp_path, grouping=False, current_id="solo.txt"), _title)
    assert "not grouped" in off.refusal
    waiting = view.compare_choice(on_solo, _state(tmp_path, current_id="solo.txt"), _title)
    assert "still being grouped" in waiting.refusal
    nothing = view.compare_choice(Selection(True, None), _state(tmp_path, stories=STORIES), _title)
    assert nothing.refusal.startswith("No article to compare")


# --- which rows, and what the list and the status line say -------------------------------------


def test_the_listing_applies_the_analysts_dates_and_is_kept_until_they_change(tmp_path):
    state = _state(tmp_path)
    store, _ = open_store(tmp_path, state.corpus.articles)
    listing = view.Listing()
    first = listing.metas(state, store)
    assert [m.id for m in first] == ["new.txt", "old.txt", "solo.txt"]
    assert listing.metas(state, store) is first
    store.set_date(["solo.txt"], "2024-03-05")
    assert listing.metas(state, store) is first  # nothing said it changed
    state.listing_generation += 1
    again = listing.metas(state, store)
    assert [m.id for m in again] == ["solo.txt", "new.txt", "old.txt"] and again[0].date == dt.date(2024, 3, 5)


def test_a_filter_is_applied_each_time(tmp_path):
    state = _state(tmp_path)
    store, _ = open_store(tmp_path, state.corpus.articles)
    store.add_tags(["old.txt"], ["energy"])
    state.filter = Filter(tags=("energy",))
    listing = view.Listing()
    assert [m.id for m in listing.metas(state, store)] == ["old.txt"]
    store.add_tags(["new.txt"], ["energy"])
    assert [m.id for m in listing.metas(state, store)] == ["new.txt", "old.txt"]
    assert view.listed_metas(state.corpus.articles, None, state.filter) == list(state.corpus.articles)  # no store


def test_list_message_and_status_line(tmp_path):
    state = _state(tmp_path)
    assert view.list_message(state, True) is None
    state.filter = Filter(statuses=("flagged",))
    assert view.list_message(state, False).startswith("No articles match the filter (status flagged)")
    state.query_text, state.hits = "kyiv", {}
    assert view.list_message(state, True).startswith("No articles match “kyiv”")
    state.hits = {"old.txt": SearchHit("old.txt", "Old report")}
    fields = view.status_fields(state, 1)
    assert (fields.shown, fields.total, fields.query, fields.filter_text) == (1, 3, "kyiv", "status flagged")
    assert view.export_filter(state) == Filter(statuses=("flagged",), search="kyiv")
    state.hits, state.filter, state.stories_note = None, Filter(), "grouping stories…"
    fields = view.status_fields(state, 1)
    assert fields.shown == 3 and fields.busy == "grouping stories…"
    assert view.status_fields(state, 1, "searching…").busy == "searching…"
    assert view.export_filter(state) == Filter()  # typed but not searched: no search


def test_the_state_knows_what_is_shown(tmp_path):
    state = _state(tmp_path, stories=STORIES)
    assert state.loaded and state.shown_stories() is STORIES and state.listed("old.txt")
    assert not state.listed("gone.txt")
    state.grouping = False
    assert state.shown_stories() is None
    state.query_text = "kyiv"
    assert state.searched == ""  # typed, no result yet
    state.hits = {}
    assert state.searched == "kyiv"
    assert not ReaderState(tmp_path, "default", 3).loaded
