"""A few keywords per article, and tags to suggest from them.

    >>> from briefing.stories.keywords import document_stats, keywords_for, suggest_tags
    >>> stats = document_stats(corpus)            # once per corpus (cheap with an index)
    >>> kws = keywords_for(article, stats)        # from any thread
    >>> suggest_tags(kws, store.tag_counts(), store.tags(article.meta))

Keywords are ranked tf-idf style: how often the article uses a word (sub-linear),
times how rare the word is in the corpus. Document frequencies come from the search
index (:class:`IndexStats`: an ``fts5vocab`` table over the index and each of its
shards) or, for a folder without an index, from counting every article once
(:class:`CountedStats`). Words are cut and folded the way the index cuts them
(SQLite's ``unicode61`` tokenizer, diacritics removed), so the counts agree.

Candidates are single words (not stop words, not numbers, at least three letters or
an all-capital acronym), multi-word names (runs of capitalised words in cased text:
``Volodymyr Zelensky``; a later mention of the surname alone counts for the full
name) and two-word phrases used at least twice (``energy infrastructure``). A name
or phrase scores by the mean rarity of its words times 1.5, so it wins over its parts,
and a single word already inside a chosen name or phrase is not repeated. Results
are deterministic: ties are broken by the keyword's text.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from briefing.index.query import TOKEN, tokens
from briefing.index.query import fold as _index_fold
from briefing.model import Article, CorpusView
from briefing.stories.stopwords import STOP_WORDS, TITLE_WORDS

DEFAULT_LIMIT = 6
# Bump when keywords_for would return something else for the same article: a cache
# keyed by keywords_key then drops what the old code worked out.
KEYWORDS_VERSION = 2  # 2: the article's own language's stop words left out too (issue 19)
MAX_CHARS = 100_000  # characters of an article read for keywords
TAG_MAX = 40  # characters of a tag made from a keyword
NAME_BONUS = 1.5  # a name or phrase: mean idf of its words times this

# The index's tokenizer (unicode61) and fold, from the index itself: keywords count
# terms exactly as the index's document frequencies do.
_FTS_TOKEN = TOKEN
fold = lru_cache(maxsize=65536)(_index_fold)  # lower case without diacritics, as the index stores a token
index_terms = tokens  # the terms the index stores for a text (folded unicode61 tokens)


# --------------------------------------------------------------------------- stats


class Interrupted(Exception):
    """A frequency look-up given up by :meth:`IndexStats.interrupt`."""


def _interrupted(error: Exception) -> bool:
    """``error`` is SQLite's answer to ``interrupt()`` (SQLITE_INTERRUPT)."""
    return getattr(error, "sqlite_errorcode", None) == 9 or str(error) == "interrupted"


class DocumentStats(Protocol):
    """Document frequencies of a corpus."""

    documents: int

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """How many documents hold each of ``terms`` (folded index terms); 0 if none."""
        ...


class CountedStats:
    """Document frequencies counted from the texts themselves (no index needed)."""

    def __init__(self, counts: Mapping[str, int], documents: int) -> None:
        self._counts = dict(counts)
        self.documents = documents

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> CountedStats:
        counts: dict[str, int] = {}
        n = 0
        for text in texts:
            n += 1
            for term in set(index_terms(text)):
                counts[term] = counts.get(term, 0) + 1
        return cls(counts, n)

    @classmethod
    def from_articles(cls, articles: Iterable[Any]) -> CountedStats:
        """Count title and body of each article (what the index holds)."""
        return cls.from_texts(f"{a.title}\n{a.body}" for a in articles)

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        return {t: self._counts.get(t, 0) for t in terms}


