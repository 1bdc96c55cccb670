"""Jinja2 templates for the Markdown and HTML exports.

The built-in templates ship inside the package (``briefing/export/templates/``):
``briefing.md.j2`` and ``briefing.html.j2``. A file of the same name in
``<config dir>/templates/`` replaces the built-in one (``<config dir>`` is
:func:`briefing.config.config_dir`, e.g. ``~/.config/briefing``; ``BRIEFING_CONFIG_DIR``
moves it). The built-ins are the documented examples: copy one as a start. Templates are the user's
own files and are trusted; the data they receive is not, so:

- HTML: autoescaping is always on (``{{ value }}`` is HTML-escaped);
- Markdown: every ``{{ value }}`` is escaped as inert Markdown text by the engine's
  ``finalize`` hook (:mod:`briefing.export.mdescape`); the ``mdblock(indent)`` filter
  keeps a note's lines and paragraphs, still escaped.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefing.export.mdescape import md_block, md_finalize, md_inline
from briefing.export.model import Briefing

if TYPE_CHECKING:
    import jinja2

TEMPLATE_NAMES = {"md": "briefing.md.j2", "html": "briefing.html.j2"}


class TemplateProblem(Exception):
    """A template could not be loaded or rendered; the message names the file."""


def user_template_dir() -> Path:
    from briefing.config import config_dir

    return config_dir() / "templates"


def _environment(kind: str, user_dir: Path | None) -> jinja2.Environment:
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None and user_dir.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(user_dir)))
    loaders.append(jinja2.PackageLoader("briefing.export", "templates"))
    html = kind == "html"
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        autoescape=html,
        finalize=None if html else md_finalize,
    )
    if not html:
        env.filters["md"] = md_inline
        env.filters["mdblock"] = md_block
    return env


def chart_context(kind: str, briefing: Briefing) -> dict[str, object]:
    """What the templates get as ``chart`` (issue 23): ``sources``, ``(outlet, items)``
    rows; ``svg``, the timeline as inline SVG (HTML only, made here, so marked safe;
    "" when no item is dated)."""
    from markupsafe import Markup

    from briefing.export.chart import source_counts, timeline_svg

    svg = timeline_svg(briefing) if kind == "html" else ""
    return {"sources": source_counts(briefing), "svg": Markup(svg)}  # noqa: S704 - our own SVG, checked by tests


def template_source(kind: str, user_dir: Path | None = None) -> str:
    """Where the template for ``kind`` comes from (a path), for messages."""
    name = TEMPLATE_NAMES[kind]
    if user_dir is not None and (user_dir / name).is_file():
        return str(user_dir / name)
    return f"built-in {name}"


def render_template(kind: str, briefing: Briefing, user_dir: Path | None = None) -> str:
    """Render ``briefing`` with the user's template for ``kind`` (md or html) if
    there is one in ``user_dir``, else the built-in one."""
    import jinja2

    name = TEMPLATE_NAMES[kind]
    try:
        template = _environment(kind, user_dir).get_template(name)
        text: str = template.render(briefing=briefing, chart=chart_context(kind, briefing))
    except jinja2.TemplateSyntaxError as err:
        raise TemplateProblem(f"{template_source(kind, user_dir)}, line {err.lineno}: {err.message}") from None
    except (jinja2.TemplateError, UnicodeDecodeError) as err:
        raise TemplateProblem(f"{template_source(kind, user_dir)}: {err}") from None
    if not text.endswith("\n"):
        text += "\n"
    return text
