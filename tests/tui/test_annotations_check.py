"""Issue 20: a large annotation file never seen before opens in the reader at once and
is checked in the background: the status line says so while it runs; a flag set
meanwhile waits for the check; a file that turns out broken switches the reader to
what a broken file shows (read-only, the whole parse's message in the line that
stays, no annotations) and nothing is written."""

from __future__ import annotations

import asyncio
import threading

from briefing.annotations import AnnotationStore, indexed, verify, yamlio
from briefing.annotations.schema import AnnotationDoc, ArticleNotes
from briefing.corpus import open_corpus
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList

from .conftest import plain, quick_idle_checks, settle, wait_until
from .test_saving import status_line

BROKEN_ID = "zz/02000.txt"


def test_the_status_says_checking_then_a_broken_file_turns_read_only(seeds, monkeypatch):
    ids = [m.id for m in open_corpus(seeds).articles]
    entries = {i: ArticleNotes(tags=("from-the-team",)) for i in ids}
    entries.update({f"zz/{n:05}.txt": ArticleNotes(read=True) for n in range(indexed.LAZY_MIN + 10)})
    data = yamlio.dumps_bytes(AnnotationDoc(entries))
    old = f'  "{BROKEN_ID}":\n'.encode()
    data = data.replace(old, old + b'    tags: !!python/object/apply:os.system ["echo hostile"]\n')  # deep in the file
    path = seeds / "annotations.yaml"
    path.write_bytes(data)
    (seeds / BROKEN_ID).mkdir(parents=True)  # still in the folder (not an article): its entry is not read at open
    expected = AnnotationStore.open(seeds).error  # what the whole parse says at open
    assert expected is not None and "tags are not allowed" in expected
    gate = threading.Event()
    real = verify.run_check

    def gated(data: bytes):
        assert gate.wait(30)
        return real(data)

    monkeypatch.setattr(verify, "run_check", gated)
    monkeypatch.setattr(verify, "USE_CHILD", False)  # the same check in-process: no child to start here
    app = BriefingApp(seeds)

    async def test(pilot):
        try:
            await wait_until(pilot, lambda: "checking annotations" in status_line(app), what="the status says checking")
            assert "from-the-team" in app.marks.markers(ids[0]).tags  # shown from the unverified file
            live = app.screen.live  # nothing is pending: a reload is tried
            path.write_bytes(data + b"# another program\n")  # changed meanwhile: a reload merges it...
            live._reload = True  # (what the watcher says)
            live._redraw()  # ...after the check: on the UI thread it would wait for the check held above
            assert live._reload and live._timer is not None  # tried again later
            path.write_bytes(data)
            articles = app.screen.query_one(ArticleList)
            articles.focus()
            articles.highlight_id(ids[0])
            await pilot.press("f")  # flagged meanwhile: shown at once, its save waits for the check
            assert app.marks.markers(ids[0]).flagged
        finally:
            gate.set()
        await settle(pilot)
        await wait_until(pilot, lambda: "checking" not in status_line(app), what="the check is done")
        problem = app.screen.query_one("#annotations-problem")
        await wait_until(pilot, lambda: plain(problem) == f"Annotations are read-only: {expected}",
                         what="the whole parse's message")
        assert problem.display
        assert app.marks.markers(ids[0]).tags == ()  # what a broken file shows: nothing
        assert path.read_bytes() == data  # the flag set meanwhile was not written
        assert app.screen.saving.unsavable() is None  # (said: nothing left to warn of on quitting)

    async def main() -> None:  # not conftest.drive: it waits for every worker, and one waits for the check
        app.animation_level = "none"
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await test(pilot)

    with quick_idle_checks():
        asyncio.run(main())
    assert app.after_exit == []  # no file of "unsaved" annotations kept for a store reset to nothing
