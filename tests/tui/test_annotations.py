"""The annotation keys of the reader: each change lands in annotations.yaml, shows in
the list and the reading pane, and can be undone; typed text stays plain text."""

from __future__ import annotations

import yaml
from textual.widgets import Input, TextArea

from briefing.annotations import open_store
from briefing.corpus import open_corpus
from briefing.tui.app import BriefingApp
from briefing.tui.screens.date import DateScreen
from briefing.tui.screens.highlight import HighlightScreen
from briefing.tui.screens.main import MainScreen
from briefing.tui.screens.note import NoteScreen
from briefing.tui.screens.note_pick import NotePickScreen
from briefing.tui.screens.tags import TagScreen
from briefing.tui.screens.title import TitleScreen
from briefing.tui.screens.untag import UntagScreen
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import Reader

from .conftest import drive, flush_saves, plain, screen_text, settle, wait_until


def stored(root, app=None) -> dict:
    """annotations.yaml as plain data (read with a safe loader, not with our code),
    once ``app``'s queued saves are on disk."""
    if app is not None:
        flush_saves(app)
    return yaml.safe_load((root / "annotations.yaml").read_text(encoding="utf-8"))["articles"]


def toasts(app) -> str:

    return "\n".join(plain(t) for t in app.screen.query("Toast"))


def ids_of(root) -> list[str]:
    return [m.id for m in open_corpus(root).articles]


def on(entry: dict) -> set[str]:
    """Which of read/flagged/dismissed an entry of annotations.yaml (version 2) sets."""
    return {name for name in ("read", "flagged", "dismissed") if entry.get(name) is True}


async def open_row(pilot, article_id: str) -> None:
    """Highlight ``article_id`` in the list and open it (enter), then wait for the summary."""
    screen = pilot.app.screen
    articles = screen.query_one(ArticleList)
    articles.focus()
    articles.highlight_id(article_id)
    await pilot.press("enter")
    await settle(pilot)


def test_tags_added_with_completion_removed_and_undone(seeds):
    first, second = ids_of(seeds)[:2]
    app = BriefingApp(seeds)

    async def test(pilot):
        await open_row(pilot, first)
        assert not app.marks.markers(first).unread  # read at once; written a moment later
        await pilot.press("t")
        assert isinstance(app.screen, TagScreen)
        await pilot.press(*"energy", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert stored(seeds, app)[first]["tags"] == ["energy"]
        assert on(stored(seeds, app)[first]) == {"read"}  # the tag's save wrote the read mark too
        await open_row(pilot, second)
        await pilot.press("t", *"en")
        await settle(pilot)
        field = app.screen.query_one(Input)
        assert field._suggestion == "energy"  # completes from the tags used in the corpus
        await pilot.press("tab", *", kyiv", "enter")
        await settle(pilot)
        assert stored(seeds, app)[second]["tags"] == ["energy", "kyiv"]
        row = app.screen.query_one(ArticleList).row_content(second).plain
        assert "#energy" in row and "#kyiv" in row
        assert "energy, kyiv" in plain(app.screen.query_one(Reader).query_one("#reader-meta"))
        # T: pick one of the article's tags
        await pilot.press("T")
        assert isinstance(app.screen, UntagScreen)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert stored(seeds, app)[second]["tags"] == ["energy"]
        assert "#kyiv" not in app.screen.query_one(ArticleList).row_content(second).plain
        # ctrl+z: the last change (the removal) is undone
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert stored(seeds, app)[second]["tags"] == ["energy", "kyiv"]
        assert "Undone" in toasts(app)
        # escape in the dialog cancels: nothing saved
        before = (seeds / "annotations.yaml").read_bytes()
        await pilot.press("t", *"zzz", "escape")
        await settle(pilot)
        assert (seeds / "annotations.yaml").read_bytes() == before

    drive(app, test)


def test_note_created_then_edited_in_a_multiline_editor(seeds):
    first = ids_of(seeds)[0]
    app = BriefingApp(seeds)

    async def test(pilot):
        await open_row(pilot, first)
        await pilot.press("a")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"MoD", "enter", *"[@click=app.quit]z")
        await pilot.press("ctrl+s")
        await settle(pilot)
        notes = stored(seeds, app)[first]["notes"]
        assert [n["text"] for n in notes] == ["MoD\n[@click=app.quit]z"]
        shown = plain(app.screen.query_one("#reader-notes"))
        assert "[@click=app.quit]z" in shown and "MoD" in shown
        assert "✎1" in app.screen.query_one(ArticleList).row_content(first).plain
        # a again: choose the note, edit it (the cursor starts at its end)
        await pilot.press("a")
        assert isinstance(app.screen, NotePickScreen)
        await pilot.press("down", "enter")
        assert isinstance(app.screen, NoteScreen)
        assert app.screen.query_one(TextArea).text.startswith("MoD")
        await pilot.press(*" ed", "ctrl+s")
        await settle(pilot)
        notes = stored(seeds, app)[first]["notes"]
        assert len(notes) == 1 and notes[0]["text"].endswith("z ed")
        # and a second, new note
        await pilot.press("a", "enter", *"2nd", "ctrl+s")
        await settle(pilot)
        assert [n["text"] for n in stored(seeds, app)[first]["notes"]][1] == "2nd"
        # escape cancels the editor
        await pilot.press("a", "enter", *"no", "escape")
        await settle(pilot)
        assert len(stored(seeds, app)[first]["notes"]) == 2

    drive(app, test)


