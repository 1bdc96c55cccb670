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
      "stories": true,                      # only with --stories
      "methods": "Summaries are sentences taken from ..."   # how summaries were made ("" for none)
    }

A composed briefing (``briefing brief export -f json``) has its own shape
(``"schema": "briefing-composed/1"``, the ``composed`` branch of the JSON Schema)::

    {
      "schema": "briefing-composed/1",
      "title": "...", "marking": "...", "analyst": "..." | null, "produced": "..." | null,
      "window": {"since": ..., "until": ...}, "item_count": 2,
      "bluf": "...",                        # the bottom line ("" for none; may hold line breaks)
      "scale": "ICD 203",                   # the confidence scale's name
      "judgments": [{"text": "...", "confidence": "likely / probable",
                     "cites": [1, 3], "highlights": ["\u201cquote\u201d [1]"]}],
      "sections": [{"key": "section:1" | "tag:energy", "label": "...", "items": [1, 2]}],
      "items": [ {every key of a plain item, "summary" without "method", and
                  "why": "...", "cite": 1, "story_summary": ["... [1, 2]"],
                  "differences": ["..."]} ],
      "cited": [{"number": 1, "id": "...", "title": "...", "outlet": ... | null,
                 "author": ... | null, "date": ... | null, "url": ... | null}],
      "methods": "..."
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
COMPOSED_SCHEMA_ID = "briefing-composed/1"


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


def composed_item_data(item: Item) -> dict[str, Any]:
    """An item of a composed briefing: no method names (those are in ``methods``)."""
    data = item_data(item)
    data["summary"] = {"sentences": list(item.summary), "note": item.summary_note}
    data["why"] = item.why
    data["cite"] = item.cite
    data["story_summary"] = list(item.story_summary)
    data["differences"] = list(item.differences)
    return data


def composed_data(briefing: Briefing) -> dict[str, Any]:
    """A composed briefing (``briefing brief export``): see the module docstring."""
    return {
        "schema": COMPOSED_SCHEMA_ID,
        "title": briefing.title,
        "marking": briefing.marking,
        "analyst": briefing.analyst,
        "produced": _iso(briefing.produced),
        "window": {"since": _iso(briefing.since), "until": _iso(briefing.until)},
        "item_count": briefing.item_count,
        "bluf": briefing.bluf,
        "scale": briefing.scale,
        "judgments": [
            {"text": j.text, "confidence": j.confidence, "cites": list(j.cites), "highlights": list(j.highlights)} for j in briefing.judgments
        ],
        "sections": [{"key": g.key, "label": g.label, "items": [item.number for item in g.items]} for g in briefing.groups],
        "items": [composed_item_data(item) for item in briefing.items],
        "cited": [
            {"number": c.number, "id": c.id, "title": c.title, "outlet": c.outlet, "author": c.author, "date": _iso(c.date), "url": c.url}
            for c in briefing.cited
        ],
        "methods": briefing.methods,
    }


def briefing_data(briefing: Briefing) -> dict[str, Any]:
    if briefing.scale:
        return composed_data(briefing)
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
    data["methods"] = briefing.methods
    return data


def render_json(briefing: Briefing) -> str:
    return json.dumps(briefing_data(briefing), ensure_ascii=False, indent=2) + "\n"
