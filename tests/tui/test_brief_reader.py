"""The briefing screen (issue 17, the reader's part), driven headless with Pilot.

Each test starts from a small corpus of unrelated articles (no stories) and, where
creating the briefing is not what it tests, a briefing file made with the store's
own API; what the reader wrote is read back with the store (``load_brief``) or an
independent YAML reader.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from textual.widgets import Checkbox, OptionList, Select, SelectionList, TextArea

from briefing.annotations import open_store
from briefing.brief.store import load_brief, new_brief, save_brief
from briefing.corpus import open_corpus
from briefing.export import BriefingOptions, Filter, export_briefing
from briefing.tui.app import BriefingApp
from briefing.tui.screens.brief import BriefPreviewScreen, BriefScreen, preview_parser
from briefing.tui.screens.brief_dialogs import BriefExportDialog, BriefHeaderDialog, JudgmentDialog, OverviewDialog
from briefing.tui.widgets.article_list import ArticleList

from .conftest import drive, plain, screen_strips, screen_text, settle, wait_until

ARTICLES = {
    "a0.txt": "Dockers strike at the northern port\n\ndate 2024-03-10 Harbour cranes stood idle at dawn. "
              "Dockers walked out over pay in the northern port.",
    "a1.txt": "Wheat prices climb\n\ndate 2024-03-11 Wheat prices climbed sharply on the Chicago exchange after "
              "drought hit Kansas farms.",
    "a2.txt": "Floods in the valley\n\ndate 2024-03-12 River floods forced villagers onto rooftops; rescue boats "
              "ferried elderly residents inland.",
    "a3.txt": "Power back at hospitals\n\ndate 2024-03-13 Engineers rebuilt transformer stations overnight so "
              "hospitals regained electricity by noon.",
}
HOSTILE_TITLE = "[bold red]X[/] <script>alert(1)</script> **loud** [link](javascript:alert(1)) ![i](file:///etc/passwd)"


def corpus(tmp_path: Path, extra: dict[str, str] | None = None) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    for name, text in {**ARTICLES, **(extra or {})}.items():
        (root / name).write_text(text + "\n", encoding="utf-8")
    return root


def made(root: Path, sections: dict[str, list[str]], *, title: str = "Week 11", bluf: str = "") -> None:
    """A briefing named "week" written with the store's own API (before the reader starts)."""
    new_brief(root, "week", title=title, marking="OFFICIAL", analyst="A. Analyst")
    loaded = load_brief(root, "week")
    for name, ids in sections.items():
        loaded.doc.add(ids, section=name)
    loaded.doc.bluf = bluf
    save_brief(root, loaded.doc, loaded.stamp)


def brief_screen(app) -> BriefScreen:
    assert isinstance(app.screen, BriefScreen)
    return app.screen


def saved(app, root: Path):
    """The briefing file as the store reads it, once the reader's saves are done."""
    for screen in app.screen_stack:
        if hasattr(screen, "brief"):
            assert screen.brief.saver.wait(10), "the briefing was not saved in time"
    return load_brief(root, "week").doc


def told(app) -> str:
    """Every notification so far, one a line."""
    return "\n".join(str(n.message) for n in app._notifications)


async def open_week(pilot) -> BriefScreen:
    await pilot.press("B")
    await settle(pilot)
    if not isinstance(pilot.app.screen, BriefScreen):  # the chooser: "week" is the second entry
        await pilot.press("down", "enter")
        await settle(pilot)
    return brief_screen(pilot.app)


def test_B_creates_a_briefing_and_ctrl_b_adds_the_marked_then_the_current_article(tmp_path):
    root = corpus(tmp_path)
    app = BriefingApp(root)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await pilot.press("ctrl+b")  # no briefing yet: the dialog to make one comes first
        await settle(pilot)
        assert isinstance(app.screen, BriefHeaderDialog)
        await pilot.press(*"Week 11", "tab")
        assert app.screen.query_one("#brief-name").value == "week-11"  # suggested from the title
        await pilot.press("ctrl+u", *"week", "tab", *"OFFICIAL", "enter")
        await settle(pilot)
        first = articles.shown_ids[0]
        assert "Added 1 article to the briefing “Week 11”." in told(app)
        await pilot.press("m", "m")  # the first two rows marked
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert "Added 1 article to the briefing “Week 11”; 1 was already there." in told(app)
        assert saved(app, root).item_ids() == [first, articles.shown_ids[1]]
        assert saved(app, root).marking == "OFFICIAL"
        await pilot.press("B")
        await settle(pilot)
        screen = brief_screen(app)
        text = screen_text(app)
        assert "Week 11" in text and "2 items" in text and "Power back at hospitals" in text
        assert screen.outline.option_count == 3  # the section "Items" and its two items
        await pilot.press("B", "up", "enter")  # another briefing: "+ New briefing…" heads the chooser
        await settle(pilot)
        await pilot.press(*"Second", "enter")
        await settle(pilot)
        assert screen.session.name == "second" and "Second" in screen_text(app) and "0 items" in screen_text(app)
        assert load_brief(root, "week").doc.item_ids() == [first, articles.shown_ids[1]]  # the first one kept

    drive(app, test, size=(120, 36))


