"""Issue 18: seeds/formats (in the sample corpus) holds one small file of each format (shown in the README);
each loads with its title, date, author, source and url."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefing.corpus import open_corpus

EXAMPLES = Path(__file__).resolve().parents[2] / "seeds" / "formats"


def test_every_example_loads_with_its_metadata():
    corpus = open_corpus(EXAMPLES)
    assert corpus.problems == []
    got = {m.id: (m.title, m.date, m.author, m.url) for m in corpus.articles}
    assert got == {
        "010_grid_bulletin.pdf": ("Substation repairs ahead of schedule", dt.date(2024, 3, 15), "Grid Operator Press Office", None),
        "011_ceasefire_talks.docx": ("Ceasefire talks resume in Doha", dt.date(2024, 3, 11), "Field Desk", None),
        "012_flood_update.odt": ("River levels fall after the floods", dt.date(2024, 3, 13), "Regional Desk", None),
        "013_morning_brief.eml": ("Morning brief: grain, ports and power", dt.date(2024, 3, 14), "The Morning Brief",
                                  "https://newsletter.example.org/brief/2024-03-14"),
        "014_desk_mailbox.mbox#night-1@desk.example.net": ("Drone debris falls on warehouse", dt.date(2024, 3, 16), "Night Desk", None),
        "014_desk_mailbox.mbox#night-2@desk.example.net": ("Rail line reopens", dt.date(2024, 3, 17), "Night Desk", None),
        "015_wire_feed.rss#wire-2024-0318-rates": ("Central bank holds rates", dt.date(2024, 3, 18), "Markets Desk",
                                                   "https://wire.example.com/markets/rates-hold"),
        "015_wire_feed.rss#wire-2024-0319-harbour": ("Harbour traffic back to pre-war levels", dt.date(2024, 3, 19), None,
                                                     "https://wire.example.com/shipping/harbour"),
        "016_archive_dump.jsonl#dump-001": ("Parliament passes energy bill", dt.date(2024, 3, 20), "Politics Desk",
                                            "https://archive.example.net/a/001"),
        "016_archive_dump.jsonl#dump-002": ("Wheat prices ease", dt.date(2024, 3, 21), None, "https://archive.example.net/a/002"),
        "017_dam_inspection.md": ("Dam inspection finds no new cracks", dt.date(2024, 3, 22), "Infrastructure Desk",
                                  "https://herald.example.org/infrastructure/dam-inspection"),
        "018_port_strike.html": ("Port strike ends after pay deal", dt.date(2024, 3, 23), None,  # a desk is no writer
                                 "https://gazette.example.com/business/port-strike-ends"),
    }
    pdf = corpus.article("010_grid_bulletin.pdf")
    assert "northern substation" in pdf.body and "REGIONAL ENERGY BULLETIN" not in pdf.body
    assert corpus.article("015_wire_feed.rss#wire-2024-0318-rates").paragraphs() == [
        "The central bank kept its key rate unchanged on Monday, citing slowing inflation.", "Two members voted for a cut."]


def test_the_sample_corpus_lists_the_format_examples_with_the_five_articles():
    from briefing.corpus import open_corpus
    from briefing.resources import sample_corpus

    ids = {m.id for m in open_corpus(sample_corpus()).articles}
    assert {f"formats/{p.name}" for p in EXAMPLES.iterdir() if p.suffix not in (".rss", ".jsonl", ".mbox")} <= ids
    assert any(i.startswith("formats/015_wire_feed.rss#") for i in ids)
