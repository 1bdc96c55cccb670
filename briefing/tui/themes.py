"""Colour themes as YAML files turned into Textual ``Theme`` objects.

Built-in themes ship in ``themes/`` (dark, light, high contrast); users add their own
as ``<config dir>/themes/*.yaml``. A theme file is a mapping of Textual Theme fields:
``name`` (defaults to the file name), ``primary`` (required), ``secondary``, ``accent``,
``background``, ``surface``, ``panel``, ``foreground``, ``warning``, ``error``,
``success``, ``boost``, ``dark`` (true/false), ``luminosity_spread``, ``text_alpha`` and
``variables`` (a mapping of Textual design variables to values).

A file that cannot be used is skipped with a message naming it and the field; it
never stops the app. Every value is checked at load, so that choosing a theme later
cannot break the running reader's stylesheet: colour fields must parse as colours,
and each variable must be a CSS value Textual's own parser accepts where such a
variable is used (a colour, or a text style for a ``*-style`` variable), written with
a small safe alphabet (no ``;``, braces or quotes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

from briefing import yamlsafe
from briefing.config import THEME_MAX_BYTES, read_small_text
from briefing.sanitize import clean_line

_COLOURS = ("primary", "secondary", "accent", "background", "surface", "panel", "foreground", "warning", "error", "success", "boost")
_NUMBERS = ("luminosity_spread", "text_alpha")
_KNOWN = {"name", "dark", "variables", *_COLOURS, *_NUMBERS}
# A design variable's name, and the characters its value may hold: enough for
# "#5fa8d3 35%", "rgb(1, 2, 3)", "auto 87%" or "bold not underline", never a ";",
# brace, colon or quote that could end a CSS declaration or rule.
_VARIABLE_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_SAFE_VALUE = re.compile(r"[A-Za-z0-9#%.,() -]{1,80}")


@dataclass
class ThemeSet:
    """Themes that loaded, in file order, and a message for each file that did not."""

    themes: list[Theme] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class ThemeError(ValueError):
    pass


def theme_from_mapping(data: object, fallback_name: str) -> Theme:
    """Build and validate a Theme from a parsed YAML mapping; ``ThemeError`` if unusable."""
    if not isinstance(data, dict):
        raise ThemeError("expected a mapping of theme fields")
    unknown = sorted(str(k) for k in data if k not in _KNOWN)
    if unknown:
        raise ThemeError("unknown field(s): " + ", ".join(clean_line(k) for k in unknown))
    name = data.get("name", fallback_name)
    if not isinstance(name, str) or not clean_line(name).strip():
        raise ThemeError("name must be text")
    kwargs: dict = {"name": clean_line(name).strip()}
    if "primary" not in data:
        raise ThemeError("primary colour is required")
    for key in _COLOURS:
        if key in data and data[key] is not None:
            if not isinstance(data[key], str):
                raise ThemeError(f"{key} must be a colour written as text, e.g. \"#1e90ff\"")
            try:
                Color.parse(data[key])
            except ColorParseError:
                raise ThemeError(f"{key}: bad colour {clean_line(data[key])[:80]!r}") from None
            kwargs[key] = data[key]
    if "dark" in data:
        dark = yamlsafe.as_bool(data["dark"])
        if dark is None:
            raise ThemeError("dark must be true or false")
        kwargs["dark"] = dark
    for key in _NUMBERS:
        if key in data:
            number = yamlsafe.as_float(data[key])
            if number is None:
                raise ThemeError(f"{key} must be a number")
            kwargs[key] = number
    variables = data.get("variables") or {}
    if not isinstance(variables, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in variables.items()):
        raise ThemeError("variables must map names to text values")
    for name, value in variables.items():
        _check_variable(name, value)
    kwargs["variables"] = dict(variables)
    theme = Theme(**kwargs)
    try:
        theme.to_color_system().generate()
    except Exception as exc:  # Textual raises several kinds for a bad colour
        raise ThemeError(f"bad colour: {clean_line(str(exc))}") from None
    return theme


@lru_cache(maxsize=1)
def _textual_defaults() -> dict[str, str]:
    """The design variables Textual generates, with their default values."""
    return Theme(name="defaults", primary="#0178d4").to_color_system().generate()


def _check_variable(name: str, value: str) -> None:
    """Refuse a variable that would break the stylesheet once the theme is chosen."""
    if not _VARIABLE_NAME.fullmatch(name):
        raise ThemeError(f"variables: {clean_line(name)[:60]!r} is not a variable name (letters, digits, '-')")
    shown = clean_line(value)[:80]
    if not _SAFE_VALUE.fullmatch(value):
        raise ThemeError(f"variables: {name}: {shown!r} is not a value a theme may hold"
                         " (letters, digits, spaces and # % . , ( ) - only)")
    default = _textual_defaults().get(name, "")
    properties: tuple[str, ...]
    if name.endswith("-style"):
        properties = ("text-style",)
    elif default.startswith("auto"):
        properties = ("color",)  # a text colour: "auto 87%" is allowed
    else:
        properties = ("color", "background")
    for prop in properties:
        if not _css_accepts(prop, value):
            kind = "a text style" if prop == "text-style" else "a colour"
            raise ThemeError(f"variables: {name}: {shown!r} is not {kind}")


def _css_accepts(prop: str, value: str) -> bool:
    """Whether Textual's CSS parser takes ``value`` for ``prop`` (as a variable)."""
    from textual.css.stylesheet import Stylesheet

    sheet = Stylesheet(variables={"theme-value": value})
    sheet.add_source(f"Screen {{ {prop}: $theme-value; }}", read_from=("theme", prop))
    try:
        sheet.parse()
    except Exception:  # noqa: BLE001 - StylesheetParseError, TokenError, UnexpectedEnd...
        return False
    return True


def load_theme_file(path: Path) -> Theme:
    try:
        data = yamlsafe.load_plain(read_small_text(path, THEME_MAX_BYTES))  # regular file, size bound (issue 22)
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemeError(f"cannot read ({clean_line(str(exc))})") from None
    except yamlsafe.YamlError as exc:
        raise ThemeError(f"line {exc.line}: {clean_line(exc.message)}") from None
    return theme_from_mapping(data, path.stem)


def load_themes(*folders: Path) -> ThemeSet:
    """Every ``*.yaml`` theme in ``folders``, in order; later names replace earlier ones."""
    found = ThemeSet()
    by_name: dict[str, Theme] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            try:
                theme = load_theme_file(path)
            except ThemeError as exc:
                found.problems.append(f"theme file {clean_line(str(path))}: {exc}")
                continue
            by_name[theme.name] = theme
    found.themes = list(by_name.values())
    return found
