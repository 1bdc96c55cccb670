"""Where a corpus's annotation file lives.

``annotations.yaml`` in the corpus folder, so annotations travel with the corpus.
Two exceptions keep them in the user's data directory instead, at
``data_dir()/annotations/<first 16 hex of sha256(absolute corpus path)>/annotations.yaml``:

- the bundled sample corpus (we never write into the shipped seeds folder);
- a corpus folder we cannot write to (a read-only mount, a packaged corpus).

In that case, if the corpus folder itself carries an ``annotations.yaml`` (a team's
shared file) and the data-dir copy does not exist yet, it is read as the starting
point; saves go to the data-dir copy only.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from briefing import config
from briefing.resources import sample_corpus

FILENAME = "annotations.yaml"


@dataclass(frozen=True)
class Location:
    path: Path  # the annotation file (it may not exist yet)
    corpus: Path  # the corpus folder, absolute
    in_corpus: bool  # False: kept in the user's data directory
    seed: Path | None = None  # a read-only file in the corpus to start from, if any
    reason: str = ""  # why not in the corpus folder

    @property
    def message(self) -> str:
        """One line for the user: where annotations are saved, and why there."""
        if self.in_corpus:
            return f"annotations are saved in {self.path}"
        text = f"annotations are saved in {self.path} ({self.reason})"
        if self.seed is not None:
            text += f"; starting from {self.seed}"
        return text


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _writable(root: Path) -> bool:
    """Writable for us, and not made read-only on purpose: a folder with every write
    bit off counts as read-only even for root (who may write anywhere)."""
    try:
        mode = root.stat().st_mode
    except OSError:
        return False
    return bool(mode & 0o222) and os.access(root, os.W_OK | os.X_OK)


def fallback_dir(corpus: Path) -> Path:
    digest = hashlib.sha256(str(corpus).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return config.data_dir() / "annotations" / digest


def backup_dir(corpus: Path) -> Path:
    """Where the backups of ``corpus``'s annotation file go: the user's state folder,
    keyed like :func:`fallback_dir`, so that no backup sits in a shared repository."""
    digest = hashlib.sha256(str(corpus).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return config.state_dir() / "backups" / digest


def locate(corpus: Path | str) -> Location:
    """The annotation file for ``corpus`` (see the module docstring for the rules)."""
    root = Path(corpus).expanduser().resolve()
    in_place = root / FILENAME
    if _same(root, sample_corpus()):
        reason = "the bundled sample corpus is never written to"
    elif not _writable(root):
        reason = f"the corpus folder {root} is not writable"
    else:
        return Location(path=in_place, corpus=root, in_corpus=True)
    path = fallback_dir(root) / FILENAME
    seed = in_place if (not path.exists() and in_place.is_file()) else None
    return Location(path=path, corpus=root, in_corpus=False, seed=seed, reason=reason)
