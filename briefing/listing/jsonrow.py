"""``briefing list --json``'s item for an article without annotations, from a template.

Nearly every row of a big corpus has no annotations, so its JSON object has one
shape: the article's metadata (:meth:`briefing.model.ArticleMeta.to_json`, its tags
sorted as :meth:`briefing.annotations.AnnotationStore.tags` sorts them) followed by
the fields of an empty entry (unread, no notes, nothing overridden). Writing that
text directly is several times cheaper than building the dict and walking it
(:func:`briefing.jsontext._pretty`); the text is the same, character for character
(tests/test_jsonrow.py holds the two equal).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from briefing.jsontext import Rendered
from briefing.model import ArticleMeta

_enc = json.encoder.encode_basestring  # the C escaper json.dumps(ensure_ascii=False) uses

# The fields json_fields gives an empty entry (the analyst never touched the article).
_EMPTY_TAIL = (
    ',\n    "read": false,\n    "flagged": false,\n    "dismissed": false,\n    "status": "unread",'
    '\n    "notes": [],\n    "highlights": [],\n    "title_overridden": false,\n    "date_overridden": false,'
    '\n    "text_changed": false,\n    "conflicts": [],\n    "lang_overridden": false\n  }'
)


def _opt(value: str | None) -> str:
    return "null" if value is None else _enc(value)


def _strings(values: Sequence[str]) -> str:
    if not values:
        return "[]"
    return "[\n      " + ",\n      ".join(map(_enc, values)) + "\n    ]"


def plain_row_json(meta: ArticleMeta, tags: Sequence[str]) -> Rendered:
    """The item ``{**meta.to_json(), **json_fields(meta, EMPTY, tags, False)}`` as
    :func:`briefing.jsontext.json_array_chunks` writes it (not yet escaped for the
    terminal: the chunk writer does that)."""
    words = meta.words
    return Rendered(
        '{\n    "id": ' + _enc(meta.id)
        + ',\n    "path": ' + _enc(meta.path)
        + ',\n    "title": ' + _enc(meta.title)
        + ',\n    "title_derived": ' + ("true" if meta.title_derived else "false")
        + ',\n    "date": ' + ('"' + meta.date.isoformat() + '"' if meta.date else "null")
        + ',\n    "author": ' + _opt(meta.author)
        + ',\n    "source": ' + _opt(meta.source)
        + ',\n    "tags": ' + _strings(tags)
        + ',\n    "fingerprint": ' + _enc(meta.fingerprint)
        + ',\n    "words": ' + (str(words) if words.__class__ is int else json.dumps(words))
        + ',\n    "warnings": ' + _strings(meta.warnings)
        + ',\n    "url": ' + _opt(meta.url)
        + ',\n    "lang": ' + _opt(meta.lang)
        + _EMPTY_TAIL
    )
