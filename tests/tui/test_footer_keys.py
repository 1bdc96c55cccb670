"""The key hints at the bottom let go of the keys they replace.

Textual 8's Footer binds every key widget it mounts to its own ``compact`` value, and
a replaced key stayed in the Footer's watchers until ``compact`` changed, which it
never does: each focus change between the list and the text kept another footer's
worth of widgets for the rest of the session (about 0.6 MB for every article opened,
without bound). ``KeyFooter`` drops the watchers of the keys it removed."""

from __future__ import annotations

import gc

from textual.widgets._footer import FooterKey

from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.footer import KeyFooter

from .conftest import drive, settle, wait_until


def keys_alive() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, FooterKey))


def test_the_footer_keeps_only_the_keys_it_shows_however_often_the_focus_moves(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        screen = app.screen
        footer = screen.query_one(KeyFooter)
        articles = screen.query_one(ArticleList)
        rounds = 12
        for n in range(rounds):
            before = {id(k) for k in footer.query(FooterKey)}
            pane = screen.reader if n % 2 == 0 else articles
            pane.focus()

            def rebuilt(pane=pane, before=before) -> bool:  # for the pane: other key widgets
                now = {id(k) for k in footer.query(FooterKey)}
                return pane.has_focus and bool(now) and not before & now

            await wait_until(pilot, rebuilt, what="the footer rebuilt")
            await settle(pilot)
        shown = list(footer.query(FooterKey))
        descriptions = {k.description for k in shown}
        alive = keys_alive()
        # the footer still shows the list's keys (the focus ended there)...
        assert articles.has_focus and shown
        assert {b.description for b in articles.BINDINGS if getattr(b, "show", True) and b.description} & descriptions
        # ...and nothing more than one footer's worth of keys is kept beside them
        # (without the fix: a footer's worth for each of the 12 rebuilds)
        assert alive <= 2 * len(shown), (alive, len(shown))

    drive(app, test)
