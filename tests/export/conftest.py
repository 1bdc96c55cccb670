"""A copy of the sample corpus with one hostile article and analyst annotations
written through the store API (fixed note times, so outputs are reproducible)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.annotations import open_store
from briefing.corpus import open_corpus
from tests.seedfiles import copy_shared_seeds

GOLDEN = Path(__file__).parent / "golden"

HOSTILE_ARTICLE = """\
---
title: "Hostile <script>document.title='pwned'</script> headline # [x](http://evil.example)"
date: 2024-05-01
author: "<b>Eve</b> & co"
source: "![img](http://evil.example/y.png)"
tags: [hostile]
---
The first sentence carries <script>document.title='pwned'</script> inside it and goes on for a while.

A second sentence has <img src=x onerror="document.body.setAttribute('data-pwned','1')"> in the middle of its words.

# Heading inside the article

A third sentence links to [a site](http://evil.example) and shows ![an image](http://evil.example/i.png) too.

| col | col |
|-----|-----|
"""

SMOLENSK = "004_6814731f4ee210d7.txt"  # dated 2024-04-24
MOD = "000_c25f74af4bc17e80.txt"  # dated 2023-11-06
WAVE = "001_91c4a80b16629b6a.txt"  # undated, left unannotated
BIGGEST = "002_779c45f11c9e3794.txt"  # undated; the analyst dates it
SOLLY = "003_dd4f2a093bc6ca5d.txt"  # undated, left unannotated
HOSTILE = "005_hostile.md"  # dated 2024-05-01

HOSTILE_NOTE = (
    "# not a heading\n"
    "<script>alert(1)</script> and <img src=x onerror=alert(1)>\n"
    "[link](http://x) ![img](http://x) `code` and\n"
    "```\n"
    "fenced?\n"
    "```\n"
    "\n"
    "1. not a list | not | a table\n"
    "- nor this"
)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    for name in ("CONFIG", "DATA", "CACHE"):
        folder = tmp_path / f"_{name.lower()}"
        folder.mkdir()
        monkeypatch.setenv(f"BRIEFING_{name}_DIR", str(folder))
    monkeypatch.delenv("BRIEFING_CORPUS", raising=False)
    return tmp_path


def annotate(root: Path) -> None:
    corpus = open_corpus(root)
    store, _ = open_store(root, corpus.articles)
    with store.batch():
        store.add_tags(SMOLENSK, ["energy", "russia"])
        store.add_note(SMOLENSK, HOSTILE_NOTE, at="2026-11-20T09:00:00Z")
        store.add_note(SMOLENSK, "Second note: drones *again*; compare with 2023_11 strikes.", at="2026-11-20T09:05:00Z")
        store.add_highlight(SMOLENSK, "“civilian fuel and energy facilities”", 'the governor\'s "civilian" framing')
        store.set_flagged(MOD, True)
        store.add_note(MOD, "Warning issued before the winter > worth a follow-up.", at="2026-11-20T10:00:00Z")
        store.add_tags(BIGGEST, ["kyiv", "energy"])
        store.set_date(BIGGEST, "2023-12-29")
        store.add_highlight(BIGGEST, 'Quote with "straight" and ‘curly’ marks', "<img src=x onerror=alert(1)>")
        store.add_note(HOSTILE, "![img](http://x) and <script>alert(1)</script>", at="2026-11-20T11:00:00Z")
        store.set_flagged(HOSTILE, True)


@pytest.fixture
def corpus_root(tmp_path) -> Path:
    """The sample corpus plus the hostile article, annotated (see :func:`annotate`)."""
    root = tmp_path / "corpus"
    copy_shared_seeds(root)
    (root / HOSTILE).write_text(HOSTILE_ARTICLE, encoding="utf-8")
    annotate(root)
    return root


@pytest.fixture
def loaded(corpus_root):
    """(corpus, store) of ``corpus_root``."""
    corpus = open_corpus(corpus_root)
    store, _ = open_store(corpus_root, corpus.articles)
    return corpus, store
