"""A user theme with a value that is not valid CSS is refused at load, naming the
file and the field, and can never be chosen: choosing it used to kill the reader
(a ``;`` in a variable, or a word where a colour belongs, breaks the stylesheet)."""

from __future__ import annotations

import pytest

from briefing.tui.app import BriefingApp
from briefing.tui.themes import ThemeError, load_themes, theme_from_mapping

from .conftest import drive, record_notifications, settle


@pytest.mark.parametrize(
    "variables, field",
    [
        ({"footer-key-foreground": "red; color: blue"}, "footer-key-foreground"),
        ({"footer-key-foreground": "red } Screen { color: blue"}, "footer-key-foreground"),
        ({"footer-key-foreground": "bogus"}, "footer-key-foreground"),
        ({"footer-key-foreground": "#12345"}, "footer-key-foreground"),
        ({"story-number": "bold"}, "story-number"),
        ({"block-cursor-background": "auto 87%"}, "block-cursor-background"),
        ({"block-cursor-text-style": "#ff0000"}, "block-cursor-text-style"),
        ({"border": "$primary 50%"}, "border"),
        ({"bad;name": "red"}, "bad;name"),
        ({"story-date": "red\n}"}, "story-date"),
    ],
)
def test_invalid_variable_values_are_refused_naming_the_field(variables, field):
    with pytest.raises(ThemeError, match="variables") as caught:
        theme_from_mapping({"primary": "#112233", "variables": variables}, "file")
    assert field in str(caught.value)


@pytest.mark.parametrize("key", ["primary", "background", "error"])
def test_invalid_colour_fields_are_refused_naming_the_field(key):
    data = {"primary": "#112233", key: "not-a-colour"}
    with pytest.raises(ThemeError, match=key):
        theme_from_mapping(data, "file")


def test_valid_values_of_every_kind_are_accepted():
    theme = theme_from_mapping({
        "primary": "#112233",
        "variables": {
            "footer-key-foreground": "#f2b94b",
            "input-selection-background": "#5fa8d3 35%",
            "border": "rgb(10, 20, 30)",
            "text-muted": "auto 60%",
            "link-background": "initial",
            "block-cursor-text-style": "bold not underline",
            "story-number": "red",
        },
    }, "file")
    assert theme.variables["input-selection-background"] == "#5fa8d3 35%"


def test_a_bad_user_theme_is_named_and_cannot_be_chosen(seeds, isolated_dirs):
    themes = isolated_dirs["config"] / "themes"
    themes.mkdir()
    (themes / "evil.yaml").write_text(
        "name: evil\nprimary: '#8b5a2b'\nvariables:\n  footer-key-foreground: 'red; color: blue'\n")
    (themes / "wordy.yaml").write_text("name: wordy\nprimary: '#8b5a2b'\nvariables:\n  story-name: 'bold'\n")
    (themes / "sepia.yaml").write_text("name: sepia\nprimary: '#8b5a2b'\nbackground: '#f4ecd8'\ndark: false\n")
    loaded = load_themes(themes)
    assert [t.name for t in loaded.themes] == ["sepia"]
    assert any("evil.yaml" in p and "footer-key-foreground" in p for p in loaded.problems)
    assert any("wordy.yaml" in p and "story-name" in p for p in loaded.problems)

    app = BriefingApp(seeds)
    said = record_notifications(app)  # the problem's toast may have expired by the end
    assert "evil" not in app.theme_names and "wordy" not in app.theme_names

    async def test(pilot):
        for _ in range(len(app.theme_names) + 1):  # choose every theme in turn
            await pilot.press("ctrl+t")
            await settle(pilot)
            assert app.is_running
        text = " ".join(said)
        assert "evil.yaml" in text and "footer-key-foreground" in text

    drive(app, test)
    assert app.return_code in (None, 0)
