"""P: a note or highlight comment made private, or shared again, from the reader (issue 17).

Each test reads annotations.yaml back with an independent YAML reader after the
save queue is flushed, and the reading pane's details as the analyst sees them.
"""

from __future__ import annotations

import yaml

from briefing.tui.app import BriefingApp
from briefing.tui.features.private_notes import entries_of, label
from briefing.tui.screens.main import MainScreen
from briefing.tui.screens.private_pick import PrivatePickScreen

from .conftest import drive, flush_saves, plain, settle, wait_until

ID = "a.txt"
ONE_NOTE = """articles:
  "a.txt":
    notes:
      - at: "2024-03-05T10:00:00Z"
        text: "my [bold]source[/] is close"
version: 4
"""
NOTE_AND_COMMENT = """articles:
  "a.txt":
    notes:
      - at: "2024-03-05T10:00:00Z"
        text: "shared note"
    highlights:
      - quote: "Second one follows it."
        note: "the comment"
version: 4
"""


def _corpus(tmp_path, annotations: str):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / ID).write_text("Headline here\n\ndate 2024-03-01 First sentence is here. Second one follows it.\n", encoding="utf-8")
    (root / "annotations.yaml").write_text(annotations, encoding="utf-8")
    return root


def _stored(root) -> dict:
    return yaml.safe_load((root / "annotations.yaml").read_text(encoding="utf-8"))["articles"][ID]


def _main(app) -> MainScreen:
    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


def _details(app) -> str:
    return plain(_main(app).query_one("#reader-notes"))


def test_P_switches_the_only_note_private_and_back_and_the_pane_says_so(tmp_path):
    root = _corpus(tmp_path, ONE_NOTE)
    app = BriefingApp(root)

    async def test(pilot):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("P")
        await wait_until(pilot, lambda: "[private" in _details(app), what="the private marker in the pane")
        assert "my [bold]source[/] is close" in _details(app)  # shown as typed, never as markup
        flush_saves(app)
        assert _stored(root)["notes"][0]["private"] is True
        await pilot.press("P")
        await wait_until(pilot, lambda: "[private" not in _details(app), what="the marker gone")
        flush_saves(app)
        assert "private" not in _stored(root)["notes"][0]
        await pilot.press("ctrl+z")  # undo: private again
        await wait_until(pilot, lambda: "[private" in _details(app), what="undo brings it back")

    drive(app, test)


def test_P_with_a_note_and_a_comment_asks_which(tmp_path):
    root = _corpus(tmp_path, NOTE_AND_COMMENT)
    app = BriefingApp(root)

    async def test(pilot):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(app.screen, PrivatePickScreen), what="the picker")
        options = app.screen.query_one("#private-list")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts == ["1. [shared] note: shared note", "2. [shared] highlight comment: the comment"]
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), what="back on the main screen")
        flush_saves(app)
        stored = _stored(root)
        assert stored["highlights"][0]["private"] is True and "private" not in stored["notes"][0]
        await wait_until(pilot, lambda: "[private] the comment" in _details(app), what="the comment's marker")

    drive(app, test)


def test_P_without_notes_says_so_and_changes_nothing(tmp_path):
    root = _corpus(tmp_path, "articles: {}\nversion: 4\n")
    app = BriefingApp(root)

    async def test(pilot):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("P")
        await wait_until(pilot, lambda: "no note or highlight comment" in "\n".join(plain(t) for t in app.screen.query("Toast")),
                         what="the refusal")

    drive(app, test)
    stored = yaml.safe_load((root / "annotations.yaml").read_text(encoding="utf-8"))["articles"].get(ID, {})
    assert "notes" not in stored and "highlights" not in stored  # (opening it marked it read)


def test_the_list_labels_are_plain_and_say_the_state():
    from briefing.annotations.schema import Highlight, Note

    entries = entries_of((Note("a\nb", private=True),), (Highlight("q"), Highlight("q2", "c", private=False)))
    assert [label(e, k + 1) for k, e in enumerate(entries)] == ["1. [private] note: a", "2. [shared] highlight comment: c"]
