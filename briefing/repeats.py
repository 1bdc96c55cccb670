"""Possessive repeats (``*+``, ``++``) where this Python reads them right, ordinary
ones elsewhere.

A possessive repeat never gives an iteration back, so the regular expression engine
keeps no state per iteration: a hostile value of millions of repetitions costs no
memory, and a failed match does not backtrack. Python 3.10 has none (``re.error:
multiple repeat``), and those of 3.11.0 to 3.11.4 can answer wrongly either way
(CPython gh-100061, gh-106052, fixed in 3.11.5; Debian 12's ``python3`` is 3.11.2).
A pattern written with possessive repeats where no iteration ever needs to be given
back matches the same with ordinary ones; only the engine's state and backtracking
differ (callers bound what they give such a pattern where that matters).
"""

from __future__ import annotations

import sys
from typing import overload

POSSESSIVE = sys.version_info >= (3, 11, 5)


@overload
def ordinary(pattern: str) -> str: ...
@overload
def ordinary(pattern: bytes) -> bytes: ...
def ordinary(pattern: str | bytes) -> str | bytes:
    """``pattern`` with its possessive repeats made ordinary (greedy) ones."""
    if isinstance(pattern, bytes):
        return pattern.replace(b"*+", b"*").replace(b"++", b"+")
    return pattern.replace("*+", "*").replace("++", "+")


@overload
def for_this_python(pattern: str) -> str: ...
@overload
def for_this_python(pattern: bytes) -> bytes: ...
def for_this_python(pattern: str | bytes) -> str | bytes:
    """``pattern`` as written (possessive) where this Python reads possessive repeats
    right, else :func:`ordinary`."""
    return pattern if POSSESSIVE else ordinary(pattern)
