"""Shared fixtures: every test runs with briefing's folders in tmp dirs."""

from __future__ import annotations

import hashlib

import pytest

from briefing import yamlsafe
from briefing.model import ArticleMeta


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    for name in ("CONFIG", "DATA", "CACHE", "STATE"):
        folder = tmp_path / f"_{name.lower()}"
        folder.mkdir()
        monkeypatch.setenv(f"BRIEFING_{name}_DIR", str(folder))
    monkeypatch.delenv("BRIEFING_CORPUS", raising=False)
    return tmp_path


def make_meta(article_id: str, body: str = "", tags: tuple[str, ...] = (), date=None, root=None) -> ArticleMeta:
    body = body or f"text of {article_id}"
    return ArticleMeta(
        id=article_id,
        path=str((root / article_id) if root else article_id),
        title=f"Title of {article_id}",
        title_derived=False,
        date=date,
        author=None,
        source=None,
        tags=tags,
        fingerprint="sha256:" + hashlib.sha256(body.encode()).hexdigest(),
        words=len(body.split()),
    )


@pytest.fixture
def corpus_dir(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    return root


@pytest.fixture
def parsed(monkeypatch):
    """Lengths of every text given to the YAML parser."""
    sizes: list[int] = []
    real = yamlsafe.parse

    def counting(text):
        sizes.append(len(text))
        return real(text)

    monkeypatch.setattr(yamlsafe, "parse", counting)
    return sizes
