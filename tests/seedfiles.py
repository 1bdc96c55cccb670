"""The five shared sample articles (``seeds/*.txt``), for tests that use the sample
corpus as test data. The sample corpus also holds ``seeds/formats/`` (one example of
each input format, issue 18); tests about those read them where they are."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefing.resources import sample_corpus


def shared_seed_files() -> list[Path]:
    return sorted(sample_corpus().glob("*.txt"))


def copy_shared_seeds(target: Path) -> Path:
    """A copy of the five shared articles in ``target`` (made), and nothing else."""
    target.mkdir(parents=True, exist_ok=True)
    for path in shared_seed_files():
        shutil.copy2(path, target / path.name)
    return target
