"""The rows marked for a bulk action, as state (briefing/tui/widgets/list_marks.py): no
key per row when every row is marked, the exceptions kept through an inversion, a
relisting that drops what is no longer listed."""

from __future__ import annotations

import datetime as dt

from briefing.listing.layout import ListLayout
from briefing.listing.window import MetaListing
from briefing.tui.widgets.list_marks import BulkMarks

from .conftest import meta


def layout_of(ids: list[str]) -> ListLayout:
    """The rows of articles ``ids``, listed newest first (the order given)."""
    metas = [meta(i, i, dt.date(2024, 1, 28 - n)) for n, i in enumerate(ids)]
    return ListLayout(MetaListing(metas), None, set(), (), False)


def test_every_row_marked_holds_only_the_exceptions_and_inverts_to_them():
    layout = layout_of(["a", "b", "c", "d"])
    marks = BulkMarks()
    assert not marks and marks.count(layout.rows) == 0
    marks.mark_all()
    assert marks.keys == {} and marks.count(layout.rows) == 4
    marks.mark("b", False)
    assert marks.keys == {"b": None} and not marks.is_marked("b") and marks.is_marked("c")
    assert marks.keys_in(layout) == ["a", "c", "d"]  # in list order
    marks.invert()
    assert marks.keys_in(layout) == ["b"] and marks.count(layout.rows) == 1
    # laid out again without "b": nothing marked is left, and that is said (True)
    assert marks.keep_listed(layout, layout_of(["a", "c"])) and marks.count(2) == 0 and not marks


def test_a_relisting_keeps_the_marks_still_listed_and_renames_follow():
    marks = BulkMarks()
    for key in ("x", "y", "z"):
        marks.mark(key, True)
    marks.rename({"y": "y2"})
    assert list(marks.keys) == ["x", "y2", "z"]
    assert not marks.keep_listed(None, layout_of(["x", "y2", "z", "w"]))  # all still listed: nothing said
    assert marks.keep_listed(None, layout_of(["x", "w"])) and list(marks.keys) == ["x"]
    assert marks.unmark({"x", "w"}) and not marks
