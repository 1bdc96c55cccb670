"""The multilingual corpus of tests/lang/corpus (written for these tests): five or
more articles in each of ru, uk, de, fr, es, pl, it, pt (file names start with the
language), and the hard cases: mixed English/Ukrainian, transliterated Ukrainian,
Thai, Chinese, Arabic and a bidi override."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"
LANGUAGES = ("ru", "uk", "de", "fr", "es", "pl", "it", "pt")


@pytest.fixture
def lang_corpus(tmp_path, monkeypatch) -> Path:
    """A copy of the corpus (annotations are written beside it) and a private cache."""
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BRIEFING_CORPUS", raising=False)
    monkeypatch.setenv("COLUMNS", "160")
    return root


def text_of(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")