class IndexStats:
    """Document frequencies read from a corpus's search index.

    The index (``briefing.index``) is a contentless FTS5 table ``search`` with
    ``detail=none``, in the main cache file and in the shards of its last cold build;
    an ``fts5vocab`` table of type ``row`` over each gives, per term, the number of
    rows holding it. Rows of changed or deleted articles not yet purged count too (the
    index tolerates a bounded number of them), and so does the document total, so the
    ratio stays fair. Safe to call from any thread (one connection behind a lock).
    """

    def __init__(self, path: Path) -> None:
        from briefing.index import store

        self.path = path
        self._lock = threading.Lock()
        self._cache: dict[str, int] = {}
        conn = store.connect(path, readonly=True)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != store.APPLICATION_ID:
                raise store.CacheInvalid("not a briefing index")
            self._schemas = store.attach_shards(conn, path)
            for k, schema in enumerate(self._schemas):
                conn.execute(f"CREATE VIRTUAL TABLE temp.vocab_{k} USING fts5vocab({schema}, search, row)")
            self.documents = sum(
                conn.execute(f"SELECT count(*) FROM {schema}.search_docsize").fetchone()[0] for schema in self._schemas
            )
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        self._interrupts = 0  # bumped by interrupt(): a look-up running then gives up

    @classmethod
    def open(cls, root: str | Path) -> IndexStats | None:
        """The stats of the index of the corpus at ``root``; None when it has no usable
        index (never creates or repairs one)."""
        import sqlite3

        from briefing.index import store

        path = store.cache_path(root)
        if not path.exists():
            return None
        try:
            return cls(path)
        except (sqlite3.Error, store.CacheInvalid, OSError):
            return None

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        import sqlite3

        wanted = list(dict.fromkeys(terms))
        with self._lock:
            asked = self._interrupts
            missing = [t for t in wanted if t not in self._cache]
            for i in range(0, len(missing), 500):
                chunk = missing[i : i + 500]
                found: dict[str, int] = dict.fromkeys(chunk, 0)
                marks = ",".join("?" * len(chunk))
                try:
                    for k in range(len(self._schemas)):
                        if self._interrupts != asked:
                            raise Interrupted()
                        for term, doc in self._conn.execute(
                            f"SELECT term, doc FROM temp.vocab_{k} WHERE term IN ({marks})", chunk
                        ):
                            found[term] = found.get(term, 0) + doc
                except sqlite3.Error as error:
                    if self._interrupts != asked or _interrupted(error):
                        raise Interrupted() from None  # nothing of this chunk is kept: its counts are partial
                    # else a cache replaced under us: what was found so far, rare words else
                self._cache.update(found)
            if len(self._cache) > 200_000:
                self._cache.clear()
            return {t: self._cache.get(t, 0) for t in wanted}

    def interrupt(self) -> None:
        """Make a look-up running in another thread give up at once (it raises
        :class:`Interrupted`; what it had not counted is not cached). From any thread,
        without the lock; a look-up started later runs as usual."""
        import sqlite3

        self._interrupts += 1
        try:
            self._conn.interrupt()
        except sqlite3.ProgrammingError:
            pass  # closed meanwhile: nothing runs

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def document_stats(corpus: CorpusView) -> DocumentStats:
    """Document frequencies for ``corpus`` (a ``Corpus`` or an ``IndexedCorpus``):
    from its index when one exists, else counted from every article (reads every
    file: fine for a small folder, slow for a big one — open big ones through the index)."""
    stats = IndexStats.open(corpus.root)
    if stats is not None:
        return stats
    articles = []
    for meta in corpus.articles:
        try:
            articles.append(corpus.article(meta.id))
        except Exception:  # noqa: BLE001 - a file gone bad since the load: not counted
            continue
    return CountedStats.from_articles(articles)


# --------------------------------------------------------------------------- keywords


def keywords_key(article: Article) -> str:
    """What an article's keywords (and the tags suggested from them) depend on, for a
    cache: the title :func:`keywords_for` reads (none when it was derived from the
    body), the body (by its fingerprint), the language whose stopwords apply
    (``article.meta.lang``: the analyst's when the article is corrected) and
    :data:`KEYWORDS_VERSION`. Two wire copies
    with one body and two headlines get two keys; the body's fingerprint alone would
    give them one."""
    title = "" if getattr(article.meta, "title_derived", False) else (article.title or "")
    h = hashlib.sha256(f"keywords {KEYWORDS_VERSION}\n".encode())
    h.update(title.encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update((article.fingerprint or "").encode("ascii", "replace"))
    lang = getattr(article.meta, "lang", None)  # its stopwords (the analyst's language, when set)
    if lang:
        h.update(b"\0" + lang.encode("ascii", "replace"))
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Keyword:
    """A keyword of an article."""

    text: str  # as the article writes it: "Volodymyr Zelensky", "energy infrastructure", "Kyiv"
    key: str  # folded words joined by one space: "volodymyr zelensky"
    kind: str  # "name" (capitalised words), "phrase" (a repeated pair of words) or "word"
    count: int  # mentions in the article (for a name, its surname alone counts too)
    score: float

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "key": self.key, "kind": self.kind, "count": self.count,
                "score": round(self.score, 4)}


