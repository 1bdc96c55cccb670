"""The reader follows the folder while it is open (issue 14 "Live", issue 22 item 13):
another process's tags, files added, changed, renamed or removed, a burst of files,
all without a keypress. Real files, a real watcher, a real second process; every
wait is bounded and waits for a condition."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from briefing.corpus import open_corpus
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import Reader

from .conftest import drive, flush_saves, screen_text, settle, wait_until

REPO = Path(__file__).resolve().parents[2]
LIVE_S = 5.0  # the issue asks for 1 s (annotations) and 2 s (files); margin for a loaded test machine


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m briefing ...`` in another process, with this test's folders."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "briefing", *args], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


def ids_of(root) -> list[str]:
    return [m.id for m in open_corpus(root).articles]


def row(app, article_id: str) -> str:
    return app.screen.query_one(ArticleList).row_content(article_id).plain


async def first_saved(pilot, change):
    """The reader's store once its watcher runs and ``change(store)`` is on disk."""
    app = pilot.app
    await wait_until(pilot, lambda: app.screen.live.watcher is not None, what="the watcher")
    store = app.screen.store
    app.screen.apply_change(lambda: change(store))
    flush_saves(app)
    return store


async def change_while_locked(pilot, root, change, edit) -> None:
    """``change`` made in the reader while another process holds the annotations' lock
    (its save waits), ``edit`` done to the file meanwhile (an editor takes no lock),
    then the lock let go: the save meets the edited file."""
    from .test_saving import LockHolder

    holder = LockHolder(root / ".annotations.yaml.lock")
    try:
        pilot.app.screen.apply_change(change)
        edit()
        await pilot.pause(0.01)
    finally:
        holder.release()


def write_article(path: Path, title: str, date: str, body: str = "Text of the article. It has two sentences.") -> None:
    path.write_text(f"---\ntitle: {title}\ndate: {date}\n---\n{body}\n", encoding="utf-8")


async def open_row(pilot, article_id: str) -> None:
    articles = pilot.app.screen.query_one(ArticleList)
    articles.focus()
    articles.highlight_id(article_id)
    await pilot.press("enter")
    await settle(pilot)


def test_a_tag_added_by_another_process_shows_in_the_row_and_the_pane_without_a_key(seeds):
    ids = ids_of(seeds)
    app = BriefingApp(seeds)

    async def test(pilot):
        await wait_until(pilot, lambda: app.screen.live.watcher is not None, what="the watcher")
        await open_row(pilot, ids[1])
        flush_saves(app)  # the read mark is on disk: the other process merges with it
        assert "fromcli" not in row(app, ids[1])
        done = cli("tag", ids[1], "fromcli", "--corpus", str(seeds))
        assert done.returncode == 0, done.stderr
        await wait_until(pilot, lambda: "fromcli" in row(app, ids[1]), timeout=LIVE_S, what="the tag in the row")
        await wait_until(pilot, lambda: "fromcli" in screen_text(app).split("\n", 1)[1], timeout=LIVE_S,
                         what="the tag in the reading pane")
        assert "fromcli" in app.marks.markers(ids[1]).tags
        # the analyst's next change keeps the other program's tag (merged, not overwritten)
        await pilot.press("f")
        flush_saves(app)
        saved = yaml.safe_load((seeds / "annotations.yaml").read_text(encoding="utf-8"))["articles"][ids[1]]
        assert "fromcli" in saved["tags"] and saved.get("flagged") is True

    drive(app, test)


def test_a_file_added_appears_with_the_cursor_and_marks_kept(seeds):
    ids = ids_of(seeds)
    app = BriefingApp(seeds)

    async def test(pilot):
        await wait_until(pilot, lambda: app.screen.live.watcher is not None, what="the watcher")
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        articles.highlight_id(ids[2])
        await pilot.press("space")  # marks the row (the cursor moves down)
        marked, cursor = articles.marked_ids, articles.highlighted_id
        assert marked == [ids[2]]
        write_article(seeds / "zz-new.txt", "Freshly written report", "2030-01-01")
        await wait_until(pilot, lambda: "zz-new.txt" in articles.shown_ids, timeout=LIVE_S, what="the new row")
        assert "Freshly written report" in row(app, "zz-new.txt")
        assert articles.marked_ids == marked and articles.highlighted_id == cursor
        assert "6 articles" in screen_text(app)
        # the new article can be annotated at once (the store knows it)
        articles.clear_marks()  # else f acts on the marked rows
        articles.highlight_id("zz-new.txt")
        await pilot.press("f")
        flush_saves(app)
        saved = yaml.safe_load((seeds / "annotations.yaml").read_text(encoding="utf-8"))["articles"]
        assert saved["zz-new.txt"].get("flagged") is True

    drive(app, test)


