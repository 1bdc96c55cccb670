"""The watchlists panel (issue 16): counts, the list narrowed to a watchlist, live
counts and a notification when a file arrives, automatic tags shown apart, a
hostile watchlists file told in the panel while the reader keeps working."""

from __future__ import annotations

from pathlib import Path

from briefing.annotations import AnnotationStore
from briefing.corpus import open_corpus
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.status_bar import StatusBar
from briefing.tui.widgets.watchlists_panel import WatchlistsPanel
from briefing.watchlists import WatchlistStore
from briefing.watchlists.evaluate import matching_ids

from .conftest import drive, flush_saves, plain, settle, wait_until

LIVE_S = 5.0


def panel_lines(app) -> list[str]:
    options = app.screen.query_one(WatchlistsPanel).options
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def write_article(path: Path, title: str, body: str) -> None:
    path.write_text(f"---\ntitle: {title}\ndate: 2030-01-02\n---\n{body}\n", encoding="utf-8")


def expected(seeds, query: str) -> set[str]:
    return matching_ids(query, open_corpus(seeds))


def test_the_panel_lists_counts_and_filters_the_list_on_select(seeds):
    lists = WatchlistStore(seeds)
    lists.add("Kyiv", "kyiv")
    lists.add("Gas", "gas")
    kyiv = expected(seeds, "kyiv")
    assert 1 < len(kyiv) < len(open_corpus(seeds).articles)
    first_read = sorted(kyiv)[0]
    AnnotationStore.open(seeds).set_read([first_read], True)
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("w")
        await settle(pilot)
        panel = app.screen.query_one(WatchlistsPanel)
        assert panel.display and panel.options.has_focus
        gas = expected(seeds, "gas")
        await wait_until(pilot, lambda: "…" not in " ".join(panel_lines(app)), what="the counts")
        assert panel_lines(app) == [f"  Gas  {len(gas)} unread / {len(gas)}",
                                    f"  Kyiv  {len(kyiv) - 1} unread / {len(kyiv)}"]
        await pilot.press("down", "enter")
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        assert set(articles.shown_ids) == kyiv
        assert "watchlist “Kyiv”" in plain(app.screen.query_one(StatusBar))
        assert panel_lines(app)[1].startswith("▶ Kyiv")
        await pilot.press("enter")  # the same one again: the filter is off
        await settle(pilot)
        assert len(articles.shown_ids) == len(open_corpus(seeds).articles)
        await pilot.press("enter")
        await settle(pilot)
        assert set(articles.shown_ids) == kyiv
        await pilot.press("escape")  # closes the panel
        await settle(pilot)
        assert not panel.display
        await pilot.press("C")  # the filter is cleared like any other
        await settle(pilot)
        assert len(articles.shown_ids) == len(open_corpus(seeds).articles)

    drive(app, test)


def test_a_new_matching_file_updates_the_count_notifies_and_is_tagged(seeds):
    WatchlistStore(seeds).add("Zebra", "zebra", ["zoo"])
    app = BriefingApp(seeds)

    async def test(pilot):
        await wait_until(pilot, lambda: app.screen.live.watcher is not None, what="the watcher")
        await pilot.press("w")
        await wait_until(pilot, lambda: panel_lines(app) == ["  Zebra  0 unread / 0  +zoo"], what="the count")
        write_article(seeds / "zz_new.md", "Zebra escapes", "A zebra left the zoo at dawn. Keepers followed.")
        await wait_until(pilot, lambda: panel_lines(app) == ["  Zebra  1 unread / 1  +zoo"], timeout=LIVE_S,
                         what="the live count")
        await wait_until(pilot, lambda: any("Watchlist “Zebra”" in str(n.message) and "Zebra escapes" in str(n.message)
                                            for n in app._notifications), what="the notification")
        articles = app.screen.query_one(ArticleList)
        await wait_until(pilot, lambda: "zz_new.md" in articles.shown_ids
                         and "+zoo" in articles.row_content("zz_new.md").plain, what="the automatic tag")
        flush_saves(app)
        assert AnnotationStore.open(seeds).get("zz_new.md").auto_tags == ("zoo",)
        # a file that does not match changes nothing
        write_article(seeds / "zz_other.md", "Weather", "Sun all week.")
        await wait_until(pilot, lambda: "zz_other.md" in articles.shown_ids, timeout=LIVE_S, what="the other file")
        await settle(pilot)
        assert panel_lines(app) == ["  Zebra  1 unread / 1  +zoo"]

    drive(app, test)


