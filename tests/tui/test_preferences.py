"""Summary method and length, themes, keymap, and their persistence in config.yaml."""

from __future__ import annotations

import yaml

from briefing.config import config_file, load_settings
from briefing.summarize import METHODS
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.reader import Reader

from .conftest import drive, palette_offers, plain, record_notifications, settle, wait_until


def _summary_text(app) -> str:
    return plain(app.screen.query_one(Reader).query_one("#reader-summary"))


def test_s_cycles_the_method_and_it_is_saved(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        # with nothing open no summary is computed: cycle all the way round first
        for _ in range(len(METHODS)):
            await pilot.press("s")
        assert app.screen.state.method == METHODS[0]  # wraps around
        await pilot.press("enter")
        await settle(pilot)
        assert "Summary · default · 3 sentences" in _summary_text(app)
        await pilot.press("s")
        await settle(pilot)
        second = METHODS[1]
        assert app.screen.state.method == second
        assert f"Summary · {second} · 3 sentences" in _summary_text(app)
        assert yaml.safe_load(config_file().read_text())["summary_method"] == second

    drive(app, test)


def test_plus_minus_change_length_within_1_to_10(seeds, isolated_dirs):
    (isolated_dirs["config"] / "config.yaml").write_text("summary_length: 2\n")
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("j", "j", "enter")  # a long article, more than 10 sentences
        await settle(pilot)
        reader = app.screen.query_one(Reader)
        assert len(reader.summary_sentences) == 2
        await pilot.press("minus")
        await settle(pilot)
        assert app.screen.state.length == 1 and len(reader.summary_sentences) == 1
        assert "· 1 sentence" in _summary_text(app)
        await pilot.press("minus")  # stays at 1
        await settle(pilot)
        assert app.screen.state.length == 1
        await pilot.press(*["plus"] * 8)  # from this article's 1 (its own choice now) to 9
        await settle(pilot)
        assert app.screen.state.length == 9
        await pilot.press("plus", "plus", "plus")
        await settle(pilot)
        assert app.screen.state.length == 10
        assert len(reader.summary_sentences) == 10
        assert "· 10 sentences" in _summary_text(app)
        assert load_settings().settings.summary_length == 10

    drive(app, test)


def test_theme_switch_persists_across_a_restart(seeds):
    app = BriefingApp(seeds)
    assert app.theme == "briefing-dark"
    assert {"briefing-dark", "briefing-light", "briefing-high-contrast"} <= set(app.theme_names)

    async def test(pilot):
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert app.theme != "briefing-dark"
        chosen = app.theme
        assert yaml.safe_load(config_file().read_text())["theme"] == chosen
        app.theme = "briefing-light"  # e.g. from the command palette's theme picker
        await settle(pilot)

    drive(app, test)
    again = BriefingApp(seeds)
    assert again.theme == "briefing-light"

    async def test_again(pilot):
        assert again.current_theme.dark is False

    drive(again, test_again)


def test_user_theme_folder_and_bad_theme_file(seeds, isolated_dirs):
    themes = isolated_dirs["config"] / "themes"
    themes.mkdir()
    (themes / "sepia.yaml").write_text("name: sepia\nprimary: '#8b5a2b'\nbackground: '#f4ecd8'\ndark: false\n")
    (themes / "[@click=app.quit]broken[b].yaml").write_text("name: broken\nprimary: not-a-colour\n")
    (themes / "nonsense.yaml").write_text("primary: [unclosed\n")
    (isolated_dirs["config"] / "config.yaml").write_text("theme: sepia\n")
    app = BriefingApp(seeds)
    assert "sepia" in app.theme_names and app.theme == "sepia"

    async def test(pilot):

        await settle(pilot)
        toasts = "\n".join(plain(t) for t in app.screen.query("Toast"))
        assert "[@click=app.quit]broken[b].yaml" in toasts and "bad colour" in toasts
        assert "nonsense.yaml" in toasts and "not valid YAML" in toasts
        assert app.is_running

    drive(app, test)


def test_keymap_from_config_remaps_by_binding_id(seeds, isolated_dirs):
    (isolated_dirs["config"] / "config.yaml").write_text(
        "keymap:\n  next-article: ctrl+n\n  no-such-binding: x\n"
    )
    app = BriefingApp(seeds)
    said = record_notifications(app)  # the problem's toast may have expired by the check

    async def test(pilot):

        await pilot.press("enter")
        await settle(pilot)
        first = app.screen.state.current_id
        await pilot.press("n")  # no longer bound
        await settle(pilot)
        assert app.screen.state.current_id == first
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen.state.current_id != first
        assert "no-such-binding" in "\n".join(said)
        # the help screen shows the live key
        await pilot.press("question_mark")
        await settle(pilot)
        help_text = plain(app.screen.query_one("#help-text"))
        line = next(row for row in help_text.splitlines() if "id: next-article" in row)
        assert "^n" in line
        for binding_id in ("open", "search", "cycle-method", "longer", "shorter", "quit", "help", "next-mark"):
            assert f"id: {binding_id}" in help_text
        await pilot.press("escape")
        assert app.screen.__class__.__name__ == "MainScreen"

    drive(app, test)


def test_broken_config_gives_defaults_a_message_and_is_not_overwritten(seeds, isolated_dirs):
    path = isolated_dirs["config"] / "config.yaml"
    path.write_text("theme: [oops\n")
    app = BriefingApp(seeds)
    assert app.theme == "briefing-dark"

    async def test(pilot):

        toasts = "\n".join(plain(t) for t in app.screen.query("Toast"))
        assert "not valid YAML" in toasts
        await pilot.press("ctrl+t", "s")
        await settle(pilot)
        assert path.read_text() == "theme: [oops\n"  # what the user wrote is kept

    drive(app, test)


def test_command_palette_runs_our_actions(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Longer")
        await wait_until(pilot, lambda: palette_offers(app, "Longer"), what="the command")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.state.length == 4

    drive(app, test)
