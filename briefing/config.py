"""User configuration: where it lives and what it holds.

The config file is YAML at ``<user config dir>/briefing/config.yaml``; the folder can
be moved with ``BRIEFING_CONFIG_DIR`` (tests and portable installs use this).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from briefing import yamlsafe
from briefing.durable import atomic_write, read_small_regular_file
from briefing.papers import DEFAULT_PAPER, PAPERS
from briefing.sanitize import clean_line

_N = TypeVar("_N", int, float)

APP = "briefing"


def _platform_dir(kind: str) -> Path:
    """The platform's user folder of ``kind`` (config, data, cache, state) for briefing;
    platformdirs is imported here, not at start: the variables above usually decide."""
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP))


def config_dir() -> Path:
    override = os.environ.get("BRIEFING_CONFIG_DIR")
    return Path(override) if override else _platform_dir("config")


def data_dir() -> Path:
    override = os.environ.get("BRIEFING_DATA_DIR")
    return Path(override) if override else _platform_dir("data")


def cache_dir() -> Path:
    override = os.environ.get("BRIEFING_CACHE_DIR")
    return Path(override) if override else _platform_dir("cache")


def state_dir() -> Path:
    """Where briefing keeps state that must outlive a cache but not travel with a
    corpus (the backups of annotation files, the reader's session per corpus: cursor,
    search, layout): ``BRIEFING_STATE_DIR``, else the platform's user state folder
    (``$XDG_STATE_HOME/briefing``)."""
    override = os.environ.get("BRIEFING_STATE_DIR")
    return Path(override) if override else _platform_dir("state")


def config_file() -> Path:
    return config_dir() / "config.yaml"


# The user's small files are read with a type and size check: a FIFO, a folder or a
# link to a device is refused (no hang), and so is a file over the bound (no memory
# blow-up). A real config is a few hundred bytes, a theme a few dozen lines.
CONFIG_MAX_BYTES = 1024 * 1024
THEME_MAX_BYTES = 256 * 1024


def read_small_text(path: Path, limit: int = CONFIG_MAX_BYTES) -> str:
    """UTF-8 text of a small regular file (config, theme). Raises FileNotFoundError,
    UnicodeDecodeError, or an OSError whose message names the file and why it was
    refused (not a regular file; over ``limit`` bytes). Links are followed: these
    are the user's own files."""
    return read_small_regular_file(path, limit).decode("utf-8")


# --- reader settings (config.yaml) ---------------------------------------------------

DEFAULT_THEME = "briefing-dark"
DEFAULT_METHOD = "default"
DEFAULT_LENGTH = 3
MIN_LENGTH = 1
MAX_LENGTH = 10
DEFAULT_STORY_THRESHOLD = 0.2
MIN_STORY_THRESHOLD = 0.05
MAX_STORY_THRESHOLD = 1.0
DEFAULT_STORY_WINDOW = 7
MAX_STORY_WINDOW = 3650