def test_a_file_rewritten_to_no_longer_match_leaves_the_count(seeds):
    WatchlistStore(seeds).add("Zebra", "zebra")
    write_article(seeds / "zz_new.md", "Zebra escapes", "A zebra left the zoo at dawn.")
    app = BriefingApp(seeds)

    async def test(pilot):
        await wait_until(pilot, lambda: app.screen.live.watcher is not None, what="the watcher")
        await pilot.press("w")
        await wait_until(pilot, lambda: panel_lines(app) == ["  Zebra  1 unread / 1"], what="the count")
        write_article(seeds / "zz_new.md", "Horse escapes", "A horse left the farm at dawn.")
        await wait_until(pilot, lambda: panel_lines(app) == ["  Zebra  0 unread / 0"], timeout=LIVE_S,
                         what="the count after the rewrite")

    drive(app, test)


def test_automatic_tags_come_off_in_one_key_and_stay_off(seeds):
    ids = sorted(expected(seeds, "kyiv"))
    WatchlistStore(seeds).add("Kyiv", "kyiv", ["ua"])
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await wait_until(pilot, lambda: "+ua" in articles.row_content(ids[0]).plain, what="the automatic tag")
        assert "#ua" not in articles.row_content(ids[0]).plain
        articles.focus()
        articles.highlight_id(ids[0])
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("backspace")  # every automatic tag off the open article
        await settle(pilot)
        assert "+ua" not in articles.row_content(ids[0]).plain
        flush_saves(app)
        assert AnnotationStore.open(seeds).get(ids[0]).removed_auto_tags == ("ua",)
        await pilot.press("delete")  # the watchlist's tags off every article
        await settle(pilot)
        assert not any("+ua" in articles.row_content(i).plain for i in ids)
        assert WatchlistStore(seeds).get("Kyiv").tags == ()

    drive(app, test)


def test_a_hostile_watchlists_file_is_told_in_the_panel_and_left_alone(seeds):
    data = b"version: 1\nwatchlists:\n  a: !!python/object/apply:os.system [echo]\n"
    (seeds / "watchlists.yaml").write_bytes(data)
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("w")
        await settle(pilot)
        note = plain(app.screen.query_one("#watchlists-note"))
        assert "watchlists.yaml" in note and "line 3" in note
        assert panel_lines(app) == []
        await pilot.press("escape", "j")
        await settle(pilot)
        assert app.screen.query_one(ArticleList).display
        assert (seeds / "watchlists.yaml").read_bytes() == data

    drive(app, test)


def test_panel_snapshot(snap_compare, seeds, isolated_dirs):
    (isolated_dirs["config"] / "config.yaml").write_text("theme: briefing-dark\nsummary_method: lead\n", encoding="utf-8")
    lists = WatchlistStore(seeds)
    lists.add("Kyiv", "kyiv", ["ua"])
    lists.add("Gas [bold]deals[/]", "gas")
    app = BriefingApp(seeds)

    async def open_panel(pilot):
        await settle(pilot)
        await pilot.press("w")
        await wait_until(pilot, lambda: panel_lines(app) and "…" not in " ".join(panel_lines(app)), what="the counts")
        await wait_until(pilot, lambda: not app._notifications, timeout=15, what="the notifications to go")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=open_panel)


def test_the_reading_pane_shows_automatic_tags_apart(seeds):
    from briefing.tui.features.watchlists import mark_auto_tags

    metas = open_corpus(seeds).articles
    store = AnnotationStore.open(seeds, metas)
    meta = metas[0]
    store.add_tags(meta.id, ["mine"])
    store.apply_auto_tags({meta.id: ["auto\x1b[31m", "mine"]})
    shown = mark_auto_tags(store.effective_meta(meta), store)
    assert shown.tags[0] == "mine" and len(shown.tags) == 2  # the analyst's own first, the automatic one once
    assert shown.tags[1].startswith("+auto") and "\x1b" not in shown.tags[1]  # control bytes replaced
    assert mark_auto_tags(metas[1], store) is metas[1]
