"""Hand-built export models for the document formats (HTML, Word, PDF): a plain export,
a composed briefing (marking, bottom line, judgments, numbered sources, story
summaries) of any size, and hostile strings everywhere. Also used by
bench/print_check.py."""

from __future__ import annotations

import datetime as dt

from briefing.export.model import Briefing, Cited, DayCount, Group, Highlight, Item, Judgment, Note, Source

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> ) Tj /URI (javascript:alert(3)) >> endobj \\ ( \"; } @page { x"
BAD_URL = "javascript:alert(document.domain)"
MARKING = "OFFICIAL-SENSITIVE — Handle via team channels only"

WORDS = ("energy grid outage region officials said repairs would take several days while "
         "residents were asked to limit consumption and the ministry promised compensation for losses").split()


def sentence(seed: int, length: int = 18) -> str:
    words = [WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(length)]
    return " ".join(words).capitalize() + "."


def item(number: int, *, composed: bool = True, hostile: bool = False, day: dt.date | None = dt.date(2024, 4, 24)) -> Item:
    bad = f" {HOSTILE}" if hostile else ""
    url = BAD_URL if hostile and number % 2 == 0 else f"https://news.example/{number}"
    return Item(
        number=number,
        id=f"{number:03d}_article.txt",
        headline=f"Headline number {number} about the grid{bad}",
        date=day,
        source=f"Outlet {number % 5}{bad}",
        author=f"Reporter {number % 7}{bad}",
        path=f"{number:03d}_article.txt",
        tags=("energy", f"region-{number % 3}"),
        status="flagged" if number % 4 == 0 else "read",
        summary=tuple(sentence(number * 3 + k) + bad for k in range(3)),
        summary_method="lead",
        summary_note=None,
        highlights=(Highlight(quote=f"A quoted line from article {number}.{bad}", note=f"record number {number}{bad}"),),
        notes=(Note(text=f"Follow up with the desk.{bad}\nSecond line of the note.", at="2026-11-20T12:00:00Z"),),
        text_changed=False,
        sources=(
            (Source(id=f"{number:03d}_article.txt", headline=f"Headline number {number}", date=day, source="Outlet A"),
             Source(id=f"{number:03d}_copy.txt", headline=f"Copy of {number}{bad}", date=None, source=None))
            if number % 5 == 1 else ()
        ),
        url=url,
        why=f"It changes the repair estimate for region {number % 3}.{bad}" if composed else "",
        cite=number if composed else 0,
        story_summary=(sentence(number + 100) + bad, sentence(number + 101)) if composed and number % 5 == 1 else (),
        differences=(f"Outlet A dates the outage to 24 April; the copy gives no date.{bad}",) if composed and number % 5 == 1 else (),
    )


def composed(n: int = 6, *, hostile: bool = False, sections: int = 3) -> Briefing:
    items = tuple(item(k, hostile=hostile, day=dt.date(2024, 4, 1) + dt.timedelta(days=k % 20)) for k in range(1, n + 1))
    per = max(1, (n + sections - 1) // sections)
    groups = tuple(
        Group(key=f"section-{s}", label=f"Section {s + 1}: grid and supply{' ' + HOSTILE if hostile else ''}", items=items[s * per:(s + 1) * per])
        for s in range(sections) if items[s * per:(s + 1) * per]
    )
    bad = f" {HOSTILE}" if hostile else ""
    cited = tuple(
        Cited(number=it.number, id=it.id, title=it.headline, outlet=it.source, author=it.author, date=it.date, url=it.url)
        for it in items
    )
    return Briefing(
        title=f"Grid week{bad}",
        analyst=f"A. Analyst{bad}",
        produced=dt.date(2026, 11, 21),
        since=dt.date(2024, 4, 1),
        until=dt.date(2024, 4, 20),
        filter="",
        group_by="section",
        groups=groups,
        items=items,
        marking=MARKING + bad,
        bluf=f"Repairs will take longer than officials say.{bad}\nExpect rationing in two regions.",
        judgments=(
            Judgment(text=f"Power will not be fully restored before May.{bad}", confidence="likely", cites=(1, 2),
                     highlights=(f"A quoted line from article 1.{bad}",)),
            Judgment(text="Compensation payments will be delayed.", confidence="roughly even chance", cites=(3,)),
        ),
        scale="ICD-203",
        cited=cited,
        methods=f"Summaries: sentences taken from the articles (lead method).{bad}",
        timeline=tuple(DayCount(day=dt.date(2024, 4, 1) + dt.timedelta(days=d), count=d % 4 + 1) for d in range(5)),
        undated=0,
    )


def plain(n: int = 4, *, hostile: bool = False) -> Briefing:
    items = tuple(item(k, composed=False, hostile=hostile) for k in range(1, n + 1))
    return Briefing(
        title="Plain export",
        analyst=None,
        produced=None,
        since=dt.date(2024, 4, 24),
        until=dt.date(2024, 4, 24),
        filter="tag energy",
        group_by="date",
        groups=(Group(key="2024-04-24", label="Wednesday 24 April 2024", items=items),),
        items=items,
    )
