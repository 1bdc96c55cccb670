"""The reader's keywords line: an article's keywords and the tags suggested for it.

Plain Content only (keywords and tags come from article text and annotation files).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from briefing.sanitize import clean_line

SEPARATOR = " · "


def keywords_content(keywords: Sequence, suggested: Sequence[str], accept_key: str = "") -> Content:
    """``Keywords a · b · c   tags? x, y (A adds)`` (one line: the pane cuts it with an
    ellipsis when narrow; the dialog ``A`` opens shows every suggestion). ``keywords``: :class:`briefing.stories.keywords.Keyword`
    values; ``accept_key``: how the key that accepts the suggestions looks."""
    parts: list = [("Keywords ", "dim")]
    if keywords:
        for i, kw in enumerate(keywords):
            if i:
                parts.append((SEPARATOR, "dim"))
            parts.append((clean_line(kw.text), "bold" if kw.kind == "name" else ""))
    else:
        parts.append(("(none)", "dim italic"))
    if suggested:
        parts.append(("   tags? ", "dim"))
        parts.append((", ".join(clean_line(t) for t in suggested), "$text-secondary"))
        if accept_key:
            parts.append((f" ({clean_line(accept_key)} adds)", "dim"))
    return Content.assemble(*parts)
