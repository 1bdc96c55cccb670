"""The briefing's timeline (issue 23): day counts, inline SVG in HTML, PNG in DOCX,
the items-per-source table."""

from __future__ import annotations

import io
from collections import Counter

import defusedxml.ElementTree as SafeET

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

def build_briefing_stub():
    from briefing.export.model import Briefing

    return Briefing(title="t", analyst=None, produced=None, since=None, until=None, filter="", group_by="date", groups=())


def test_a_short_span_is_labelled_with_days_never_hours(loaded):
    import datetime as dt
    import warnings
    from dataclasses import replace

    from briefing.export.model import DayCount

    corpus, store = loaded
    briefing = build_briefing(corpus, store, Filter(everything=True), OPTIONS)
    for days in (1, 2, 9):
        timeline = tuple(DayCount(dt.date(2024, 12, 27) + dt.timedelta(days=i), i + 1) for i in range(days))
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # matplotlib once warned it could not pick an interval
            svg = timeline_svg(replace(briefing, timeline=timeline))
        texts = [t.text.strip() for t in SafeET.fromstring(svg).iter(f"{SVG}text") if t.text and t.text.strip()]
        assert "27 Dec" in texts
        assert not any(":" in text for text in texts), texts  # no "00:00" or "12:00"
        if days == 9:
            assert "2024–2025" in texts and any(text.endswith("Jan") for text in texts)


def test_a_day_or_two_is_drawn_on_a_week_not_stretched_across_the_chart(loaded):
    import datetime as dt
    from dataclasses import replace

    import matplotlib.dates as mdates

    from briefing.export.chart import MIN_DAYS_SHOWN, _figure
    from briefing.export.model import DayCount

    corpus, store = loaded
    briefing = build_briefing(corpus, store, Filter(everything=True), OPTIONS)
    for days in (1, 2, 12):
        timeline = tuple(DayCount(dt.date(2024, 3, 10) + dt.timedelta(days=i), 1) for i in range(days))
        ax = _figure(replace(briefing, timeline=timeline)).axes[0]
        low, high = ax.get_xlim()
        wide = max(days, MIN_DAYS_SHOWN)  # a week at least; a longer span as it is (with its margins)
        assert wide - 0.01 <= high - low < wide + 1, (days, high - low)
        bars = [p for p in ax.patches if p.get_height() > 0]
        assert len(bars) == days and all(bar.get_width() <= 1 for bar in bars)
        first = mdates.num2date(bars[0].get_x()).date()
        assert first == dt.date(2024, 3, 10) and low < bars[0].get_x() and bars[-1].get_x() + bars[-1].get_width() < high
