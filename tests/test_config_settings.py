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


# --- issue 22, items 10 and 12 -------------------------------------------------------

USER_FILE = """\
# my settings, kept in my dotfiles repository
theme: briefing-dark   # the dark one at night
summary_length: 3

# tools of mine
other_tool:
  keep: me   # do not touch
keymap:
  quit: ctrl+q
"""


def test_a_symlinked_config_is_written_through_and_keeps_its_comments(config_home, tmp_path):
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "briefing.yaml"
    real.write_text(USER_FILE)
    config_home.mkdir()
    config_file().symlink_to(real)
    save_settings(Settings(theme="briefing-light", summary_method="lead", summary_length=5, group_stories=False))
    assert config_file().is_symlink() and config_file().resolve() == real
    text = real.read_text()
    for comment in ("# my settings, kept in my dotfiles repository", "# tools of mine", "# do not touch",
                    "# the dark one at night"):
        assert comment in text
    loaded = load_settings()
    assert loaded.problems == [] and loaded.settings.theme == "briefing-light"
    assert loaded.settings.summary_length == 5 and not loaded.settings.group_stories
    assert loaded.settings.summary_method == "lead" and loaded.settings.keymap == {"quit": "ctrl+q"}
    assert sorted(p.name for p in dotfiles.iterdir()) == ["briefing.yaml"]  # no temp left


def test_a_value_that_cannot_be_edited_in_place_still_saves_exactly(config_home):
    config_home.mkdir()
    config_file().write_text("# mine\ntheme: >\n  folded\n  name\nsummary_length: 4\n")
    save_settings(Settings(theme="x # not a comment: \"odd\"", summary_length=4))
    loaded = load_settings()
    assert loaded.problems == [] and loaded.settings.theme == 'x # not a comment: "odd"'
    assert "# mine" in config_file().read_text()


def _load_in_thread(timeout: float = 10.0):
    import threading

    box: list = []
    worker = threading.Thread(target=lambda: box.append(load_settings()), daemon=True)
    worker.start()
    worker.join(timeout)
    assert box, "load_settings did not return (it hangs on this file)"
    return box[0]


def test_a_fifo_config_is_refused_without_hanging(config_home):
    import os

    config_home.mkdir()
    os.mkfifo(config_file())
    loaded = _load_in_thread()
    assert not loaded.writable and loaded.settings == Settings()
    assert str(config_file()) in loaded.problems[0] and "not a regular file" in loaded.problems[0]


def test_a_folder_or_oversized_config_is_refused_naming_the_file(config_home):
    from briefing.config import CONFIG_MAX_BYTES

    config_home.mkdir()
    config_file().mkdir()
    loaded = _load_in_thread()
    assert not loaded.writable and str(config_file()) in loaded.problems[0]
    config_file().rmdir()
    config_file().write_text("theme: x\n" + "# padding\n" * (CONFIG_MAX_BYTES // 10 + 1))
    loaded = _load_in_thread()
    assert not loaded.writable and "too large" in loaded.problems[0] and str(config_file()) in loaded.problems[0]


def test_a_config_linked_to_dev_zero_is_refused_without_memory_blow_up(config_home, tmp_path):
    """In a child with a 1 GiB address-space limit: reading /dev/zero whole would die."""
    import os
    import subprocess
    import sys

    config_home.mkdir()
    config_file().symlink_to("/dev/zero")
    code = (
        "import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from briefing.config import load_settings\n"
        "loaded = load_settings()\n"
        "print(loaded.writable, loaded.problems)\n"
    )
    env = {**os.environ, "BRIEFING_CONFIG_DIR": str(config_home), "PYTHONPATH": os.getcwd()}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("False") and "not a regular file" in done.stdout and "config.yaml" in done.stdout


def test_theme_files_go_through_the_same_check(tmp_path):
    import os
    import threading

    from briefing.tui.themes import load_themes

    folder = tmp_path / "themes"
    folder.mkdir()
    os.mkfifo(folder / "fifo.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    box: list = []
    worker = threading.Thread(target=lambda: box.append(load_themes(folder)), daemon=True)
    worker.start()
    worker.join(10)
    assert box, "load_themes hangs on a FIFO"
    problems = box[0].problems
    assert len(problems) == 2 and all("not a regular file" in p for p in problems)
    assert any("fifo.yaml" in p for p in problems) and any("zero.yaml" in p for p in problems)
