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

from typing import Any

from briefing.model import CorpusView
from briefing.sanitize import clean_line, shorten
from briefing.stories.group import Stories

SCHEMA_ID = "briefing-stories/1"
TITLE_WIDTH = 72


def stories_json(stories: Stories, corpus: CorpusView) -> dict[str, Any]:
    by_id = {meta.id: meta for meta in corpus.articles}
    out = []
    for story in stories.stories:
        metas = [by_id[m] for m in story.members]
        dates = [m.date for m in metas if m.date]
        out.append({
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
        })
    return {
        "schema": SCHEMA_ID,
        "articles": len(corpus.articles),
        "grouped": stories.grouped,
        "threshold": stories.threshold,
        "window_days": stories.window_days,
        "stories": out,
    }


def _short(text: str, width: int = TITLE_WIDTH) -> str:
    return shorten(text, width)


def stories_text(stories: Stories, corpus: CorpusView) -> str:
    """One block per story: a heading with its size, then one line per member
    (date, similarity to the lead, title, id)."""
    by_id = {meta.id: meta for meta in corpus.articles}
    lines = [
        f"{len(stories)} {'story' if len(stories) == 1 else 'stories'}, {stories.grouped} of "
        f"{len(corpus.articles)} articles (threshold {stories.threshold:g}, "
        + (f"window {stories.window_days} days)" if stories.window_days else "no date window)"),
    ]
    for number, story in enumerate(stories.stories, 1):
        lines.append("")
        lines.append(f"Story {number}: {len(story)} articles")
        for k, (member, score) in enumerate(zip(story.members, story.scores, strict=True)):
            meta = by_id[member]
            when = meta.date.isoformat() if meta.date else "undated   "
            mark = "lead" if k == 0 else f"{round(100 * score):3d}%"
            lines.append(f"  {when}  {mark:>4}  {_short(meta.title)}")
            lines.append(f"  {'':10}  {'':4}  {clean_line(member)}")
    return "\n".join(lines) + "\n"
