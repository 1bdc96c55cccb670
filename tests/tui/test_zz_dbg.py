import sys
sys.path.insert(0, "/work/main")
from tests.tui.conftest import *
from tests.tui.test_annotations import ids_of, stored, open_row
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList

def test_x(seeds):
    ids = ids_of(seeds)
    app = BriefingApp(seeds)
    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        print("start", articles.highlighted_id, ids, app.focused)
        await pilot.press("m", "space")
        print("after marks", articles.highlighted_id, articles.marked_ids)
        await pilot.press("t", *"bulk", "enter")
        await settle(pilot)
        print("after tag", articles.highlighted_id, app.focused)
        await pilot.press("f"); await settle(pilot)
        await pilot.press("ctrl+z"); await settle(pilot)
        await pilot.press("ctrl+z"); await settle(pilot)
        await pilot.press("escape")
        print("before f", articles.highlighted_id, app.focused, app.screen.current_id)
    drive(app, test)

def test_y(seeds):
    ids = ids_of(seeds)
    app = BriefingApp(seeds)
    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await pilot.press("m", "space")
        await pilot.press("t", *"bulk", "enter")
        await settle(pilot)
        await pilot.press("f"); await settle(pilot)
        await pilot.press("ctrl+z"); await settle(pilot)
        await pilot.press("ctrl+z"); await settle(pilot)
        await pilot.press("escape")
        await pilot.press("f")
        await settle(pilot)
        print("after f", stored(seeds))
        await open_row(pilot, ids[3])
        print("after open", stored(seeds))
        await pilot.press("ctrl+z")
        await settle(pilot)
        print("after undo", stored(seeds))
    drive(app, test)
