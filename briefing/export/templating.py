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

from briefing.export.mdescape import md_block, md_finalize, md_inline, md_url
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
        env.filters["mdurl"] = md_url
    else:
        from briefing.export import present

        env.filters["css_string"] = css_string
        env.globals.update(
            is_link=present.is_link,
            meta_parts=present.meta_parts,
            refs=present.refs,
            judgment_lead=present.judgment_lead,
            citation=present.citation,
            methods_line=present.methods_line,
            timeline_days=present.timeline_days,
            timeline_svg=present.timeline_svg,
        )
    return env


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that is safe inside a ``<style>`` element: every
    character but ASCII letters, digits and spaces becomes a six-digit ``\\HHHHHH``
    escape ended by one space (which CSS consumes as the escape's end, so a space of
    the text after it stays), so no quote, backslash, ``<`` or line break of the text
    reaches the CSS or the HTML parser (for the marking line in ``@page`` margin boxes)."""
    from markupsafe import Markup

    out = "".join(ch if (ch.isascii() and ch.isalnum()) or ch == " " else f"\\{ord(ch):06x} " for ch in text)
    return Markup(f'"{out}"')


def chart_context(kind: str, briefing: Briefing) -> dict[str, object]:
    """What the templates get as ``chart`` (issue 23): ``sources``, ``(outlet, items)``
    rows; ``svg``, the timeline as inline SVG (HTML only, made here, so marked safe;
    "" when no item is dated)."""
    from markupsafe import Markup

    from briefing.export.chart import source_counts

    # the chart itself goes in through briefing.export.present.timeline_svg (one place)
    return {"sources": source_counts(briefing), "svg": Markup("")}


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