def test_the_open_article_edited_on_disk_updates_its_header_then_says_when_it_goes(seeds):
    path = seeds / "zz-shown.txt"
    write_article(path, "Old headline", "2030-01-01")
    app = BriefingApp(seeds)

    async def test(pilot):
        await wait_until(pilot, lambda: app.screen.live.watcher is not None, what="the watcher")
        await open_row(pilot, "zz-shown.txt")
        reader = app.screen.query_one(Reader)
        assert "Old headline" in screen_text(app)
        write_article(path, "Corrected headline", "2030-02-03")
        await wait_until(pilot, lambda: "Corrected headline" in screen_text(app), timeout=LIVE_S,
                         what="the new title on screen")
        assert reader._article is not None and reader._article.meta.title == "Corrected headline"
        assert str(reader._article.meta.date) == "2030-02-03"
        assert "Corrected headline" in row(app, "zz-shown.txt") and "Old headline" not in screen_text(app)
        assert app.screen.state.current_id == "zz-shown.txt"
        path.unlink()
        await wait_until(pilot, lambda: "was removed from the folder" in screen_text(app), timeout=LIVE_S,
                         what="the pane saying the file went")
        assert "zz-shown.txt" not in app.screen.query_one(ArticleList).shown_ids

    drive(app, test)


def test_a_renamed_file_keeps_its_row_under_the_cursor_and_its_annotations(seeds):
    ids = ids_of(seeds)
    app = BriefingApp(seeds)
    old = ids[3]

    async def test(pilot):
        await wait_until(pilot, lambda: app.screen.live.watcher is not None, what="the watcher")
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        articles.highlight_id(old)
        await pilot.press("f")
        flush_saves(app)
        os.rename(seeds / old, seeds / "renamed.txt")
        # (the list reads its rows from the index: the new name may show before the list is laid out again)
        await wait_until(pilot, lambda: "renamed.txt" in articles.shown_ids and old not in articles.shown_ids
                         and articles.highlighted_id != old, timeout=LIVE_S, what="the row under its new name")
        assert articles.highlighted_id == "renamed.txt"
        assert app.marks.markers("renamed.txt").flagged  # the annotations followed the file

    drive(app, test)


