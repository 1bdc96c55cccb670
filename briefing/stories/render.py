"""Stories as plain text and as JSON (for ``briefing stories``).

JSON (``briefing stories --json``), stable: the same corpus and settings give the
same bytes; stories in :attr:`Stories.stories` order (where a newest-first list
meets each first), members in story order (oldest first, undated last, then id)::

    {
      "schema": "briefing-stories/1",
      "articles": 5,                 # articles in the corpus
      "grouped": 2,                  # articles in a story
      "threshold": 0.2,
      "window_days": 7,
      "stories": [
        {
          "id": "002_779c45f11c9e3794.txt",   # the lead's article id
          "size": 2,
          "first_date": "2024-01-01" | null,  # earliest and latest member dates
          "last_date": "2024-01-02" | null,
          "members": [
            {"id": "...", "title": "...", "date": "2024-01-01" | null,
             "source": "..." | null, "similarity": 1.0}   # estimated, to the lead
          ]
        }
      ]
    }

Titles and sources are the index's (already clean of control bytes); text output
passes them through :func:`briefing.sanitize.clean_line` again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from briefing.jsontext import json_array_chunks, to_json_text
from briefing.model import ArticleMeta, CorpusView
from briefing.sanitize import clean_line, shorten
from briefing.stories.group import Stories, Story

SCHEMA_ID = "briefing-stories/1"
TITLE_WIDTH = 72


MEMBERS_PER_READ = 2000  # members whose metas are read from the index in one go


def member_metas(corpus: CorpusView, ids: Sequence[str]) -> dict[str, ArticleMeta]:
    """id -> meta (as ``corpus.get`` gives it) of ``ids``: read in batches from the
    index when ``corpus`` reads its articles from one (a million-article corpus is
    never loaded whole to print its stories), else looked up one by one."""
    from briefing.annotations.corrected import CorrectedCorpus
    from briefing.listing.stream import metas_by_id, reads_from_index

    inner = corpus.corpus if isinstance(corpus, CorrectedCorpus) else corpus
    if not reads_from_index(inner):
        return {i: corpus.get(i) for i in ids}
    metas = metas_by_id(inner._conn(), ids)  # type: ignore[attr-defined]
    if isinstance(corpus, CorrectedCorpus):
        metas = [corpus.fix(m) for m in metas]
    return {m.id: m for m in metas}


def _batches(stories: Stories, corpus: CorpusView) -> Iterator[tuple[list[Story], dict[str, ArticleMeta]]]:
    """The stories in order, a few thousand members at a time, with their metas."""
    batch: list[Story] = []
    members = 0
    for story in stories.stories:
        batch.append(story)
        members += len(story)
        if members >= MEMBERS_PER_READ:
            yield batch, member_metas(corpus, [m for s in batch for m in s.members])
            batch, members = [], 0
    if batch:
        yield batch, member_metas(corpus, [m for s in batch for m in s.members])


def _story_json(story: Story, by_id: Mapping[str, ArticleMeta]) -> dict[str, Any]:
    metas = [by_id[m] for m in story.members]
    dates = [m.date for m in metas if m.date]
    return {
        "id": story.id,
        "size": len(story),
        "first_date": min(dates).isoformat() if dates else None,
        "last_date": max(dates).isoformat() if dates else None,
        "members": [
            {
                "id": meta.id,
                "title": clean_line(meta.title),
                "date": meta.date.isoformat() if meta.date else None,
                "source": clean_line(meta.source) if meta.source else None,
                "similarity": score,
            }
            for meta, score in zip(metas, story.scores, strict=True)
        ],
    }


def _header(stories: Stories, corpus: CorpusView) -> dict[str, Any]:
    return {
        "schema": SCHEMA_ID,
        "articles": len(corpus.articles),
        "grouped": stories.grouped,
        "threshold": stories.threshold,
        "window_days": stories.window_days,
    }


def stories_json(stories: Stories, corpus: CorpusView) -> dict[str, Any]:
    """The whole document (a small corpus, tests); :func:`stories_json_chunks` writes
    the same text without holding it."""
    out = [_story_json(story, by_id) for batch, by_id in _batches(stories, corpus) for story in batch]
    return {**_header(stories, corpus), "stories": out}


def stories_json_chunks(stories: Stories, corpus: CorpusView) -> Iterator[str]:
    """:func:`briefing.jsontext.to_json_text` of :func:`stories_json`, piece by piece:
    at a million articles (700,000 of them in stories, 200 MB of JSON) neither the
    document nor every meta is held."""
    head = to_json_text(_header(stories, corpus))
    yield head[:-2] + ',\n  "stories": '  # the object left open: its last member follows
    yield from json_array_chunks((_story_json(story, by_id) for batch, by_id in _batches(stories, corpus)
                                  for story in batch), level=1)
    yield "\n}"


def _short(text: str, width: int = TITLE_WIDTH) -> str:
    return shorten(text, width)


def stories_text(stories: Stories, corpus: CorpusView) -> str:
    """One block per story: a heading with its size, then one line per member
    (date, similarity to the lead, title, id)."""
    return "".join(stories_text_chunks(stories, corpus))


def stories_text_chunks(stories: Stories, corpus: CorpusView) -> Iterator[str]:
    """:func:`stories_text` a few thousand members at a time."""
    yield (
        f"{len(stories)} {'story' if len(stories) == 1 else 'stories'}, {stories.grouped} of "
        f"{len(corpus.articles)} articles (threshold {stories.threshold:g}, "
        + (f"window {stories.window_days} days)" if stories.window_days else "no date window)")
        + "\n"
    )
    number = 0
    for batch, by_id in _batches(stories, corpus):
        lines = []
        for story in batch:
            number += 1
            lines.append("")
            lines.append(f"Story {number}: {len(story)} articles")
            for k, (member, score) in enumerate(zip(story.members, story.scores, strict=True)):
                meta = by_id[member]
                when = meta.date.isoformat() if meta.date else "undated   "
                mark = "lead" if k == 0 else f"{round(100 * score):3d}%"
                lines.append(f"  {when}  {mark:>4}  {_short(meta.title)}")
                lines.append(f"  {'':10}  {'':4}  {clean_line(member)}")
        yield "\n".join(lines) + "\n"