def test_items_move_up_down_across_sections_and_to_a_named_section_with_undo(tmp_path):
    root = corpus(tmp_path)
    made(root, {"Ports": ["a0.txt", "a1.txt"], "Weather": ["a2.txt"]})
    app = BriefingApp(root)

    async def test(pilot):
        screen = await open_week(pilot)
        outline = screen.outline
        outline.highlighted = outline.get_option_index("i:a1.txt")
        await pilot.press("J")  # the last of "Ports": crosses into "Weather", at its top
        await settle(pilot)
        doc = saved(app, root)
        assert [[i.id for i in s.items] for s in doc.sections] == [["a0.txt"], ["a1.txt", "a2.txt"]]
        assert outline.highlighted_option.id == "i:a1.txt"  # the cursor follows the item
        await pilot.press("K", "K")  # back into "Ports", then above a0
        await settle(pilot)
        doc = saved(app, root)
        assert [[i.id for i in s.items] for s in doc.sections] == [["a1.txt", "a0.txt"], ["a2.txt"]]
        await pilot.press("m", "tab", *"Later", "enter")  # a section that does not exist yet
        await settle(pilot)
        doc = saved(app, root)
        assert [s.name for s in doc.sections][-1] == "Later" and doc.sections[-1].items[0].id == "a1.txt"
        await pilot.press("w", *"Closes the grain route", "enter")
        await pilot.press("d")  # removed; ctrl+z brings it back with its why line
        await settle(pilot)
        assert "a1.txt" not in saved(app, root).item_ids()
        await pilot.press("ctrl+z")
        await settle(pilot)
        doc = saved(app, root)
        assert doc.sections[-1].items[0].id == "a1.txt" and doc.sections[-1].items[0].why == "Closes the grain route"
        assert "why: Closes the grain route" in screen_text(app)
        outline.highlighted = outline.get_option_index("s:0")  # the section "Ports": renamed
        await pilot.press("r", "ctrl+u", *"Harbours", "enter", "N", *"Notes", "enter")
        await settle(pilot)
        assert [s.name for s in saved(app, root).sections] == ["Harbours", "Weather", "Later", "Notes"]

    drive(app, test, size=(120, 36))


def test_the_bottom_line_is_saved_and_a_change_made_elsewhere_is_merged_not_overwritten(tmp_path):
    root = corpus(tmp_path)
    made(root, {"Items": ["a0.txt"]})
    app = BriefingApp(root)

    async def test(pilot):
        screen = await open_week(pilot)
        await pilot.press("b", *"Ports are shut.", "enter", *"Prices rise.")
        await wait_until(pilot, lambda: saved(app, root).bluf == "Ports are shut.\nPrices rise.", what="bluf saved")
        # another reader (or git pull) changes the title and the bottom line meanwhile
        other = load_brief(root, "week")
        other.doc.title = "Changed elsewhere"
        other.doc.bluf = "Their bottom line."
        save_brief(root, other.doc, other.stamp)
        await pilot.press(*" More.")
        await wait_until(pilot, lambda: "merged" in told(app), what="the merge said")
        doc = saved(app, root)
        assert doc.title == "Changed elsewhere"  # their change kept
        assert doc.bluf == "Ports are shut.\nPrices rise. More."  # both changed it: ours kept...
        assert "Their bottom line." in (root / "briefings" / "week.yaml").read_text(encoding="utf-8")  # ...theirs listed
        assert "Both sides changed bluf" in told(app)
        assert screen.session.doc.title == "Changed elsewhere" and "Changed elsewhere" in screen_text(app)
        assert screen.bluf.text == "Ports are shut.\nPrices rise. More."

    drive(app, test, size=(120, 36))


