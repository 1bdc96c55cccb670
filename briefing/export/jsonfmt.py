"""The JSON export: the briefing's data for other tools.

Schema (``briefing/export/schema/briefing.schema.json`` is the same as a JSON
Schema, draft 2020-12)::

    {
      "schema": "briefing-export/1",       # changes only when a field changes meaning
      "title": "Briefing",
      "analyst": "A. Analyst" | null,
      "produced": "2026-11-21" | null,     # only when asked for (--date)
      "window": {"since": "2023-11-06" | null, "until": "2024-04-24" | null},
      "filter": "tag energy; since 2024-01-01",   # "" for none
      "group_by": "date" | "tag",
      "item_count": 3,
      "groups": [                           # in order; items are item numbers
        {"key": "2024-04-24", "label": "Wednesday 24 April 2024",
         "items": [1], "also": []}
      ],
      "items": [
        {
          "number": 1,
          "id": "004_6814731f4ee210d7.txt",        # path relative to the corpus folder
          "headline": "...",
          "date": "2024-04-24" | null,
          "source": "..." | null,
          "author": "..." | null,
          "path": "004_6814731f4ee210d7.txt",
          "tags": ["energy"],
          "status": "unread" | "read" | "flagged",
          "summary": {"method": "default", "sentences": ["..."], "note": null},
          "highlights": [{"quote": "...", "note": "..."}],
          "notes": [{"text": "...", "at": "2026-11-21T16:40:00Z" | null}],
          "text_changed": false,
          "sources": [                      # only with --stories (see below)
            {"id": "...", "headline": "...", "date": "2024-04-24" | null, "source": "..." | null}
          ]
        }
      ],
      "stories": true                       # only with --stories
    }

With ``--stories`` (one item per story of near-duplicate articles) every item has
``sources``: all the articles of its story, oldest first, the item's own included
(``[]`` for an article in no story), and the top level has ``"stories": true``.
Without it neither key appears, so older readers see the same document.

Strings are plain text (control bytes removed, nothing escaped beyond JSON).
The output is UTF-8, keys in the order above, two-space indents, one final newline:
the same briefing always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from briefing.export.model import Briefing, Item

SCHEMA_ID = "briefing-export/1"


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def item_data(item: Item, stories: bool = False) -> dict[str, Any]:
    data = {
        "number": item.number,
        "id": item.id,
        "headline": item.headline,
        "date": _iso(item.date),
        "source": item.source,
        "author": item.author,
        "url": item.url,
        "path": item.path,
        "tags": list(item.tags),
        "status": item.status,
        "summary": {"method": item.summary_method, "sentences": list(item.summary), "note": item.summary_note},
        "highlights": [{"quote": h.quote, "note": h.note, **({"by": h.by} if h.by else {})} for h in item.highlights],
        "notes": [{"text": n.text, "at": n.at, **({"by": n.by} if n.by else {})} for n in item.notes],
        "text_changed": item.text_changed,
    }
    if stories:
        data["sources"] = [
            {"id": s.id, "headline": s.headline, "date": _iso(s.date), "source": s.source} for s in item.sources
        ]
    return data


def briefing_data(briefing: Briefing) -> dict[str, Any]:
    data = {
        "schema": SCHEMA_ID,
        "title": briefing.title,
        "analyst": briefing.analyst,
        "produced": _iso(briefing.produced),
        "window": {"since": _iso(briefing.since), "until": _iso(briefing.until)},
        "filter": briefing.filter,
        "group_by": briefing.group_by,
        "item_count": briefing.item_count,
        "groups": [
            {
                "key": group.key,
                "label": group.label,
                "items": [item.number for item in group.items],
                "also": [item.number for item in group.also],
            }
            for group in briefing.groups
        ],
        "items": [item_data(item, briefing.stories) for item in briefing.items],
    }
    if briefing.stories:
        data["stories"] = True
    return data


def render_json(briefing: Briefing) -> str:
    return json.dumps(briefing_data(briefing), ensure_ascii=False, indent=2) + "\n"
