"""The binding tables and the worker messages, without an app."""

from __future__ import annotations

import ast
import dataclasses
import inspect

from textual.binding import Binding

from briefing.tui import bindings
from briefing.tui.keys import key_entries, known_ids
from briefing.tui.messages import (
    IndexProgress,
    SearchDone,
    StoriesProgress,
    SummaryFailed,
    SummaryKey,
)
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import Reader
from briefing.tui.widgets.timeline_strip import TimelineStrip
from briefing.tui.widgets.watchlists_panel import WatchlistsPanel


def test_the_binding_tables_are_a_leaf_module():
    tree = ast.parse(inspect.getsource(bindings))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert imported <= {"__future__", "dataclasses", "textual.binding"}


def test_screens_and_widgets_bind_the_tables_help_and_the_palette_list():
    assert MainScreen.BINDINGS == [*bindings.MAIN, *bindings.ANNOTATION, *bindings.STORY, *bindings.WATCH, *bindings.SELECT, *bindings.LAYOUT,
                                  *bindings.BRIEF, *bindings.STATS]
    assert TimelineStrip.BINDINGS is bindings.TIMELINE_STRIP
    assert WatchlistsPanel.BINDINGS is bindings.WATCHLISTS_PANEL
    assert ArticleList.BINDINGS is bindings.ARTICLE_LIST and Reader.BINDINGS is bindings.READER
    listed = {entry.id for entry in key_entries({})}
    for table in (bindings.MAIN, bindings.ANNOTATION, bindings.STORY, bindings.ARTICLE_LIST, bindings.APP,
                  bindings.WATCH, bindings.WATCHLISTS_PANEL, bindings.SELECT, bindings.SELECTION_MODE, bindings.LAYOUT,
                  bindings.BRIEF, bindings.BRIEF_SCREEN, bindings.BRIEF_PREVIEW, bindings.STATS, bindings.TIMELINE_STRIP):
        assert {b.id for b in table if isinstance(b, Binding)} <= listed
    assert known_ids() == listed
    remapped = {e.id: e.keys for e in key_entries({"next-article": "ctrl+n, N"})}
    assert remapped["next-article"] == ("ctrl+n", "N")


def test_every_listed_binding_has_an_id_once():
    ids = [b.id for area in bindings.AREAS for b in area.bindings if isinstance(b, Binding)]
    assert all(ids) and len(ids) == len(set(ids))


def test_progress_messages_replace_the_one_still_waiting():
    assert IndexProgress(5, 10).can_replace(IndexProgress(1, 10))
    assert not IndexProgress(5, 10).can_replace(SummaryFailed(SummaryKey("a", "f", "m", 1), "x"))
    corpus, other = object(), object()
    assert StoriesProgress(corpus, 3, 9).can_replace(StoriesProgress(corpus, 1, 9))
    assert not StoriesProgress(corpus, 3, 9).can_replace(StoriesProgress(other, 1, 9))  # another corpus's


def test_worker_messages_are_dataclasses_that_name_what_they_were_computed_for():
    fields = [f.name for f in dataclasses.fields(SearchDone)]
    assert fields == ["query", "hits", "corpus"]
    assert all(f.default is dataclasses.MISSING for f in dataclasses.fields(SearchDone))  # nothing set afterwards
