"""Opening an article, and writing the read marks a moment after the last open.

A text file parses in well under a millisecond: it is read on the UI thread and the
pane is drawn once; anything else (HTML, very long texts) is read in a worker. Read
marks are written a moment after the last open (or at most a few seconds after the
first one not written), never on each keypress, and when the reader closes.
"""

from __future__ import annotations

import time

from textual import work
from textual.dom import DOMNode
from textual.timer import Timer
from textual.worker import get_current_worker

from briefing.corpus.view import CorpusView
from briefing.model import ArticleMeta
from briefing.tui.features.host import ListHost
from briefing.tui.marks import ArticleMarks, StoreMarks
from briefing.tui.messages import ArticleFailed, ArticleLoaded

QUICK_SUFFIXES = (".txt", ".md", ".markdown")  # read on the UI thread when opened (fast to parse)
QUICK_WORDS = 20_000  # longer files are read in a worker
READ_FLUSH_DELAY_S = 1.0  # read marks are written this long after the last open…
READ_FLUSH_MAX_S = 10.0  # …or at most this long after the first one not written


@work(thread=True, exclusive=True, group="article", exit_on_error=False, description="read article")
def read_worker(node: DOMNode, corpus: CorpusView, article_id: str) -> None:
    worker = get_current_worker()
    try:
        article = corpus.article(article_id)
    except Exception as exc:  # unreadable, vanished, or a parser bug: say so in the pane
        node.post_message(ArticleFailed(article_id, f"Cannot read {article_id}: {exc}"))
        return
    if not worker.is_cancelled:
        node.post_message(ArticleLoaded(article))


class Reading:
    def __init__(self, host: ListHost, marks: ArticleMarks) -> None:
        self.host = host
        self.marks = marks
        self._flush_timer: Timer | None = None
        self._flush_deadline: float | None = None  # monotonic time the pending marks must be written by

    def open(self, article_id: str, *, mark: bool = True) -> ArticleLoaded | ArticleFailed | ArticleMeta | None:
        """Open ``article_id``: a text quick to read is read at once (the result is
        returned, for the screen to show in this frame); else a worker reads it and
        posts the result (its details are returned, to show meanwhile). None: not
        in the corpus. ``mark=False``: a preview, the article stays unread."""
        state, node = self.host.state, self.host.node
        if state.corpus is None:
            return None
        try:
            meta = state.corpus.get(article_id)
        except KeyError:
            return None
        state.current_id = article_id
        state.current_article = None
        articles = self.host.articles
        if mark:
            self.marks.mark_read(article_id)
            self.schedule_flush()
            articles.refresh_row(article_id)
        articles.highlight_id(article_id)
        if str(meta.path).lower().endswith(QUICK_SUFFIXES) and (meta.words or 0) < QUICK_WORDS:
            node.workers.cancel_group(node, "article")
            try:
                return ArticleLoaded(state.corpus.article(article_id))
            except Exception as exc:  # unreadable, vanished, or a parser bug: say so in the pane
                return ArticleFailed(article_id, f"Cannot read {article_id}: {exc}")
        read_worker(node, state.corpus, article_id)
        return meta

    def step(self, step: int) -> str | None:
        """n/p: the article ``step`` rows from the open one (None after a bell)."""
        target = self.host.articles.neighbour(self.host.state.current_id, step)
        if target is None:
            self.host.node.app.bell()
            return None
        self.host.state.travel = 1 if step > 0 else -1
        return target

    # --- read marks ---------------------------------------------------------------------

    def mark_read(self, article_id: str) -> None:
        """Mark an article read without opening it again (a preview dwelt on)."""
        self.marks.mark_read(article_id)
        self.schedule_flush()
        self.host.articles.refresh_row(article_id)

    def schedule_flush(self) -> None:
        if not (isinstance(self.marks, StoreMarks) and self.marks.unsaved):
            return
        now = time.monotonic()
        if self._flush_deadline is None:
            self._flush_deadline = now + READ_FLUSH_MAX_S
        if self._flush_timer is not None:
            self._flush_timer.stop()
        delay = max(0.05, min(READ_FLUSH_DELAY_S, self._flush_deadline - now))  # a 0 s Timer divides by 0
        self._flush_timer = self.host.node.set_timer(delay, self._flush_due)

    def _flush_due(self) -> None:
        self._flush_timer = None  # this timer has fired: nothing to stop
        self.flush()

    def flush(self) -> None:
        """Write the read marks not saved yet (also on closing the reader)."""
        if self._flush_timer is not None:
            self._flush_timer.stop()
        self._flush_timer = None
        self._flush_deadline = None
        if isinstance(self.marks, StoreMarks):
            self.marks.flush()
