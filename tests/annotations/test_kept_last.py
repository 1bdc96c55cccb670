"""Issue 20: a command that opens a large annotation file and saves it at once
(``briefing tag`` right after a ``git pull``) keeps one index, that of the file it
wrote, on the way out; the index of the version it replaced is never written."""

from __future__ import annotations

import contextlib

import pytest

from briefing.annotations import AnnotationStore, kept
from tests.annotations.test_reindex import _change, _edited, pulled  # noqa: F401 - the fixture


def _cache_file(corpus):
    [only] = list((corpus.parent / "_cache" / "annotations").iterdir())
    return only


def test_a_save_right_after_a_pull_keeps_only_the_index_of_the_file_written(pulled, parsed):  # noqa: F811
    before = _cache_file(pulled.corpus).read_bytes()  # the index of the version before the pull
    with kept.kept_last():
        store, _, whole = pulled(_change(pulled.doc, _edited(pulled.doc)))
        assert not whole and not store.read_only
        assert _cache_file(pulled.corpus).read_bytes() == before  # the pulled version's index: not written
        store.add_tags("00020.txt", ["mine"])
        assert _cache_file(pulled.corpus).read_bytes() == before  # the written one's: not yet
    assert _cache_file(pulled.corpus).read_bytes() != before
    parsed.clear()
    again = AnnotationStore.open(pulled.corpus)  # the index kept is the file's on disk: nothing parsed
    assert not parsed and getattr(again.document.articles, "lazy", False)
    assert again.get("00020.txt").tags == ("energy", "mine", "t20")


@pytest.mark.parametrize("leaving", ["normally", "by an exception"])
def test_with_nothing_saved_the_index_of_the_version_read_is_kept(pulled, parsed, leaving):  # noqa: F811
    before = _cache_file(pulled.corpus).read_bytes()
    with pytest.raises(SystemExit) if leaving != "normally" else contextlib.nullcontext(), kept.kept_last():
        store, got, whole = pulled(_change(pulled.doc, _edited(pulled.doc)))
        assert not whole and not store.read_only
        if leaving != "normally":
            raise SystemExit(1)  # (a command failing after the open)
    assert _cache_file(pulled.corpus).read_bytes() != before
    parsed.clear()
    again = AnnotationStore.open(pulled.corpus)  # no reindex: nothing parsed
    assert not parsed and again.get("00011.txt").tags == ("energy", "pulled")


def test_another_thread_keeps_its_index_at_once_meanwhile() -> None:
    """(the reader's background check keeps an index while a command defers its own)"""
    import threading

    seen: list[bool] = []
    with kept.kept_last():
        assert kept.keeping_later()
        worker = threading.Thread(target=lambda: seen.append(kept.keeping_later()))
        worker.start()
        worker.join()
    assert seen == [False]
    assert not kept.keeping_later()
