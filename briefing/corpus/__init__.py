"""Turn a folder of collected articles into clean, dated, titled items.

Plain Python: never imports textual. Public API:

- :func:`open_corpus` walks a folder and returns a :class:`Corpus` of metadata
  (bodies are not kept in memory; :meth:`Corpus.article` reads one on demand).
- :func:`read_article` parses one file into an :class:`~briefing.model.Article`.
"""

from briefing.corpus.load import Corpus, LoadProblem, open_corpus, read_article, sort_key

__all__ = ["Corpus", "LoadProblem", "open_corpus", "read_article", "sort_key"]