def test_a_failed_save_keeps_the_typed_text_says_so_and_ctrl_s_tries_again(tmp_path):
    root = corpus(tmp_path)
    made(root, {"Items": ["a0.txt"]})
    app = BriefingApp(root)
    path = root / "briefings" / "week.yaml"

    async def test(pilot):
        screen = await open_week(pilot)
        good = path.read_bytes()
        path.write_text("title: [unclosed\n", encoding="utf-8")  # broken by hand meanwhile: never rewritten
        await pilot.press("b", *"Keep this text.")
        await wait_until(pilot, lambda: screen.session.problem, what="the failed save")
        await settle(pilot)
        assert path.read_text(encoding="utf-8") == "title: [unclosed\n"
        assert screen.bluf.text == "Keep this text." and screen.session.doc.bluf == "Keep this text."
        assert "NOT saved" in plain(screen.query_one("#brief-head")) and "week.yaml" in told(app)
        assert "line 2: not valid YAML" in plain(screen.query_one("#brief-problem"))
        path.write_bytes(good)  # fixed
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.session.problem is None and "[saved]" in plain(screen.query_one("#brief-head")),
                         what="saved again, and said so")
        assert saved(app, root).bluf == "Keep this text."
        assert not screen.query_one("#brief-problem").display

    drive(app, test, size=(120, 36))


def test_a_judgment_with_a_confidence_term_cites_an_item_and_links_its_highlight(tmp_path):
    root = corpus(tmp_path)
    made(root, {"Items": ["a0.txt", "a1.txt"]})
    store, _ = open_store(root, open_corpus(root).articles)
    store.add_highlight("a1.txt", "drought hit Kansas farms", "the cause")
    app = BriefingApp(root)

    async def test(pilot):
        screen = await open_week(pilot)
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, JudgmentDialog)
        await pilot.press(*"Grain prices will keep rising.")
        terms = dialog.terms
        dialog.query_one(Select).value = terms[4]  # "likely / probable" in ICD-203's order
        cites = dialog.query_one("#judgment-cites", SelectionList)
        cites.select("a1.txt")
        await settle(pilot)
        highlights = dialog.query_one("#judgment-highlights", SelectionList)
        assert highlights.option_count == 1 and "drought hit Kansas farms" in str(highlights.get_option_at_index(0).prompt)
        highlights.select_all()
        await pilot.press("ctrl+s")
        await settle(pilot)
        doc = saved(app, root)
        judgment = doc.judgments[0]
        assert judgment.text == "Grain prices will keep rising." and judgment.confidence == terms[4]
        assert judgment.cites == ["a1.txt"]
        assert [(h.article, h.quote) for h in judgment.highlights] == [("a1.txt", "drought hit Kansas farms")]
        assert "sources 2" in screen_text(app) and "1 highlight" in screen_text(app)
        screen.judgments.focus()
        await pilot.press("enter")  # edits it: the dialog comes filled in
        dialog = app.screen
        assert isinstance(dialog, JudgmentDialog) and dialog.query_one("#judgment-cites", SelectionList).selected == ["a1.txt"]
        dialog.query_one(Select).value = terms[5]
        await pilot.press("ctrl+s")
        await settle(pilot)
        doc = saved(app, root)
        assert len(doc.judgments) == 1 and doc.judgments[0].confidence == terms[5]
        assert [(h.article, h.quote) for h in doc.judgments[0].highlights] == [("a1.txt", "drought hit Kansas farms")]

    drive(app, test, size=(120, 36))


def test_preview_shows_the_briefing_and_a_hostile_title_stays_inert(tmp_path):
    root = corpus(tmp_path, {"evil.md": f"---\ntitle: {yaml.safe_dump(HOSTILE_TITLE).strip()}\ndate: 2024-03-14\n---\n\n"
                                        "Text of the hostile article. It is long enough."})
    made(root, {"Items": ["a0.txt", "evil.md"]}, bluf="The port strike matters most.")
    app = BriefingApp(root)

    async def test(pilot):
        await open_week(pilot)
        assert "[bold red]X[/]" in screen_text(app)  # the outline shows the title literally
        await pilot.press("p")
        assert isinstance(app.screen, BriefPreviewScreen)
        await wait_until(pilot, lambda: app.screen.markdown_text is not None, what="the preview")
        await settle(pilot)
        shown = screen_text(app)
        assert "Dockers strike at the northern port" in shown and "Week 11" in shown
        assert "The port strike matters most." in shown and "OFFICIAL" in shown
        # the hostile title is shown literally, and what reached the widget parses (with the
        # widget's own parser) to no link, image or HTML: the renderer escaped all of it
        assert "[bold red]X[/] <script>alert(1)</script> **loud** [link](javascript:alert(1))" in shown
        tokens = preview_parser().parse(app.screen.markdown_text)
        inline = [child for token in tokens for child in (token.children or [])]
        assert not [t for t in [*tokens, *inline] if t.type in ("link_open", "image", "html_inline", "html_block")]
        assert "loud" not in [t.content for t in inline if t.type == "text" and t.level > 0]  # not bold
        # and as drawn: no clickable span anywhere on the preview (a link would carry an @click)
        clicks = [seg.text for strip in screen_strips(app) for seg in strip
                  if seg.style is not None and "@click" in (seg.style.meta or {})]
        assert clicks == []
        await pilot.press("escape")
        assert isinstance(app.screen, BriefScreen)

    drive(app, test, size=(140, 60))