def test_a_burst_of_200_files_is_listed_without_a_crash(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        await wait_until(pilot, lambda: app.screen.live.watcher is not None, what="the watcher")
        articles = app.screen.query_one(ArticleList)
        burst = seeds / "burst"
        burst.mkdir()
        for n in range(200):
            write_article(burst / f"b{n:03}.txt", f"Burst article {n}", f"2031-01-{n % 28 + 1:02}")
        await wait_until(pilot, lambda: len(articles.shown_ids) == 205, timeout=30, what="205 rows")
        assert "205 articles" in screen_text(app)
        assert not app.screen.live.watcher.errors

    drive(app, test, size=(100, 30))


def test_a_conflicting_edit_by_another_program_is_shown_not_silently_resolved(seeds):
    ids = ids_of(seeds)
    app = BriefingApp(seeds)
    path = seeds / "annotations.yaml"

    async def test(pilot):
        store = await first_saved(pilot, lambda s: s.set_title([ids[0]], "Base title"))

        def theirs() -> None:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data["articles"][ids[0]]["title"] = "Their title"  # an editor, which takes no lock
            path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

        await change_while_locked(pilot, seeds, lambda: store.set_title([ids[0]], "Our title"), theirs)

        def told() -> str:
            return "\n".join(str(t._notification.message) for t in app.screen.query("Toast"))

        await wait_until(pilot, lambda: "changed elsewhere too" in told(), timeout=LIVE_S, what="the conflict told")
        assert "Their title" in told() or "Our title" in told()
        flush_saves(app)
        saved = yaml.safe_load(path.read_text(encoding="utf-8"))["articles"][ids[0]]
        assert saved.get("conflicts"), saved  # the other value is kept in the file, not dropped

    drive(app, test)


def test_the_corpus_folder_removed_while_open_stops_saving_without_a_key(tmp_path, seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        await wait_until(pilot, lambda: app.screen.live.watcher is not None, what="the watcher")
        os.rename(seeds, tmp_path / "elsewhere")
        problem = app.screen.query_one("#annotations-problem")
        await wait_until(pilot, lambda: problem.display and "Saving stopped" in str(problem.render()),
                         timeout=LIVE_S, what="saving stopped, said")
        assert "saving stopped" in screen_text(app)

    drive(app, test)
    assert not seeds.exists()  # never recreated


def test_a_change_caught_by_a_file_turned_broken_is_saved_once_the_file_is_fixed(seeds):
    # The save meets the file broken by another program (held back by that program's
    # lock until the break is written); the change stays in memory, the reader goes
    # read-only, and once the file is fixed it is writable again, the change merged
    # with the fix and saved, and the read-only line gone.
    from .test_saving import status_line

    ids = ids_of(seeds)
    app = BriefingApp(seeds)
    path = seeds / "annotations.yaml"

    async def test(pilot):
        store = await first_saved(pilot, lambda s: s.add_tags([ids[0]], ["before"]))
        good = path.read_text(encoding="utf-8")
        await change_while_locked(pilot, seeds, lambda: store.add_tags([ids[1]], ["racetag"]),
                                  lambda: path.write_text(good.replace('- "before"', '- "before\n: [oops'), encoding="utf-8"))
        problem = app.screen.query_one("#annotations-problem")
        await wait_until(pilot, lambda: store.read_only and "NOT saved" in status_line(app), timeout=LIVE_S,
                         what="read-only, the change not saved")
        assert store.get(ids[1]).tags == ("racetag",)  # kept in memory
        path.write_text(good.replace('- "before"', '- "before"\n      - "handmade"'), encoding="utf-8")  # fixed
        await wait_until(pilot, lambda: not store.read_only, timeout=LIVE_S, what="writable again")
        flush_saves(app)
        saved = yaml.safe_load(path.read_text(encoding="utf-8"))["articles"]
        assert saved[ids[1]]["tags"] == ["racetag"] and saved[ids[0]]["tags"] == ["before", "handmade"]
        await wait_until(pilot, lambda: not problem.display, timeout=LIVE_S, what="the read-only line gone")
        assert "read-only" not in status_line(app) and "NOT saved" not in status_line(app)

    drive(app, test)


def test_quitting_with_a_change_that_cannot_be_saved_warns_then_keeps_it_in_a_file(seeds, isolated_dirs):
    from .test_saving import toasts

    ids = ids_of(seeds)
    app = BriefingApp(seeds)
    path = seeds / "annotations.yaml"

    async def test(pilot):
        store = await first_saved(pilot, lambda s: s.add_tags([ids[0]], ["before"]))
        await change_while_locked(pilot, seeds, lambda: store.add_tags([ids[1]], ["kept-for-me"]),
                                  lambda: path.write_text("articles: [unclosed\n", encoding="utf-8"))
        await wait_until(pilot, lambda: app.screen.saving.unsavable() is not None, timeout=LIVE_S, what="the save blocked")
        await pilot.press("q")
        await wait_until(pilot, lambda: any("Press q again" in t for t in toasts(app)), what="the warning")
        assert app.is_running  # not quit on the first q
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running, what="quit on the second q")

    drive(app, test)
    assert path.read_text(encoding="utf-8") == "articles: [unclosed\n"  # the broken file is left alone
    (told,) = app.after_exit
    assert "annotations NOT saved" in told and "is in " in told
    kept = Path(told.rsplit("is in ", 1)[1])
    assert kept.name.startswith("annotations.yaml.unsaved-") and kept.is_relative_to(isolated_dirs["state"])
    saved = yaml.safe_load(kept.read_text(encoding="utf-8"))["articles"]
    assert saved[ids[1]]["tags"] == ["kept-for-me"] and saved[ids[0]]["tags"] == ["before"]
