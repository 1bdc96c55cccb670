"""Turn a folder of collected articles into clean, dated, titled items.

Plain Python: never imports textual. One module per step:
``discover`` (find files) → ``decode`` (bytes to text) → ``parse`` (with ``dates``,
``frontmatter`` and ``html``) → ``load`` (the :class:`Corpus`). Public API:

- :func:`open_corpus` walks a folder and returns a :class:`Corpus` of metadata
  (bodies are not kept in memory; :meth:`Corpus.article` reads one on demand).
- :func:`read_article` parses one file into an :class:`~briefing.model.Article`;
  :func:`parse_bytes` parses bytes already read (for an index).
"""

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