def test_highlight_flag_read_toggle_and_title(seeds):
    first, second = ids_of(seeds)[:2]
    app = BriefingApp(seeds)

    async def test(pilot):
        await open_row(pilot, first)
        reader = app.screen.query_one(Reader)
        # h before choosing a sentence: refused with a hint
        await pilot.press("h")
        assert isinstance(app.screen, MainScreen) and "summary sentences" in toasts(app)
        await pilot.press("full_stop", "full_stop", "h")
        assert isinstance(app.screen, HighlightScreen)
        await pilot.press(*"[b]x[/b]", "enter")
        await settle(pilot)
        highlights = stored(seeds, app)[first]["highlights"]
        # version 3: who made it and when are recorded too
        assert [{k: h[k] for k in ("quote", "note")} for h in highlights] == [{"quote": reader.summary_sentences[1], "note": "[b]x[/b]"}]
        assert highlights[0]["by"] == app.marks.store.author and highlights[0]["at"]
        assert "[b]x[/b]" in plain(reader.query_one("#reader-notes"))
        # f flags and unflags; u toggles read
        articles = app.screen.query_one(ArticleList)
        await pilot.press("f")
        await settle(pilot)
        assert on(stored(seeds, app)[first]) == {"read", "flagged"}
        assert articles.row_content(first).plain.startswith(" ⚑ ")  # read, flagged
        await pilot.press("u")  # u changes read only: the flag stays, the unread mark shows beside it
        await settle(pilot)
        assert on(stored(seeds, app)[first]) == {"flagged"}
        assert articles.row_content(first).plain.startswith("●⚑ ")
        await pilot.press("f")  # f changes the flag only: still unread
        await settle(pilot)
        assert on(stored(seeds, app).get(first, {})) == set()  # nothing true is written
        assert articles.row_content(first).plain.startswith("●  ")
        await pilot.press("u")
        await settle(pilot)
        assert on(stored(seeds, app)[first]) == {"read"}
        # e: a better title, shown in the list and the pane; empty goes back to the file's
        await open_row(pilot, second)
        await pilot.press("e")
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("ctrl+u", *"New [b]T[/]", "enter")
        await settle(pilot)
        assert stored(seeds, app)[second]["title"] == "New [b]T[/]"
        assert "New [b]T[/]" in articles.row_content(second).plain
        assert "New [b]T[/]" in plain(reader.query_one("#reader-meta"))
        await pilot.press("e", "ctrl+u", "enter")
        await settle(pilot)
        assert "title" not in stored(seeds, app).get(second, {})
        assert "New [b]T[/]" not in articles.row_content(second).plain

    drive(app, test)


