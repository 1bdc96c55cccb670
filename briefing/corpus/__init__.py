"""Turn a folder of collected articles into clean, dated, titled items.

Plain Python: never imports textual. One module per step:
``discover`` (find files) → ``decode`` (bytes to text) → ``parse`` (with ``dates``,
``frontmatter`` and ``html``) → ``load`` (the :class:`Corpus`). Public API:

- :func:`open_corpus` walks a folder and returns a :class:`Corpus` of metadata
  (bodies are not kept in memory; :meth:`Corpus.article` reads one on demand).
- :func:`read_article` parses one file into an :class:`~briefing.model.Article`;
  :func:`parse_bytes` parses bytes already read (for an index).
"""

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from briefing.corpus.load import (
        ArticleError,
        Corpus,
        LoadProblem,
        find_article,
        open_corpus,
        parse_bytes,
        parse_for_index,
        read_article,
        read_bytes,
        read_with_stat,
        sort_key,
    )

__all__ = [
    "ArticleError",
    "Corpus",
    "LoadProblem",
    "find_article",
    "open_corpus",
    "parse_bytes",
    "parse_for_index",
    "read_article",
    "read_bytes",
    "read_with_stat",
    "sort_key",
]


def __getattr__(name: str) -> object:
    # Imported on first use: a command that only reads the index (``briefing list``)
    # imports ``briefing.corpus.discover`` and never pays for the parsers.
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module("briefing.corpus.load"), name)
    globals()[name] = value
    return value
