"""Reader settings in config.yaml: safe loading, defaults with messages, atomic saves."""

from __future__ import annotations

import pytest

from briefing.config import Settings, config_file, load_settings, save_settings


@pytest.fixture(autouse=True)
def config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", str(tmp_path / "cfg"))
    return tmp_path / "cfg"


def test_missing_file_gives_defaults_silently():
    loaded = load_settings()
    assert loaded.settings == Settings() and loaded.problems == [] and loaded.writable


def test_round_trip_keeps_other_keys_and_keymap(config_home):
    config_home.mkdir()
    config_file().write_text("keymap:\n  quit: ctrl+q\nother_tool: {keep: me}\n")
    save_settings(Settings(theme="briefing-light", summary_method="lead", summary_length=7))
    loaded = load_settings()
    assert loaded.settings.theme == "briefing-light"
    assert loaded.settings.summary_method == "lead" and loaded.settings.summary_length == 7
    assert loaded.settings.keymap == {"quit": "ctrl+q"}
    assert "other_tool" in config_file().read_text()
    assert [p.name for p in config_home.iterdir()] == ["config.yaml"]  # no temp file left


@pytest.mark.parametrize(
    "text, problem",
    [
        ("summary_length: 11\n", "summary_length"),
        ("summary_length: true\n", "summary_length"),
        ("summary_length: three\n", "summary_length"),
        ("theme: [a, b]\n", "theme"),
        ("keymap: [quit]\n", "keymap"),
        ("keymap: {quit: [q]}\n", "keymap entry"),
    ],
)
def test_bad_values_fall_back_with_a_message(config_home, text, problem):
    config_home.mkdir()
    config_file().write_text(text)
    loaded = load_settings()
    assert any(problem in p for p in loaded.problems)
    assert loaded.settings.summary_length == 3 and loaded.writable


@pytest.mark.parametrize("text", ["theme: [oops\n", "- a list\n", "!!python/object:os.system 'echo'\n"])
def test_unparseable_or_unsafe_file_is_not_writable(config_home, text):
    config_home.mkdir()
    config_file().write_text(text)
    loaded = load_settings()
    assert loaded.settings == Settings()
    assert loaded.problems and not loaded.writable
    assert str(config_file()) in loaded.problems[0]


def test_control_bytes_in_values_are_cleaned(config_home):
    config_home.mkdir()
    config_file().write_text('theme: "dark\\e]0;pwn\\a"\n')
    assert "\x1b" not in load_settings().settings.theme


def test_hostile_config_gives_defaults_and_a_message(tmp_path):
    """A 50,000-deep or alias-bomb config must not crash the reader at start-up."""
    from briefing.config import load_settings

    cases = {
        "deep": "theme: " + "[" * 50_000 + "]" * 50_000 + "\n",
        "laughs": 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\ntheme: *c\n',
        "object": "theme: !!python/object/apply:os.system ['true']\n",
    }
    for name, text in cases.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        loaded = load_settings(path)
        assert loaded.writable is False, name
        assert loaded.settings.theme == "briefing-dark", name
        assert loaded.problems and "line" in loaded.problems[0], name


def test_summary_length_written_as_text_is_read_as_a_number(tmp_path):
    from briefing.config import load_settings

    path = tmp_path / "config.yaml"
    path.write_text("summary_length: 5\ntheme: 'no'\n", encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.settings.summary_length == 5
    assert loaded.settings.theme == "no"
    assert loaded.problems == []


def test_saving_keeps_the_file_mode_and_leaves_no_temp_file(config_home):
    """Settings are saved through briefing.durable (temp + fsync + rename + folder fsync)."""
    import os
    import stat

    from briefing.config import Settings, config_file, save_settings

    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("theme: briefing-dark\n")
    os.chmod(path, 0o644)
    save_settings(Settings(theme="briefing-light"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert "briefing-light" in path.read_text()
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.yaml"]
