"""The article's language in the reader (issue 19): ``O`` sets the analyst's
language over the detected one, saved in annotations.yaml like a title or date
correction (empty goes back to the detected one). The list row and the details
show the effective language (:func:`row_code`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing.lang import name
from briefing.tui.screens.language import LanguageScreen
from briefing.tui.state import Targets

if TYPE_CHECKING:
    from briefing.model import ArticleMeta
    from briefing.tui.features.annotate import Annotate


def row_code(meta: ArticleMeta) -> str:
    """The compact language mark of a list row: ``uk``; blank when unknown."""
    return meta.lang or ""


class Language:
    """``O`` on the article in focus (or the first marked one)."""

    def __init__(self, annotate: Annotate) -> None:
        self.annotate = annotate

    def set_language(self) -> None:
        started = self.annotate.choose()
        if started is None:
            return
        store, chosen = started
        ids = chosen.ids[:1]
        current = store.get(ids[0]).lang
        corpus = self.annotate.host.state.corpus
        detected = corpus.get(ids[0]).lang if corpus is not None else None

        def done(value: str | None) -> None:
            if value is None or (current is None and value.strip() == (detected or "")):
                return  # cancelled, or the detected language left as it was
            self.annotate.apply(lambda: store.set_lang(ids, value.strip() or None))

        what = f"{self.annotate.describe(Targets(ids))} (detected: {name(detected)})"
        self.annotate.host.node.app.push_screen(LanguageScreen(what, current or detected or ""), done)