@dataclass
class Settings:
    """What the reader remembers between runs, as stored in ``config.yaml``.

    Every key of the file (all optional; a missing or wrong key falls back to its
    default and the reader says so):

    ``theme``
        Name of the colour theme, e.g. ``briefing-dark`` (default), ``briefing-light``,
        ``briefing-high-contrast``, a theme from ``<config dir>/themes/*.yaml`` or one of
        Textual's built-in themes. Saved when the theme is changed in the reader.
    ``summary_method``
        Summary method, one of ``briefing.summarize.METHODS`` (default ``default``).
        Saved when ``s`` cycles the method.
    ``summary_length``
        Summary length in sentences, an integer from 1 to 10 (default 3). Saved when
        ``+``/``-`` change it.
    ``story_threshold``
        How alike two articles must be to form a story: the estimated Jaccard
        similarity of their word 3-shingles, a number from 0.05 to 1 (default 0.2;
        higher merges fewer). See ``briefing.stories``.
    ``story_window_days``
        Dated articles more than this many days from a story's first article are
        not merged into it, however alike (default 7; 0 for no limit). Undated
        articles are never kept out by date.
    ``group_stories``
        ``true`` (default) lists the versions of a story as one row; ``false`` one row
        per article. Saved when ``g`` toggles it in the reader.
    ``compact_list``
        ``true`` lists one line per article (marks, date, source, title, tags) and no
        day headings; ``false`` (default) two lines per article under day headings.
        Saved when ``v`` toggles it in the reader.
    ``layout``
        ``split`` (default: the list beside the reading pane), ``list`` (the list only)
        or ``reader`` (the reading pane only). Saved when ``z`` cycles it.
    ``timeline_strip``
        ``true`` shows the timeline strip above the list (articles per day, week or
        month of what the list shows); ``false`` (default) hides it. Saved when ``G``
        toggles it in the reader.
    ``read_after_seconds``
        An article the list's cursor rests on (shown in the reading pane as a preview)
        is marked read after this many seconds; ``0`` (default) never: only opening it
        (``enter``) marks it read. A number from 0 to 3600. Read only.
    ``keymap``
        A mapping of binding id to keys, e.g. ``{next-article: "ctrl+n", quit: "q,ctrl+q"}``
        (several keys separated by commas). Read only; ``briefing`` never writes it.
        The binding ids are listed on the reader's help screen (``?``).
    ``analyst``
        The name recorded beside the notes, highlights, corrections and status
        changes one makes (default: ``git config user.name`` in the corpus, else the
        login name). Read only.
    ``paper``
        The page size of a PDF export: ``a4`` (default) or ``letter``; the command's
        ``--paper`` overrides it. Read only.

    Other keys in the file are kept untouched when the reader saves.
    """

    theme: str = DEFAULT_THEME
    summary_method: str = DEFAULT_METHOD
    summary_length: int = DEFAULT_LENGTH
    keymap: dict[str, str] = field(default_factory=dict)
    story_threshold: float = DEFAULT_STORY_THRESHOLD
    story_window_days: int = DEFAULT_STORY_WINDOW
    group_stories: bool = True
    analyst: str = ""  # the name recorded beside one's notes and changes (else git user.name, else the login)
    compact_list: bool = False
    layout: str = "split"
    read_after_seconds: float = 0.0
    timeline_strip: bool = False  # the timeline strip above the list (G; issue 23)
    paper: str = DEFAULT_PAPER  # a PDF export's page size (issue 17)


LAYOUTS = ("split", "list", "reader")
MAX_READ_AFTER = 3600.0


@dataclass
class LoadedSettings:
    """Settings read from the file, the problems met, and whether saving is safe.

    ``writable`` is False when the file exists but could not be parsed: saving would
    overwrite what the user wrote, so the reader keeps changes in memory instead.
    """

    settings: Settings
    problems: list[str] = field(default_factory=list)
    writable: bool = True


