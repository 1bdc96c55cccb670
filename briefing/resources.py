"""Where the files that ship with briefing are, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    # Installed from a wheel: the build copies seeds/ and themes/ into briefing/_data/.
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    # A checkout or an editable install: the folders stand beside the package.
    return _PACKAGE.parent / name


def sample_corpus() -> Path:
    """The bundled sample corpus, the default when no folder is given."""
    return _shipped("seeds")


def builtin_themes() -> Path:
    return _shipped("themes")
