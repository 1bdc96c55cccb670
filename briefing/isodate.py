"""One rule for dates typed or stored by people: ``YYYY-MM-DD`` and nothing else.

Python 3.11's ``date.fromisoformat`` also accepts ``20231106`` and ``2023-W45-1``;
annotation files, filters and the command line would then each accept a different
set of spellings. Everything that reads a user-facing date goes through here.
"""

from __future__ import annotations

import datetime as dt
import re

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(value: dt.date | str | None) -> dt.date | None:
    """``None`` for ``None`` or blank text, the date itself for a date, else the date
    spelt ``YYYY-MM-DD`` (surrounding spaces allowed).

    Raises ``ValueError("not a date like 2023-11-06: '…'")`` for anything else,
    including real-looking but impossible days (2023-02-30)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = value.strip()
    if not text:
        return None
    if _ISO_DAY.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"not a date like 2023-11-06: {value!r}")
