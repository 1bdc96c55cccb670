"""Markdown output keeps untrusted text inert: parsed back with a CommonMark parser
(markdown-it-py, with GFM tables and strikethrough on), article and note text must
yield only text, never a heading, link, image, HTML, code or table of its own."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from briefing.export import BriefingOptions, Filter, export_briefing
from briefing.export.mdescape import md_block, md_inline

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
LIVE = {"html_block", "html_inline", "link_open", "image", "code_inline", "code_block", "fence", "table_open", "s_open", "em_open", "strong_open", "hr", "heading_open", "blockquote_open", "bullet_list_open", "ordered_list_open"}


def tokens(text: str):
    out = []
    for token in PARSER.parse(text):
        out.append(token)
        out.extend(token.children or ())
    return out


def plain(text: str) -> str:
    """The text a renderer shows for one inline paragraph."""
    parts = []
    for token in tokens(text):
        if token.type == "text":
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


HOSTILE = [
    "# not a heading",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[link](http://x)",
    "![img](http://x)",
    "<http://x>",
    "`code` and ``more``",
    "```",
    "~~~",
    "    four spaces",
    "> quoted",
    "- item",
    "+ item",
    "* item",
    "1. item",
    "2) item",
    "***",
    "---",
    "===",
    "a | b",
    "*em* _em_ **strong** __strong__ ~~gone~~",
    "&amp; &#60;tag&#62;",
    "[ref]: http://x",
    "$x^2$",
    "back\\slash\\",
    "trailing spaces   ",
]


def test_each_hostile_line_stays_text():
    for line in HOSTILE:
        shown = md_inline(line)
        kinds = {t.type for t in tokens(shown)}
        assert not kinds & LIVE, (line, shown, kinds)
        assert plain(shown) == line.strip(), (line, shown)


def test_a_hostile_block_keeps_its_lines_as_text():
    text = "\n".join(HOSTILE)
    shown = md_block(text)
    kinds = {t.type for t in tokens(shown)}
    assert not kinds & LIVE, kinds
    assert plain(shown) == "\n".join(line.strip() for line in HOSTILE)


def test_setext_underline_after_a_line_is_not_a_heading():
    shown = md_block("Title\n===\nSub\n---")
    assert not {t.type for t in tokens(shown)} & LIVE
    assert plain(shown) == "Title\n===\nSub\n---"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("#>-+*=_`~[]()!<>|&$%\\/:.1 aZ\n\t")), max_size=40))
def test_any_punctuation_soup_renders_as_itself(text):
    shown = md_block(text)
    kinds = {t.type for t in tokens(shown)}
    assert not kinds & LIVE, (text, shown, kinds)
    expected = "\n".join(" ".join(line.replace("\t", " ").split(" ")).strip(" ") for line in text.split("\n") if line.strip(" \t"))
    assert plain(shown).replace("\n", "") == expected.replace("\n", "")


def test_the_export_has_only_the_structure_the_template_makes(loaded):
    """Headings: the title, Contents and one per group and per item; links, images,
    HTML, code: none, although every hostile string is in the corpus or the notes."""
    corpus, store = loaded
    text = export_briefing(corpus, store, Filter(), "md", BriefingOptions(method="lead")).text
    all_tokens = tokens(text)
    kinds = {t.type for t in all_tokens}
    assert not kinds & {"html_block", "html_inline", "link_open", "image", "code_inline", "code_block", "fence"}
    # One table: the template's items per source (issue 23); a hostile outlet stays one cell.
    assert [t.type for t in all_tokens].count("table_open") == 1
    assert [t.type for t in all_tokens].count("tr_open") == 3  # the header, "(no source)" and the hostile outlet
    headings = [t for t in PARSER.parse(text) if t.type == "heading_open"]
    assert [h.tag for h in headings] == ["h1", "h2"] + ["h2", "h3"] * 4
    rendered = PARSER.render(text)
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in rendered  # shown, as text
