"""The kinds of difference between versions of a story, and their names.

Plain constants, importable without the rest of the package (no numpy): the reader's
comparison widget, the command line's text rendering and :mod:`briefing.stories.compare`
share them.
"""

from __future__ import annotations

# Kinds of difference, most important first.
NUMBER, DATE, NAME, ONLY, WORDING = "number", "date", "name", "only", "wording"
KINDS = (NUMBER, DATE, NAME, ONLY, WORDING)

# (singular, plural) as shown to a person: "1 number", "3 wording changes".
KIND_LABELS = {
    NUMBER: ("number", "numbers"),
    DATE: ("date", "dates"),
    NAME: ("name", "names"),
    ONLY: ("sentence in some versions only", "sentences in some versions only"),
    WORDING: ("wording change", "wording changes"),
}
