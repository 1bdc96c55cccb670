"""A summary as the command line prints it: JSON, or plain lines for the terminal
(rich ``Text``: article text is content, never markup)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefing.sanitize import clean_line

if TYPE_CHECKING:
    from rich.console import Group

    from briefing.model import Article
    from briefing.summarize import Summary


def summary_json(article: Article, result: Summary) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "method": result.method,
        "requested": result.requested,
        "sentences": result.sentences,
        "note": result.note,
    }


def summary_text(article: Article, result: Summary) -> Group:
    """The title, one bullet per sentence, the method used and any note, one line each."""
    from rich.console import Group
    from rich.text import Text

    lines = [Text(clean_line(article.title), style="bold")]
    if result.sentences:
        for sentence in result.sentences:
            line = Text("• ")
            line.append(" ".join(sentence.split()))  # plain content, never markup
            lines.append(line)
    else:
        lines.append(Text("(no summary)", style="italic"))
    used = result.method if result.method == result.requested else f"{result.method} (asked for {result.requested})"
    lines.append(Text(f"method: {used}", style="dim"))
    if result.note:
        lines.append(Text(f"note: {result.note}", style="dim"))
    return Group(*lines)