_OPENERS = ".!?:;\"“‘(—–[«"


def _is_cased(text: str) -> bool:
    sample = text[:20000]
    upper = sum(1 for c in sample if c.isupper())
    lower = sum(1 for c in sample if c.islower())
    return upper > 0 and lower > 0 and upper < lower


@lru_cache(maxsize=32)
def _stop_words(lang: str | None) -> frozenset[str]:
    """English stop words (every corpus quotes English) and those of ``lang``, folded
    as the index folds a term."""
    if not lang or lang == "en":
        return STOP_WORDS
    from briefing.lang.stopwords import stopwords

    return STOP_WORDS | frozenset(fold(w) for w in stopwords(lang))


def _good_word(raw: str, term: str, stops: frozenset[str] = STOP_WORDS) -> bool:
    if term in stops or term[:1].isdigit() or any(c.isdigit() for c in term):
        return False
    if len(term) >= 3:
        return True
    return len(raw) >= 2 and raw.isupper()  # UN, EU, UK


def corpus_keywords(corpus: CorpusView, article: Article, limit: int = DEFAULT_LIMIT) -> list[Keyword]:
    """The ``limit`` best keywords of ``article``, ranked against ``corpus`` (see
    :func:`document_stats`); the frequency source is closed afterwards."""
    stats = document_stats(corpus)
    try:
        return keywords_for(article, stats, limit)
    finally:
        close = getattr(stats, "close", None)
        if close is not None:
            close()


def keywords_for(article: Article, stats: DocumentStats, limit: int = DEFAULT_LIMIT) -> list[Keyword]:
    """The ``limit`` best keywords of ``article`` (an :class:`~briefing.model.Article`),
    best first. Pure computation plus one batch of frequency look-ups: call it from a
    worker thread."""
    from briefing.summarize.tokenize import sentence_spans

    body = article.body or ""
    title = "" if getattr(article.meta, "title_derived", False) else (article.title or "")
    text = (title + "\n\n" + body) if title else body
    text = text[:MAX_CHARS]
    cased = _is_cased(text)
    stops = _stop_words(getattr(article.meta, "lang", None))

    word_count: dict[str, int] = {}
    word_shape: dict[str, dict[str, int]] = {}  # how the article writes a word
    pair_count: dict[tuple[str, str], int] = {}
    pair_shape: dict[tuple[str, str], str] = {}
    name_count: dict[tuple[str, ...], int] = {}
    name_shape: dict[tuple[str, ...], str] = {}
    lone_caps: dict[str, int] = {}  # capitalised words met alone (a surname mentioned again)
    capitalised_inside: set[str] = set()

    sentences = [text[s:e] for s, e in sentence_spans(text)]
    tokenized = []
    for sent in sentences:
        toks = []
        for m in _FTS_TOKEN.finditer(sent):
            raw = m.group()
            terms = index_terms(raw)
            if len(terms) != 1:
                continue
            toks.append((m.start(), m.end(), raw, terms[0]))
        tokenized.append((sent, toks))
        if cased:
            for k, (s, _e, raw, term) in enumerate(toks):
                if k and raw[:1].isupper() and not any(c in _OPENERS for c in sent[toks[k - 1][1] : s]):
                    capitalised_inside.add(term)

    for sent, toks in tokenized:
        prev = None
        for k, (s, e, raw, term) in enumerate(toks):
            if _good_word(raw, term, stops):
                word_count[term] = word_count.get(term, 0) + 1
                initial = k == 0 or any(c in _OPENERS for c in sent[toks[k - 1][1] : s])
                shapes = word_shape.setdefault(term, {})
                if not initial or not cased:  # "Efforts" opening a sentence is "efforts"
                    shapes[raw] = shapes.get(raw, 0) + 1
                if prev is not None and sent[prev[1] : s] == " " and _phrase_words(prev[2], raw, cased):
                    pair = (prev[3], term)
                    pair_count[pair] = pair_count.get(pair, 0) + 1
                    pair_shape.setdefault(pair, f"{prev[2]} {raw}")
                prev = (s, e, raw, term)
            else:
                prev = None
        if cased:
            _collect_names(sent, toks, capitalised_inside, name_count, name_shape, lone_caps)

    # A surname alone counts for the most frequent full name that ends with it.
    by_last: dict[str, tuple[str, ...]] = {}
    for name in sorted(name_count, key=lambda n: (-name_count[n], n)):
        by_last.setdefault(name[-1], name)
    credited = dict(name_count)
    for last, n in lone_caps.items():
        if last in by_last:
            credited[by_last[last]] += n

    candidates: list[tuple[str, tuple[str, ...], str, int]] = []  # kind, terms, text, count
    for term, n in word_count.items():
        shapes = word_shape[term]
        shown = min(shapes, key=lambda w: (-shapes[w], w)) if shapes else term
        candidates.append(("word", (term,), shown, n))
    for name, n in credited.items():
        candidates.append(("name", name, name_shape[name], n))
    names = set(credited)
    for pair, n in pair_count.items():
        if n >= 2 and pair not in names:
            candidates.append(("phrase", pair, pair_shape[pair], n))

    every_term = {t for _k, ts, _s, _n in candidates for t in ts}
    df = stats.frequencies(sorted(every_term))
    total = max(stats.documents, 1)

    def idf(term: str) -> float:
        return math.log((total + 1) / (df.get(term, 0) + 1)) + 1.0

    scored = []
    for kind, ts, shown, n in candidates:
        tf = 1.0 + math.log(n)
        if len(ts) == 1:
            score = tf * idf(ts[0])
        else:
            score = tf * NAME_BONUS * sum(idf(t) for t in ts) / len(ts)
        scored.append((-round(score, 9), " ".join(ts), kind, ts, shown, n, score))
    scored.sort()

    chosen: list[Keyword] = []
    inside: set[str] = set()  # words of the chosen names and phrases
    for _neg, key, kind, ts, shown, n, score in scored:
        if len(chosen) >= limit:
            break
        if len(ts) == 1 and ts[0] in inside:
            continue
        if len(ts) > 1:
            if any(set(ts) <= set(c.key.split()) for c in chosen if c.kind != "word"):
                continue  # a part of a chosen name
            chosen = [c for c in chosen if not (c.kind == "word" and c.key in ts)]
            inside.update(ts)
        chosen.append(Keyword(shown, key, kind, n, score))
    return chosen