def test_date_set_moves_the_row_to_its_day_and_clear_moves_it_back(seeds):
    undated = [m.id for m in open_corpus(seeds).articles if m.date is None][0]
    app = BriefingApp(seeds)

    def day_of(article_id: str) -> str:
        articles = app.screen.query_one(ArticleList)
        headings = iter(articles.headings())
        current = None
        for entry in articles.listing():
            if entry is None:
                current = next(headings)
            elif entry == article_id:
                return current
        raise AssertionError("not listed")

    async def test(pilot):
        assert day_of(undated).startswith("Undated")
        app.screen.query_one(ArticleList).highlight_id(undated)
        await pilot.press("d")
        assert isinstance(app.screen, DateScreen)
        await pilot.press(*"2023-13-01", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DateScreen)  # refused in place, said why
        assert "'2023-13-01': there is no month 13" in plain(app.screen.query_one(".dialog-error"))  # humandates (issue 15)
        await pilot.press("ctrl+u", *"2023-11-06", "enter")
        await settle(pilot)
        assert stored(seeds, app)[undated]["date"] == "2023-11-06"
        assert day_of(undated).startswith("Monday 6 November 2023")
        assert app.screen.query_one(ArticleList).highlighted_id == undated  # the cursor follows it
        await pilot.press("d", "ctrl+u", "enter")
        await settle(pilot)
        assert "date" not in stored(seeds, app).get(undated, {})
        assert day_of(undated).startswith("Undated")

    drive(app, test)


def test_marks_bulk_tag_and_flag_each_one_undo_step(seeds, monkeypatch):
    import briefing.tui.features.reading as reading

    # the read mark below must still be pending when the undo saves, however slow the summary
    monkeypatch.setattr(reading, "READ_FLUSH_DELAY_S", 60.0)
    monkeypatch.setattr(reading, "READ_FLUSH_MAX_S", 120.0)  # a loaded machine can take over 10 s to get there
    ids = ids_of(seeds)
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await pilot.press("m", "space")  # marks the first two rows (the cursor moves down)
        assert articles.marked_ids == ids[:2]
        assert articles.row_content(ids[0]).plain.startswith("✔")
        assert "2 marked" in screen_text(app)
        await pilot.press("t", *"bulk", "enter")
        await settle(pilot)
        data = stored(seeds, app)
        assert data[ids[0]]["tags"] == ["bulk"] and data[ids[1]]["tags"] == ["bulk"]
        assert ids[2] not in data
        await pilot.press("f")
        await settle(pilot)
        assert [on(stored(seeds, app)[i]) for i in ids[:2]] == [{"flagged"}, {"flagged"}]  # flagged, still unread
        await pilot.press("ctrl+z")  # one step: both unflagged, tags kept
        await settle(pilot)
        data = stored(seeds, app)
        assert [on(data[i]) for i in ids[:2]] == [set(), set()]
        assert data[ids[0]]["tags"] == ["bulk"]
        await pilot.press("ctrl+z")  # the bulk tag, in one step too
        await settle(pilot)
        assert not (seeds / "annotations.yaml").exists() or not stored(seeds, app)
        await pilot.press("escape")  # unmarks
        assert articles.marked_ids == [] and "marked" not in screen_text(app)
        # opening an article marks it read, but ctrl+z undoes the deliberate change
        await pilot.press("f")  # the cursor row (marking moved it down to the third)
        await settle(pilot)
        assert on(stored(seeds, app)[ids[2]]) == {"flagged"}
        await open_row(pilot, ids[3])
        assert ids[3] not in stored(seeds) and not app.marks.markers(ids[3]).unread  # not written yet
        await pilot.press("ctrl+z")
        await settle(pilot)
        data = stored(seeds, app)  # the undo's save also wrote the pending read mark
        assert ids[2] not in data and on(data[ids[3]]) == {"read"}

    drive(app, test)


