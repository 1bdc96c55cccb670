import os
import random

import pytest

from briefing.corpus import read_article
from briefing.resources import sample_corpus


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    for name in ("BRIEFING_CONFIG_DIR", "BRIEFING_DATA_DIR", "BRIEFING_CACHE_DIR"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))


def seed(name_prefix: str):
    root = sample_corpus()
    for name in sorted(os.listdir(root)):
        if name.startswith(name_prefix):
            return read_article(root, os.path.join(root, name))
    raise LookupError(name_prefix)


def long_document(sentences: int) -> str:
    """A text of ``sentences`` distinct sentences ("Report N says ..."), paragraphs of five."""
    rng = random.Random(sentences)
    syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "so", "vi", "de", "po", "gra", "stin", "bel", "or"]
    vocab = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(3000)})
    out = []
    for i in range(sentences):
        body = " ".join(rng.choice(vocab) for _ in range(rng.randint(8, 20)))
        out.append(f"Report {i} says {body}.")
    return "\n\n".join(" ".join(out[i : i + 5]) for i in range(0, len(out), 5))