def _phrase_words(prev_raw: str, raw: str, cased: bool) -> bool:
    """Whether two adjacent words may make a phrase: in cased text both in lower case
    (capitalised runs are names; "governor Vasily" is neither)."""
    return not cased or (prev_raw[:1].islower() and raw[:1].islower())


def _collect_names(sent: str, toks: list[tuple[int, int, str, str]], capitalised_inside: set[str],
                   name_count: dict[tuple[str, ...], int], name_shape: dict[tuple[str, ...], str],
                   lone_caps: dict[str, int]) -> None:
    n = len(toks)
    k = 0
    while k < n:
        s, e, raw, term = toks[k]
        initial = k == 0 or any(c in _OPENERS for c in sent[toks[k - 1][1] : s])
        ok = raw[:1].isupper() and term not in STOP_WORDS and (not initial or term in capitalised_inside
                                                                  or term in TITLE_WORDS)
        if not ok:
            k += 1
            continue
        j = k
        while j + 1 < n and toks[j + 1][2][:1].isupper() and sent[toks[j][1] : toks[j + 1][0]] == " " \
                and toks[j + 1][3] not in STOP_WORDS:
            j += 1
        run = toks[k : j + 1]
        while run and run[0][3] in TITLE_WORDS:  # "President Volodymyr Zelensky"
            run = run[1:]
        while run and run[-1][3] in TITLE_WORDS:
            run = run[:-1]
        if len(run) >= 2:
            key = tuple(t[3] for t in run)
            name_count[key] = name_count.get(key, 0) + 1
            name_shape.setdefault(key, sent[run[0][0] : run[-1][1]])
        elif len(run) == 1 and run[0][3] not in STOP_WORDS:
            lone_caps[run[0][3]] = lone_caps.get(run[0][3], 0) + 1
        k = j + 1


# --------------------------------------------------------------------------- tags


def _tag_words(tag: str) -> tuple[str, ...]:
    return tuple(index_terms(tag))