def test_corrupt_file_read_only_reading_works_keys_refuse_bytes_unchanged(seeds):
    path = seeds / "annotations.yaml"
    path.write_bytes(b"version: 1\narticles:\n  \"a.txt\": [oops\n")
    before = path.read_bytes()
    first = ids_of(seeds)[0]
    app = BriefingApp(seeds)

    async def test(pilot):
        problem = plain(app.screen.query_one("#annotations-problem"))
        assert "read-only" in problem and "annotations.yaml" in problem and "line" in problem
        assert app.screen.query_one("#annotations-problem").display
        assert "annotations read-only" in screen_text(app)
        await open_row(pilot, first)  # reading still works
        assert app.screen.state.current_article is not None
        assert app.screen.query_one(ArticleList).row_content(first).plain.startswith("  ")  # read this session
        for key in ("t", "f", "u", "a", "d", "e", "T", "ctrl+z"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, MainScreen), key
        assert "Annotations are read-only" in toasts(app)
        assert path.read_bytes() == before

    drive(app, test)


def test_hostile_typed_and_pasted_text_is_shown_literally(seeds):
    from textual import events

    first = ids_of(seeds)[0]
    app = BriefingApp(seeds)

    async def test(pilot):
        await open_row(pilot, first)
        await pilot.press("t", *"[bold]x[/]")
        field = app.screen.query_one(Input)
        field.post_message(events.Paste(",esc\x1b]0;pwn\x07\x1b[31mred"))
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        tags = stored(seeds, app)[first]["tags"]
        assert "[bold]x[/]" in tags and len(tags) == 2
        row = app.screen.query_one(ArticleList).row_content(first).plain
        shown = screen_text(app) + row + plain(app.screen.query_one(Reader).query_one("#reader-meta"))
        assert "#[bold]x[/]" in row
        for control in ("\x1b", "\x07"):
            assert control not in shown
        assert app.is_running  # no markup action ran

    drive(app, test)


def test_sample_corpus_keeps_annotations_in_the_data_dir_and_says_so_once(isolated_dirs):
    from briefing.resources import sample_corpus

    sample = sample_corpus()
    before = sorted(p.name for p in sample.iterdir())
    first = ids_of(sample)[0]
    app = BriefingApp(sample)

    async def test(pilot):
        said = toasts(app)
        assert said.count("annotations are saved in") == 1
        assert str(isolated_dirs["data"]) in said and "sample corpus" in said
        await pilot.press("f")
        await settle(pilot)
        saved = list(isolated_dirs["data"].rglob("annotations.yaml"))
        assert len(saved) == 1
        assert yaml.safe_load(saved[0].read_text(encoding="utf-8"))["articles"][first]["flagged"] is True
        assert sorted(p.name for p in sample.iterdir()) == before  # nothing written beside the seeds

    drive(app, test)


def test_highlight_takes_a_mouse_selection_in_the_text_and_marks_it(seeds):
    from textual.geometry import Offset
    from textual.selection import Selection

    from briefing.tui.widgets.reader import QUOTE_MARK

    first = ids_of(seeds)[0]
    app = BriefingApp(seeds)

    async def test(pilot):
        await open_row(pilot, first)
        from briefing.tui.widgets.article_body import ArticleBody

        reader = app.screen.query_one(Reader)
        body = reader.query_one(ArticleBody)
        text = reader.paragraph_contents()[1].plain
        row = body.text().split("\n").index(text)  # the second paragraph's row in the body's text
        assert body.get_selection(Selection(Offset(0, row), Offset(12, row)))[0] == text[:12]
        # a selection in the list does not count; one in the text does
        app.screen.selections = {
            app.screen.query_one(ArticleList): Selection(Offset(0, 0), Offset(5, 0)),
            body: Selection(Offset(0, row), Offset(12, row)),
        }
        await pilot.press("h")
        assert isinstance(app.screen, HighlightScreen)
        assert app.screen.quote == text[:12].strip()
        await pilot.press("enter")
        await settle(pilot)
        (saved,) = stored(seeds, app)[first]["highlights"]
        assert set(saved) == {"quote", "by", "at"} and saved["quote"] == text[:12].strip()  # no comment: no "note" key
        content = reader.paragraph_contents()[1]
        marked = [content.plain[s.start : s.end] for s in content.spans if str(s.style) == QUOTE_MARK]
        assert marked == [text[:12].strip()]

    drive(app, test)


