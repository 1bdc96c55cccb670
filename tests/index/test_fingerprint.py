"""The parser fingerprint covers the code that decides what a stored row holds: a
change to it (language detection, article ids, the front matter's YAML, a parser)
makes a cache written before untrusted, so it is rebuilt."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import briefing
from briefing.index.store import fingerprint_files, parser_fingerprint

PACKAGE = Path(briefing.__file__).parent

# Modules the parsers or the index import that decide no stored row, and why.
NOT_ROWS = {
    "__init__.py": "the package",
    "durable.py": "locks and atomic writes of the files beside the corpus",
    "cachedir.py": "where the cache folder is",
    "config.py": "the settings file (only the cache folder's place is read from it)",
    "papers.py": "PDF page sizes of the exports",
    "jsontext.py": "JSON text of the exports (corpus/render.py)",
    "heap.py": "memory handed back to the system after a big job",
    "lang/__init__.py": "language names and word tools (imports detect.py, which is covered)",
    "lang/stem.py": "stems for search and summaries, not stored",
    "lang/stopwords.py": "stopwords for summaries and keywords, not stored",
    "lang/ukrainian.py": "the Ukrainian stemmer, not stored",
    "corpus/search.py": "searching the articles, not writing them",
    "index/quick.py": "which files to hand to the refresh, not what it writes",
    "index/fresh.py": "the watcher's stamp",
    "index/child.py": "the process a reader's first build runs in, not what it writes",
    "index/rows.py": "reads the stored rows back by window, writes none",
    "repeats.py": "how a pattern's repeats are written for this Python (the same matches)",
}


def module_file(name: str) -> Path | None:
    """The source file of module ``briefing.…`` ``name`` (None: not a module of ours)."""
    if name != "briefing" and not name.startswith("briefing."):
        return None
    base = PACKAGE.parent.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imports_of(path: Path) -> set[Path]:
    """Our modules ``path`` imports, at the top or inside a function (and the
    packages above each, whose ``__init__`` runs first)."""
    found: set[Path] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            for k in range(1, len(parts) + 1):
                file = module_file(".".join(parts[:k]))
                if file is not None:
                    found.add(file)
    return found


def test_every_module_the_parsers_and_the_index_import_is_in_the_fingerprint_or_decides_no_row():
    covered = {p.resolve() for p in fingerprint_files()}
    assert all(p.is_file() for p in covered)
    reached: set[Path] = set()
    todo = list(covered)
    while todo:
        for file in imports_of(todo.pop()):
            if file not in reached:
                reached.add(file)
                todo.append(file)
    outside = {p.relative_to(PACKAGE).as_posix() for p in reached - covered}
    assert outside - NOT_ROWS.keys() == set()  # a new module deciding rows: add it to fingerprint_files
    assert outside >= NOT_ROWS.keys() - {"corpus/search.py", "index/quick.py", "index/fresh.py", "index/child.py"}  # none named in vain
    for name in ("lang/detect.py", "ids.py", "yamlsafe.py", "corpus/load.py", "corpus/frontmatter.py", "model.py"):
        assert PACKAGE / name in covered


@pytest.mark.parametrize("name", ["lang/detect.py", "ids.py", "yamlsafe.py", "corpus/htmlmeta.py"])
def test_a_change_to_a_module_that_decides_rows_changes_the_fingerprint(name, monkeypatch):
    before = parser_fingerprint()
    target = (PACKAGE / name).resolve()
    real = Path.read_bytes

    def changed(path: Path) -> bytes:
        data = real(path)
        return data + b"\n# changed\n" if path.resolve() == target else data

    monkeypatch.setattr(Path, "read_bytes", changed)
    assert parser_fingerprint() != before
    monkeypatch.undo()
    assert parser_fingerprint() == before