def test_x_exports_the_briefing_to_a_file(tmp_path):
    root = corpus(tmp_path)
    made(root, {"Ports": ["a0.txt"]}, bluf="Strike first.")
    store, _ = open_store(root, open_corpus(root).articles)
    store.add_note("a0.txt", "PRIVATE-SOURCE: the union's treasurer", private=True)
    app = BriefingApp(root)
    target = tmp_path / "out" / "week.md"
    target.parent.mkdir()

    async def test(pilot):
        await open_week(pilot)
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, BriefExportDialog)
        dialog.query_one("#export-path").value = str(target)
        private = dialog.query_one("#export-private", Checkbox)
        assert private.value is False  # private notes stay out unless asked for
        private.value = True  # as --include-private (the default is tests/brief/test_export_private.py's)
        await pilot.press("ctrl+s")
        await wait_until(pilot, target.exists, what="the export written")
        await settle(pilot)
        text = target.read_text(encoding="utf-8")
        assert "# Week 11" in text and "Dockers strike at the northern port" in text
        assert "Strike first." in text and "OFFICIAL" in text and "Ports" in text
        assert "PRIVATE-SOURCE: the union's treasurer" in text
        assert isinstance(app.screen, BriefScreen)

    drive(app, test, size=(120, 36))


def test_the_suggested_overview_goes_into_the_bottom_line_only_when_accepted(tmp_path):
    root = corpus(tmp_path)
    made(root, {"Items": ["a0.txt", "a2.txt"]}, bluf="Mine.")
    app = BriefingApp(root)

    async def test(pilot):
        screen = await open_week(pilot)
        await pilot.press("o")
        dialog = app.screen
        assert isinstance(dialog, OverviewDialog)
        await wait_until(pilot, lambda: dialog.lines, what="the suggestions")
        await pilot.press("escape")  # nothing accepted: nothing inserted
        await settle(pilot)
        assert screen.bluf.text == "Mine."
        await pilot.press("o")
        dialog = app.screen
        await wait_until(pilot, lambda: dialog.lines, what="the suggestions")
        first = dialog.lines[0]
        assert first.endswith("]")  # its source number
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        assert screen.bluf.text == f"Mine.\n\n{first}"
        await wait_until(pilot, lambda: saved(app, root).bluf == f"Mine.\n\n{first}", what="saved")
        assert isinstance(screen.bluf, TextArea) and isinstance(screen.outline, OptionList)

    drive(app, test, size=(120, 36))


def test_the_preview_screen_shows_the_markdown_export_with_a_hostile_title_inert(tmp_path):
    """The preview screen on the Markdown renderer's output (a plain export here, so
    that it runs without the composing core): shown, and nothing in it live."""
    root = corpus(tmp_path, {"evil.md": f"---\ntitle: {yaml.safe_dump(HOSTILE_TITLE).strip()}\ndate: 2024-03-14\n---\n\n"
                                        "Text of the hostile article. It is long enough."})
    app = BriefingApp(root)

    def render(fmt, produced):
        metas = open_corpus(root)
        store, _ = open_store(root, metas.articles)
        result = export_briefing(metas, store, Filter(everything=True), fmt, BriefingOptions(title="Week 11"))
        return result.data, result.count

    async def test(pilot):
        app.push_screen(BriefPreviewScreen(render))
        await wait_until(pilot, lambda: getattr(app.screen, "markdown_text", None) is not None, what="the preview")
        await settle(pilot)
        shown = screen_text(app)
        assert "Week 11" in shown and "Dockers strike at the northern port" in shown
        assert "[bold red]X[/] <script>alert(1)</script> **loud** [link](javascript:alert(1))" in shown
        tokens = preview_parser().parse(app.screen.markdown_text)
        inline = [child for token in tokens for child in (token.children or [])]
        assert not [t for t in [*tokens, *inline] if t.type in ("link_open", "image", "html_inline", "html_block")]
        clicks = [seg.text for strip in screen_strips(app) for seg in strip
                  if seg.style is not None and "@click" in (seg.style.meta or {})]
        assert clicks == []  # "evil.md" would be a link to http://evil.md with linkify on
        await pilot.press("escape")
        assert not isinstance(app.screen, BriefPreviewScreen)

    drive(app, test, size=(140, 60))