def load_settings(path: Path | None = None) -> LoadedSettings:
    """Read ``config.yaml`` (safe loader). Never raises: problems come back as messages."""
    path = path or config_file()
    settings = Settings()
    try:
        raw = read_small_text(path, CONFIG_MAX_BYTES)
    except FileNotFoundError:
        return LoadedSettings(settings)
    except (OSError, UnicodeDecodeError) as exc:
        return LoadedSettings(settings, [f"{path}: cannot read ({exc}); using defaults"], writable=False)
    try:
        data = yamlsafe.load_plain(raw)
    except yamlsafe.YamlError as exc:
        return LoadedSettings(
            settings,
            [f"{path}: line {exc.line}: {exc.message}; using defaults (changes will not be saved)"],
            writable=False,
        )
    if data is None:
        return LoadedSettings(settings)
    if not isinstance(data, dict):
        return LoadedSettings(
            settings, [f"{path}: expected a mapping of keys; using defaults (changes will not be saved)"], writable=False
        )
    problems: list[str] = []

    theme = data.get("theme")
    if theme is not None:
        if isinstance(theme, str) and theme.strip():
            settings.theme = clean_line(theme).strip()
        else:
            problems.append(f"{path}: theme must be a name; using {DEFAULT_THEME}")
    method = data.get("summary_method")
    if method is not None:
        if isinstance(method, str) and method.strip():
            settings.summary_method = clean_line(method).strip()
        else:
            problems.append(f"{path}: summary_method must be a name; using {DEFAULT_METHOD}")
    def bounded(key: str, parse: Callable[[Any], _N | None], low: _N, high: _N, default: _N, kind: str) -> _N | None:
        """``key``'s value parsed and within [low, high], else None (and a problem)."""
        raw = data.get(key)
        if raw is None:
            return None
        value = parse(raw)
        if value is not None and low <= value <= high:
            return value
        problems.append(f"{path}: {key} must be {kind} from {low} to {high}; using {default}")
        return None

    def flag(key: str, default: bool) -> bool | None:
        """``key``'s true/false value, else None (and a problem when it is something else)."""
        raw = data.get(key)
        if raw is None:
            return None
        value = yamlsafe.as_bool(raw)
        if value is None:
            problems.append(f"{path}: {key} must be true or false; using {'true' if default else 'false'}")
        return value

    length = bounded("summary_length", yamlsafe.as_int, MIN_LENGTH, MAX_LENGTH, DEFAULT_LENGTH, "a whole number")
    if length is not None:
        settings.summary_length = length
    threshold = bounded("story_threshold", yamlsafe.as_float, MIN_STORY_THRESHOLD, MAX_STORY_THRESHOLD,
                        DEFAULT_STORY_THRESHOLD, "a number")
    if threshold is not None:
        settings.story_threshold = threshold
    window = bounded("story_window_days", yamlsafe.as_int, 0, MAX_STORY_WINDOW, DEFAULT_STORY_WINDOW, "a whole number")
    if window is not None:
        settings.story_window_days = window
    group = flag("group_stories", True)
    if group is not None:
        settings.group_stories = group
    compact = flag("compact_list", False)
    if compact is not None:
        settings.compact_list = compact
    strip = flag("timeline_strip", False)
    if strip is not None:
        settings.timeline_strip = strip
    raw_layout = data.get("layout")
    if raw_layout is not None:
        if isinstance(raw_layout, str) and raw_layout.strip() in LAYOUTS:
            settings.layout = raw_layout.strip()
        else:
            problems.append(f"{path}: layout must be one of {', '.join(LAYOUTS)}; using split")
    dwell = bounded("read_after_seconds", yamlsafe.as_float, 0.0, MAX_READ_AFTER, 0.0, "a number")
    if dwell is not None:
        settings.read_after_seconds = dwell
    keymap = data.get("keymap")
    if keymap is not None:
        if isinstance(keymap, dict):
            for key, value in keymap.items():
                if isinstance(key, str) and isinstance(value, str) and value.strip():
                    settings.keymap[clean_line(key).strip()] = clean_line(value).strip()
                else:
                    problems.append(f"{path}: keymap entry {clean_line(str(key))!r} ignored (expected id: \"keys\")")
        else:
            problems.append(f"{path}: keymap must be a mapping of binding id to keys; ignored")
    paper = data.get("paper")
    if paper is not None:
        if isinstance(paper, str) and paper.strip().lower() in PAPERS:
            settings.paper = paper.strip().lower()
        else:
            problems.append(f"{path}: paper must be one of {', '.join(PAPERS)}; using a4")
    analyst = data.get("analyst")
    if analyst is not None:
        if isinstance(analyst, str) and clean_line(analyst).strip():
            settings.analyst = clean_line(analyst).strip()
        else:
            problems.append(f"{path}: analyst must be a name; using git's user.name or the login name")
    return LoadedSettings(settings, problems)