def _stem(word: str) -> str:
    """A crude English stem, only for comparing a tag with a keyword."""
    for suffix, repl in (("ies", "y"), ("ss", "ss"), ("s", ""), ("ing", ""), ("ed", ""), ("n", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + repl
    return word


def _related(tag_words: tuple[str, ...], kw: Keyword) -> int:
    """How well an existing tag says what the keyword says: 2 when fully (the same
    words or stems, a prefix variant of a single word such as ``russia`` for
    ``Russian``, or a name's surname: ``zelensky`` for ``Volodymyr Zelensky``), 1 when
    it names one word of a longer keyword (``energy`` for ``energy infrastructure``),
    0 when not at all."""
    kw_words = tuple(kw.key.split())
    if not tag_words or not kw_words:
        return 0
    if tag_words == kw_words or tuple(map(_stem, tag_words)) == tuple(map(_stem, kw_words)):
        return 2
    if len(tag_words) != 1:
        return 0
    t = tag_words[0]
    if len(kw_words) == 1:
        w = kw_words[0]
        return 2 if len(t) >= 4 and (w.startswith(t) or t.startswith(w)) and abs(len(w) - len(t)) <= 3 else 0
    st = _stem(t)
    for w in kw_words:
        if _stem(w) == st or (len(st) >= 4 and w.startswith(st) and len(w) - len(st) <= 3):
            return 2 if kw.kind == "name" and w == kw_words[-1] else 1
    return 0


def tag_from_keyword(kw: Keyword) -> str | None:
    """A tag in the corpus's style made from a keyword: lower case, words joined by
    ``-`` (``energy-infrastructure``, ``volodymyr-zelensky``); None when nothing
    usable is left. Satisfies :func:`briefing.annotations.schema.normalize_tag`, and
    has no comma (the reader splits typed tags on commas)."""
    from briefing.annotations.schema import normalize_tag
    from briefing.sanitize import clean_line

    words = [w.casefold() for w in _FTS_TOKEN.findall(clean_line(kw.text))]
    tag = "-".join(w for w in words if w)
    if len(tag) > TAG_MAX:
        tag = tag[:TAG_MAX].rsplit("-", 1)[0] if "-" in tag[:TAG_MAX] else tag[:TAG_MAX]
    try:
        return normalize_tag(tag)
    except ValueError:
        return None


def suggest_tags(
    keywords: Iterable[Keyword],
    existing_tags: Mapping[str, int] | Iterable[str],
    article_tags: Iterable[str] = (),
    limit: int = 5,
) -> list[str]:
    """Tags to suggest for an article: first the corpus's existing tags that match one
    of its ``keywords`` (in keyword order, then the more used tag first), then tags
    made from the keywords themselves (:func:`tag_from_keyword`). A tag the article
    already has — or one that differs from it only in case, accents or separators —
    is never suggested, nor the same tag twice, nor a new tag for a keyword that an
    existing or article tag already covers. Existing tags are returned exactly as the
    corpus writes them."""
    kws = list(keywords)
    if isinstance(existing_tags, Mapping):
        counts = {str(t): int(n) for t, n in existing_tags.items()}
    else:
        counts = {str(t): 0 for t in existing_tags}
    have = {_tag_words(t) for t in article_tags}
    seen: set[tuple[str, ...]] = set(have)
    out: list[str] = []

    def offer(tag: str) -> None:
        words = _tag_words(tag)
        if not words or words in seen or "," in tag or len(out) >= limit:
            return
        seen.add(words)
        out.append(tag)

    existing = sorted(counts, key=lambda t: (-counts[t], t))
    usable = []
    for tag in existing:
        try:
            from briefing.annotations.schema import normalize_tag

            if normalize_tag(tag) != tag:
                continue
        except (ValueError, TypeError):
            continue
        usable.append((tag, _tag_words(tag)))
    covered: set[str] = set()  # keywords an existing or article tag already says
    for kw in kws:
        if any(_related(words, kw) == 2 for words in have):
            covered.add(kw.key)
        for tag, words in usable:
            strength = _related(words, kw)
            if strength:
                offer(tag)
            if strength == 2:
                covered.add(kw.key)
    for kw in kws:
        made = tag_from_keyword(kw)
        if made is not None and kw.key not in covered:
            offer(made)
    return out