def test_text_changed_since_annotated_and_merge_notice_from_another_program(seeds):
    metas = open_corpus(seeds).articles
    first, second = metas[0].id, metas[1].id
    store, _ = open_store(seeds, metas)
    store.add_note(first, "checked the figures")
    path = seeds / first
    path.write_text(path.read_text(encoding="utf-8") + "\n\nA paragraph added after the note.\n", encoding="utf-8")
    app = BriefingApp(seeds)

    async def test(pilot):
        await open_row(pilot, first)
        notes = plain(app.screen.query_one("#reader-notes"))
        assert "text changed since it was annotated" in notes and "checked the figures" in notes
        # another program (a second reader, git pull) saves a tag meanwhile
        other, _ = open_store(seeds, open_corpus(seeds).articles)
        other.add_tags(second, ["from-elsewhere"])
        await pilot.press("f")
        await settle(pilot)
        assert "changed by another program; merged" in toasts(app)
        data = stored(seeds, app)
        assert "flagged" in on(data[first]) and data[second]["tags"] == ["from-elsewhere"]

    drive(app, test)


def test_opening_articles_writes_read_marks_after_a_pause_not_per_keypress(seeds, monkeypatch):
    import briefing.tui.features.reading as reading

    monkeypatch.setattr(reading, "READ_FLUSH_DELAY_S", 0.3)
    ids = ids_of(seeds)
    notes = seeds / "annotations.yaml"
    app = BriefingApp(seeds)

    async def test(pilot):
        await open_row(pilot, ids[0])  # waits for the summary: the pause has passed
        # the file appears only after the pause, which may come after the summary
        await wait_until(pilot, lambda: notes.exists() and "read" in on(stored(seeds).get(ids[0], {})),
                         what="the write")
        written = notes.read_bytes()
        # Longer from here so that a loaded machine cannot make a gap between keys
        # look like the pause (the delay is read at each open).
        monkeypatch.setattr(reading, "READ_FLUSH_DELAY_S", 1.5)
        for _ in range(3):
            await pilot.press("n")
            await pilot.pause()
            assert notes.read_bytes() == written  # not rewritten on each keypress
        assert app.screen.state.current_id == ids[3]
        assert all(not app.marks.markers(i).unread for i in ids[:4])  # the list shows them read at once
        def written_read() -> bool:  # after the pause that follows the last open
            data = stored(seeds)
            return all("read" in on(data.get(i, {})) for i in ids[:4])

        await wait_until(pilot, written_read, what="the read marks written")
        data = stored(seeds)
        assert ids[4] not in data

    drive(app, test)


def test_quitting_writes_read_marks_not_written_yet(seeds, monkeypatch):
    import briefing.tui.features.reading as reading

    # the marks must still be pending when q is pressed, however slow the machine
    # (with the usual 1 s pause, a loaded machine wrote them before the check)
    monkeypatch.setattr(reading, "READ_FLUSH_DELAY_S", 60.0)
    monkeypatch.setattr(reading, "READ_FLUSH_MAX_S", 120.0)
    ids = ids_of(seeds)
    app = BriefingApp(seeds)

    async def test(pilot):
        await open_row(pilot, ids[0])
        await pilot.press("n", "n")
        await pilot.pause()
        assert not (seeds / "annotations.yaml").exists()  # within the pause: nothing written
        await pilot.press("q")

    drive(app, test)
    data = stored(seeds, app)  # the reader closed cleanly and wrote them
    assert [on(data[i]) for i in ids[:3]] == [{"read"}] * 3 and ids[3] not in data
