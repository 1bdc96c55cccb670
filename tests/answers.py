"""A test helper: what a function answered each time it was called."""

from __future__ import annotations

from typing import Any

import pytest


def answers(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[Any]:
    """Wrap ``owner.name`` (for the test) so that each call's answer is appended to the
    list returned, in order; the calls themselves are made as before."""
    seen: list[Any] = []
    real = getattr(owner, name)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        seen.append(real(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(owner, name, recorded)
    return seen
