"""Bulk marks and redo (issue 15): ctrl+a, *, J/K and shift+↓/↑, R, ctrl+y and ctrl+shift+z.

Each test reads annotations.yaml back with an independent YAML reader (after the
save queue is flushed) or the list's marks back.
"""

from __future__ import annotations

import yaml

from briefing.tui.app import BriefingApp
from briefing.tui.features.bulk import read_text
from briefing.tui.keys import key_entries
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.status_bar import StatusBar

from .conftest import drive, flush_saves, plain, settle, wait_until

BODIES = [
    "Harbour cranes stood idle at dawn. Dockers walked out over pay in the northern port.",
    "Wheat prices climbed sharply on the Chicago exchange after drought hit Kansas farms.",
    "River floods forced villagers onto rooftops; rescue boats ferried elderly residents inland.",
    "Engineers rebuilt transformer stations overnight so hospitals regained electricity by noon.",
    "Commuters queued for buses because train drivers struck against timetable changes.",
    "Ukrainian wheat exports through Odesa resumed, shipping brokers confirmed on Tuesday.",
]


def _corpus(tmp_path):
    """Six short articles on unrelated subjects (no two form a story), dated 10 to 15 March."""
    root = tmp_path / "corpus"
    root.mkdir()
    for n, body in enumerate(BODIES):
        (root / f"a{n}.txt").write_text(f"date 2024-03-{10 + n:02d} {body}\n", encoding="utf-8")
    return root


def _stored(root) -> dict:
    path = root / "annotations.yaml"
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8"))["articles"]


def _read(root) -> set[str]:
    return {i for i, a in _stored(root).items() if a.get("read")}


def _notices(app) -> list[str]:
    """The messages shown as toasts (read by widget name, as the other reader tests do)."""
    return [plain(t) for t in app.screen.query("Toast")]


def test_ctrl_a_marks_every_row_in_view_after_a_search_and_again_clears(tmp_path):
    root = _corpus(tmp_path)
    app = BriefingApp(root)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await pilot.press("slash", *"wheat", "enter")
        await settle(pilot)
        await wait_until(pilot, lambda: articles.shown_count == 2, what="the search answered")
        await pilot.press("ctrl+a")
        assert sorted(articles.marked_ids) == ["a1.txt", "a5.txt"]
        assert "2 marked" in plain(app.screen.query_one(StatusBar))
        await pilot.press("ctrl+a")  # all were marked: cleared
        assert articles.marked_ids == []
        assert "marked" not in plain(app.screen.query_one(StatusBar))

    drive(app, test)


def test_asterisk_inverts_the_marks_in_view(tmp_path):
    root = _corpus(tmp_path)
    app = BriefingApp(root)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        listed = list(articles.shown_ids)
        first = articles.highlighted_id
        await pilot.press("m")  # first row marked, cursor on the second
        await pilot.press("asterisk")
        assert set(articles.marked_ids) == set(listed) - {first}
        await pilot.press("asterisk")
        assert articles.marked_ids == [first]

    drive(app, test)


def test_J_K_and_shift_arrows_mark_and_move_without_unmarking(tmp_path):
    root = _corpus(tmp_path)
    app = BriefingApp(root)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        order = list(articles.shown_ids)
        await pilot.press("J", "J")
        assert articles.marked_ids == order[:2] and articles.highlighted_id == order[2]
        await pilot.press("shift+down")
        assert articles.marked_ids == order[:3] and articles.highlighted_id == order[3]
        await pilot.press("K")  # row 3 marked, cursor back on row 2 (already marked: stays)
        await pilot.press("shift+up")
        assert articles.marked_ids == order[:4] and articles.highlighted_id == order[1]

    drive(app, test)


def test_R_marks_every_article_in_view_read_as_one_undo_step_and_redo_brings_it_back(tmp_path):
    root = _corpus(tmp_path)
    app = BriefingApp(root)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await pilot.press("slash", *"wheat", "enter")
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        flush_saves(app)
        assert _read(root) == {"a1.txt", "a5.txt"}
        assert any("Marked 2 articles read (every article in view)" in n for n in _notices(app))
        assert not articles.row_content("a1.txt").plain.startswith("●")
        await pilot.press("ctrl+z")  # one step takes both back
        await settle(pilot)
        flush_saves(app)
        assert _read(root) == set()
        await pilot.press("ctrl+y")
        await settle(pilot)
        flush_saves(app)
        assert _read(root) == {"a1.txt", "a5.txt"}
        assert any("Redone: mark read" in n for n in _notices(app))
        await pilot.press("ctrl+z")
        await settle(pilot)
        await pilot.press("ctrl+shift+z")
        await settle(pilot)
        flush_saves(app)
        assert _read(root) == {"a1.txt", "a5.txt"}

    drive(app, test)


def test_R_with_marked_rows_marks_only_those_and_says_how_many(tmp_path):
    root = _corpus(tmp_path)
    app = BriefingApp(root)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        order = list(articles.shown_ids)
        await pilot.press("m", "m")
        await pilot.press("R")
        await settle(pilot)
        flush_saves(app)
        assert _read(root) == set(order[:2])
        await pilot.press("R")
        await settle(pilot)
        assert any("All 2 articles marked were already read" in n for n in _notices(app))

    drive(app, test)


def test_redo_works_for_tags_and_titles_and_a_new_change_ends_it(tmp_path):
    root = _corpus(tmp_path)
    app = BriefingApp(root)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        first = articles.highlighted_id
        await pilot.press("t", *"energy", "enter")
        await settle(pilot)
        await pilot.press("e", "ctrl+u", *"Mine", "enter")
        await settle(pilot)
        flush_saves(app)
        assert _stored(root)[first]["title"] == "Mine" and _stored(root)[first]["tags"] == ["energy"]
        await pilot.press("ctrl+z", "ctrl+z")
        await settle(pilot)
        flush_saves(app)
        assert first not in _stored(root)
        await pilot.press("ctrl+y")
        await settle(pilot)
        flush_saves(app)
        assert _stored(root)[first]["tags"] == ["energy"] and "title" not in _stored(root)[first]
        await pilot.press("f")  # a new change: the title cannot be redone any more
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        flush_saves(app)
        assert "title" not in _stored(root)[first]
        assert any("Nothing to redo" in n for n in _notices(app))

    drive(app, test)


def test_help_says_m_marks_and_moves_down_and_lists_the_bulk_keys():
    entries = {e.id: e for e in key_entries({})}
    assert "move down" in entries["mark"].description
    for binding_id, keys in [("mark-all", ("ctrl+a",)), ("mark-invert", ("asterisk",)), ("read-all", ("R",)),
                             ("redo", ("ctrl+y", "ctrl+shift+z")), ("mark-extend-down", ("J", "shift+down")),
                             ("mark-extend-up", ("K", "shift+up"))]:
        assert entries[binding_id].keys == keys


def test_what_R_says():
    assert read_text(4, 4, False) == "Marked 4 articles read (every article in view); ctrl+z undoes."
    assert read_text(1, 3, True) == "Marked 1 article read (of 3 marked; the others were already read); ctrl+z undoes."
    assert read_text(0, 2, False) == "All 2 articles in view were already read."