def _owned_values(settings: Settings) -> dict[str, str]:
    """The keys the reader writes, each as the YAML text of its value."""
    return {
        "compact_list": "true" if settings.compact_list else "false",
        "group_stories": "true" if settings.group_stories else "false",
        "layout": yamlsafe.quote(settings.layout),
        "summary_length": str(int(settings.summary_length)),
        "summary_method": yamlsafe.quote(settings.summary_method),
        "theme": yamlsafe.quote(settings.theme),
        "timeline_strip": "true" if settings.timeline_strip else "false",
    }


_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t]*:(?P<rest>.*)$")
_INLINE_COMMENT = re.compile(r"[ \t]+#.*$")


def _edit_text(text: str, values: dict[str, str], keep_inline_comments: bool) -> str:
    """``text`` with each owned top-level key's value replaced in place (its
    continuation lines dropped) or appended: comments and other keys stay as written."""
    lines = text.splitlines()
    out: list[str] = []
    done: set[str] = set()
    skipping = False
    for line in lines:
        if skipping:
            if line[:1] in (" ", "\t"):
                continue  # the old value's continuation lines
            skipping = False
        match = _TOP_KEY.match(line)
        if match and match["key"] in values and match["key"] not in done:
            key = match["key"]
            comment = _INLINE_COMMENT.search(match["rest"]) if keep_inline_comments else None
            out.append(f"{key}: {values[key]}" + (comment.group(0) if comment else ""))
            done.add(key)
            skipping = True
            continue
        out.append(line)
    out.extend(f"{key}: {value}" for key, value in values.items() if key not in done)
    return "\n".join(out) + "\n"


def _settings_text(existing: str | None, existing_data: dict[str, Any] | None, settings: Settings) -> str:
    """The new file text: the user's file edited in place when that reads back as
    intended (owned keys set, every other key unchanged), else a fresh dump."""
    values = _owned_values(settings)
    wanted = {
        "theme": settings.theme,
        "summary_method": settings.summary_method,
        "summary_length": str(int(settings.summary_length)),
        "group_stories": "true" if settings.group_stories else "false",
        "compact_list": "true" if settings.compact_list else "false",
        "layout": settings.layout,
        "timeline_strip": "true" if settings.timeline_strip else "false",
    }
    if existing is not None and existing_data is not None:
        others = {k: v for k, v in existing_data.items() if k not in values}
        for keep_inline in (True, False):
            text = _edit_text(existing, values, keep_inline)
            try:
                back = yamlsafe.load_plain(text)
            except yamlsafe.YamlError:
                continue
            if isinstance(back, dict) and {k: back.get(k) for k in wanted} == wanted and {
                k: v for k, v in back.items() if k not in values
            } == others:
                return text
    data = dict(existing_data or {})
    data.update(
        theme=settings.theme,
        summary_method=settings.summary_method,
        summary_length=settings.summary_length,
        group_stories=settings.group_stories,
        compact_list=settings.compact_list,
        layout=settings.layout,
        timeline_strip=settings.timeline_strip,
    )
    import yaml

    return "# briefing settings (see the README for every key)\n" + yaml.safe_dump(
        data, sort_keys=True, allow_unicode=True, default_flow_style=False
    )


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write theme, method, length and story grouping into ``config.yaml`` atomically.

    The user's file is edited in place: comments, the order of keys and keys the
    reader does not own (and ``keymap``) stay as written; only when such an edit
    would not read back exactly is the file written afresh. A ``config.yaml`` that is
    a symbolic link (dotfiles kept in a repository) is written through to the file
    it points to, and stays a link: this is the user's own folder, unlike a corpus.
    Raises ``OSError`` when the file cannot be written.
    """
    path = path or config_file()
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    existing: str | None = None
    existing_data: dict[str, Any] | None = None
    try:
        existing = read_small_text(target, CONFIG_MAX_BYTES)
        loaded = yamlsafe.load_plain(existing)
        existing_data = loaded if isinstance(loaded, dict) else ({} if loaded is None else None)
    except FileNotFoundError:
        existing = None
    except (OSError, UnicodeDecodeError, yamlsafe.YamlError):
        existing, existing_data = None, None
    text = _settings_text(existing, existing_data, settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, text.encode("utf-8"))
