"""The briefing's timeline (issue 23): day counts, inline SVG in HTML, PNG in DOCX,
the items-per-source table."""

from __future__ import annotations

import io
from collections import Counter

import defusedxml.ElementTree as SafeET
import pytest

from briefing.export import BriefingOptions, Filter, export_briefing
from briefing.export.build import build_briefing
from briefing.export.chart import day_counts, source_counts, timeline_png, timeline_svg

OPTIONS = BriefingOptions(title="<script>alert(1)</script> week", method="lead")
SVG = "{http://www.w3.org/2000/svg}"


def test_timeline_counts_items_by_day_and_undated_apart(loaded):
    corpus, store = loaded
    briefing = build_briefing(corpus, store, Filter(everything=True), OPTIONS)
    want = Counter(item.date for item in briefing.items)
    undated = want.pop(None, 0)
    assert undated > 0 and len(want) >= 2  # the sample has both
    assert [(d.day, d.count) for d in briefing.timeline] == sorted(want.items())
    assert briefing.undated == undated
    assert day_counts(()) == ((), 0)
    assert sum(n for _s, n in source_counts(briefing)) == len(briefing.items)


def test_html_carries_a_safe_inline_svg(loaded):
    corpus, store = loaded
    html = export_briefing(corpus, store, Filter(everything=True), "html", OPTIONS).text
    start, end = html.index("<svg "), html.index("</svg>") + len("</svg>")
    svg = html[start:end]
    root = SafeET.fromstring(svg)  # parses, with no DTD or entity
    assert root.tag == f"{SVG}svg"
    for element in root.iter():
        assert not element.tag.lower().endswith(("script", "foreignobject", "image"))
        for name, value in element.attrib.items():
            assert not name.lower().rsplit("}", 1)[-1].startswith("on"), name
            if name.endswith("href"):
                assert value.startswith("#"), value  # only references inside the picture
    assert "<script" not in svg.lower() and "http://" not in svg.replace("http://www.w3.org/", "")
    assert "<?xml" not in html and "<metadata" not in svg and "alert(1)" not in svg
    texts = [t.text for t in root.iter(f"{SVG}text") if t.text]
    assert any(text.strip().isdigit() for text in texts)  # counts on the axis, as text
    assert "<table class=\"source-counts\">" in html
    # The same briefing gives the same bytes (fixed hash salt, no date).
    assert export_briefing(corpus, store, Filter(everything=True), "html", OPTIONS).text == html
    assert 'content="default-src \'none\'' in html  # the export's CSP still applies


def test_docx_holds_the_picture_and_the_table(loaded):
    import docx

    corpus, store = loaded
    data = export_briefing(corpus, store, Filter(everything=True), "docx", OPTIONS).data
    document = docx.Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 1
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Source", "Items"]
    briefing = build_briefing(corpus, store, Filter(everything=True), OPTIONS)
    assert [(r.cells[0].text, int(r.cells[1].text)) for r in table.rows[1:]] == list(source_counts(briefing))


def test_png_and_svg_are_empty_without_dated_items(loaded):
    corpus, store = loaded
    briefing = build_briefing(corpus, store, Filter(everything=True), OPTIONS)
    png = timeline_png(briefing)
    assert png.startswith(b"\x89PNG") and png == timeline_png(briefing)
    from dataclasses import replace

    bare = replace(briefing, timeline=())
    assert timeline_svg(bare) == "" and timeline_png(bare) == b""


def test_layout_bars_follow_the_counts_on_round_ticks():
    import datetime as dt
    from dataclasses import replace

    from briefing.export.chart import layout
    from briefing.export.model import DayCount

    days = {dt.date(2024, 4, 1): 3, dt.date(2024, 4, 2): 6, dt.date(2024, 4, 4): 12}  # the 3rd is empty
    briefing = replace(build_briefing_stub(), timeline=tuple(DayCount(d, n) for d, n in sorted(days.items())))
    plot = layout(briefing)
    assert plot is not None and plot.title == "Items per day"
    assert len(plot.bars) == 3  # no bar for the empty day, but its place is kept
    heights = [h for _x, _y, _w, h in plot.bars]
    assert heights[1] == 2 * heights[0] and heights[2] == 4 * heights[0]
    xs = [x for x, _y, _w, _h in plot.bars]
    assert xs[2] - xs[1] == pytest.approx(2 * (xs[1] - xs[0]))  # the gap of the empty day
    assert all(abs(y + h - plot.bottom) < 1e-9 for _x, y, _w, h in plot.bars)  # bars stand on the axis
    labels = [label for _y, label in plot.y_ticks]
    assert labels[0] == "0" and int(labels[-1]) >= 12 and all(label.isdigit() for label in labels)
    assert [label for _x, label in plot.x_ticks] == ["1 Apr 2024", "2 Apr", "3 Apr", "4 Apr"]
    svg = timeline_svg(briefing)
    assert svg.count("<rect ") == 3 and ">1 Apr 2024<" in svg
    png = timeline_png(briefing)
    from PIL import Image

    assert Image.open(io.BytesIO(png)).size == (960, 285)


def build_briefing_stub():
    from briefing.export.model import Briefing

    return Briefing(title="t", analyst=None, produced=None, since=None, until=None, filter="", group_by="date", groups=())
