"""Colour themes as YAML files turned into Textual ``Theme`` objects.

Built-in themes ship in ``themes/`` (dark, light, high contrast); users add their own
as ``<config dir>/themes/*.yaml``. A theme file is a mapping of Textual Theme fields:
``name`` (defaults to the file name), ``primary`` (required), ``secondary``, ``accent``,
``background``, ``surface``, ``panel``, ``foreground``, ``warning``, ``error``,
``success``, ``boost``, ``dark`` (true/false), ``luminosity_spread``, ``text_alpha`` and
``variables`` (a mapping of Textual design variables to values).

A file that cannot be used is skipped with a message naming it; it never stops the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from textual.theme import Theme

from briefing import yamlsafe
from briefing.config import THEME_MAX_BYTES, read_small_text
from briefing.sanitize import clean_line

_COLOURS = ("primary", "secondary", "accent", "background", "surface", "panel", "foreground", "warning", "error", "success", "boost")
_NUMBERS = ("luminosity_spread", "text_alpha")
_KNOWN = {"name", "dark", "variables", *_COLOURS, *_NUMBERS}


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
    kwargs["variables"] = dict(variables)
    theme = Theme(**kwargs)
    try:
        theme.to_color_system().generate()
    except Exception as exc:  # Textual raises several kinds for a bad colour
        raise ThemeError(f"bad colour: {clean_line(str(exc))}") from None
    return theme


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
