"""Where the DejaVu Sans TTF files are (Latin, Greek, Cyrillic): the PDF embeds them,
the timeline picture draws its labels with them.

They come from matplotlib's package data (``matplotlib/mpl-data/fonts/ttf``, located
without importing matplotlib), else from the system's DejaVu folder.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
_SYSTEM_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts/dejavu")


class FontsMissing(Exception):
    """No DejaVu Sans files; the message says what to install."""


@lru_cache(maxsize=1)
def font_dir() -> Path:
    """The folder holding the DejaVu Sans TTF files (regular, bold, oblique)."""
    candidates: list[Path] = []
    spec = importlib.util.find_spec("matplotlib")  # finds the package, does not import it
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidates.append(Path(location) / "mpl-data" / "fonts" / "ttf")
    candidates.extend(Path(p) for p in _SYSTEM_FONT_DIRS)
    for folder in candidates:
        if all((folder / name).is_file() for name in FONT_FILES.values()):
            return folder
    raise FontsMissing("the DejaVu Sans fonts are missing: install matplotlib (pip install matplotlib) or the system's fonts-dejavu-core package")
