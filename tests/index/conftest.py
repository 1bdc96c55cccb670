"""Small generated corpora and a private cache folder for every index test."""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import pytest

# Words with accents, hyphens and digits, so folding and token splitting are exercised.
VOCAB = (
    "power grid energy kyiv strike missile drone winter outage repair minister talks "
    "ceasefire border grain export port harbour shipping market price inflation bank "
    "rate election vote poll campaign senate court ruling appeal protest police "
    "café naïve résumé über señor e-mail co-operation 2023 covid-19 g7 "
    "the a of and in on for with by to"
).split()


def article_text(rng: random.Random, n: int) -> str:
    """An article in one of the sample corpus's shapes (title line, date marker, neither)."""
    paras = []
    for _ in range(rng.randint(1, 3)):
        words = [rng.choice(VOCAB) for _ in range(rng.randint(8, 30))]
        words[0] = words[0].capitalize()
        paras.append(" ".join(words) + ".")
    day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 900))
    shape = rng.random()
    title = " ".join(rng.choice(VOCAB) for _ in range(rng.randint(3, 7))).capitalize() + f" {n}"
    if shape < 0.4:
        return f"{title}\n\ndate {day.isoformat()} " + "\n\n".join(paras) + "\n"
    if shape < 0.7:
        return f" date {day.isoformat()} " + "\n\n".join(paras) + "\n"
    return f"{title}\n\n" + "\n\n".join(paras) + "\n"


def make_corpus(root: Path, count: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for n in range(count):
        folder = root / f"{2020 + n % 3}" / f"{1 + n % 12:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{n:04d}.txt"
        path.write_text(article_text(rng, n), encoding="utf-8")
        paths.append(path)
    return paths


def age(path: Path, seconds: float = 3600) -> None:
    """Move a file's mtime into the past (out of the racy window)."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - int(seconds * 1e9)))


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(cache))
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    return cache


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    make_corpus(root, 60)
    return root
