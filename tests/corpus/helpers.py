"""Small helpers for corpus tests: write files into a tmp corpus and load them."""

from __future__ import annotations

from pathlib import Path

from briefing.corpus import open_corpus, read_article


def write(root: Path, rel: str, data: bytes | str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def load_one(root: Path, rel: str, data: bytes | str):
    """Write one file and read it back as an Article."""
    return read_article(root, write(root, rel, data))


def load(root: Path):
    seen = []
    corpus = open_corpus(root, on_problem=seen.append)
    assert seen == corpus.problems  # the callback sees every problem, in order
    return corpus
