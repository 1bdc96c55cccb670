"""Keywords per article, document frequencies from the index, tag suggestions."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest

from briefing.annotations.schema import normalize_tag
from briefing.corpus import find_article, open_corpus
from briefing.model import Article, ArticleMeta
from briefing.resources import sample_corpus
from briefing.stories.keywords import (
    CountedStats,
    IndexStats,
    Keyword,
    document_stats,
    index_terms,
    keywords_for,
    suggest_tags,
    tag_from_keyword,
)
from briefing.stories.stopwords import STOP_WORDS


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))


def art(ident: str, body: str, title: str = "", derived: bool = True) -> Article:
    meta = ArticleMeta(ident, f"/x/{ident}", title or ident, derived, None, None, None, (), "sha256:0", len(body.split()))
    return Article(meta, body)


@pytest.fixture(scope="module")
def sample():
    corpus = open_corpus(sample_corpus())
    articles = [corpus.article(m.id) for m in corpus.articles]
    return {a.id: a for a in articles}, CountedStats.from_articles(articles)


# --------------------------------------------------------------------------- keywords


def test_sample_keywords_prefer_names_and_phrases(sample):
    articles, stats = sample
    # 003 names "President Volodymyr Zelensky" once and "Zelensky" alone four more times.
    kws = keywords_for(articles["003_dd4f2a093bc6ca5d.txt"], stats)
    zelensky = [k for k in kws if k.key == "volodymyr zelensky"]
    assert zelensky and zelensky[0].text == "Volodymyr Zelensky" and zelensky[0].kind == "name"
    assert zelensky[0].count == 5
    assert "zelensky" not in [k.key for k in kws]  # not repeated as a single word
    # 000 says "energy infrastructure" five times.
    kws0 = keywords_for(articles["000_c25f74af4bc17e80.txt"], stats)
    assert ("energy infrastructure", "phrase", 5) in [(k.text, k.kind, k.count) for k in kws0]


def test_keywords_are_deterministic_and_free_of_stop_words(sample):
    articles, stats = sample
    shuffled = list(articles.values())
    random.Random(3).shuffle(shuffled)
    stats2 = CountedStats.from_articles(shuffled)
    for article in articles.values():
        first = keywords_for(article, stats)
        assert first == keywords_for(article, stats) == keywords_for(article, stats2)
        assert 1 <= len(first) <= 6
        scores = [k.score for k in first]
        assert scores == sorted(scores, reverse=True)
        for k in first:
            assert all(word not in STOP_WORDS for word in k.key.split()), k
            assert not any(ch.isdigit() for ch in k.key)


def test_rare_words_outrank_common_ones_with_the_same_count():
    common = "grid"
    rare = "substation"
    target = art("t.txt", f"The {common} failed. A {rare} burned. The {common} was repaired and the {rare} was rebuilt.")
    others = [art(f"o{i}.txt", f"The {common} held steady today in region {i}.") for i in range(20)]
    stats = CountedStats.from_articles([target, *others])
    keys = [k.key for k in keywords_for(target, stats)]
    assert keys.index(rare) < keys.index(common)


def test_limit_and_title_counts():
    body = "Engineers restored the turbine. The turbine had been damaged. Cables were replaced."
    titled = art("t.txt", body, title="Cables and cables", derived=False)
    stats = CountedStats.from_articles([titled])
    kws = keywords_for(titled, stats, limit=2)
    assert len(kws) == 2
    assert {k.key for k in kws} == {"cables", "turbine"}
    assert next(k for k in kws if k.key == "cables").count == 3  # title (2) + body (1)


def test_empty_and_hostile_articles():
    stats = CountedStats.from_texts(["nothing"])
    assert keywords_for(art("e.txt", ""), stats) == []
    hostile = art("h.txt", "[bold]Pipeline[/bold] \x1b[31m pipeline ``` <script>pipeline</script> {x} " * 20)
    kws = keywords_for(hostile, stats)
    assert kws and kws[0].key == "pipeline"
    assert all("[" not in k.text and "<" not in k.text for k in kws)


# --------------------------------------------------------------------------- frequencies


def _brute_df(texts: list[str]) -> dict[str, int]:
    """Independent count: ASCII letters and digits, lower case (the test corpus is ASCII
    except for accented words, which are folded by hand)."""
    df: dict[str, int] = {}
    for text in texts:
        plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        for term in set(re.findall(r"[a-z0-9]+", plain.lower())):
            df[term] = df.get(term, 0) + 1
    return df


VOCAB = "grid power kyiv strike drone winter café résumé e-mail covid-19 g7 outage repair the of and".split()


def _write_corpus(root: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    for n in range(count):
        folder = root / f"{n % 7:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        title = " ".join(rng.choice(VOCAB) for _ in range(3)).capitalize() + f" number{n}"
        body = " ".join(rng.choice(VOCAB) for _ in range(rng.randint(5, 25))) + "."
        (folder / f"{n:04d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")


@pytest.mark.parametrize("count, workers", [(40, 1), (460, 2)])  # 460 files, 2 workers: a sharded build
def test_index_frequencies_match_a_brute_force_count(tmp_path, count, workers):
    from briefing.index import CorpusIndex

    root = tmp_path / "corpus"
    _write_corpus(root, count, seed=count)
    index = CorpusIndex(root, workers=workers)
    index.refresh()
    if workers > 1:
        assert any(p.name.endswith(".fts1") for p in index.cache_files())  # shards were written
    corpus = index.snapshot()
    texts = []
    for meta in corpus.articles:
        a = corpus.article(meta.id)
        texts.append(f"{a.title}\n{a.body}")
    expected = _brute_df(texts)
    stats = IndexStats.open(root)
    assert stats is not None
    try:
        assert stats.documents == count
        terms = sorted(expected) + ["absentword"]
        got = stats.frequencies(terms)
        assert got == {**expected, "absentword": 0}
        assert stats.frequencies(terms) == got  # from its cache the second time
        counted = CountedStats.from_texts(texts)
        assert counted.frequencies(terms) == got and counted.documents == count
    finally:
        stats.close()


def test_index_stats_without_an_index(tmp_path):
    root = tmp_path / "corpus"
    _write_corpus(root, 5, seed=1)
    assert IndexStats.open(root) is None
    corpus = open_corpus(root)
    stats = document_stats(corpus)  # counted from the files
    assert isinstance(stats, CountedStats) and stats.documents == 5
    texts = [f"{a.title}\n{a.body}" for a in (corpus.article(m.id) for m in corpus.articles)]
    expected = _brute_df(texts)
    assert stats.frequencies(sorted(expected)) == expected


def test_document_stats_use_the_index_when_there_is_one(tmp_path):
    from briefing.index import open_index

    root = tmp_path / "corpus"
    _write_corpus(root, 12, seed=2)
    stats = document_stats(open_index(root))
    try:
        assert isinstance(stats, IndexStats) and stats.documents == 12
    finally:
        stats.close()


def test_index_terms_fold_like_the_index():
    assert index_terms("Café e-mail COVID-19 Zelensky’s") == ["cafe", "e", "mail", "covid", "19", "zelensky", "s"]


# --------------------------------------------------------------------------- tags


def kw(text: str, kind: str = "word", score: float = 1.0) -> Keyword:
    return Keyword(text, " ".join(index_terms(text)), kind, 1, score)


def test_suggestions_prefer_existing_tags_verbatim():
    kws = [kw("Volodymyr Zelensky", "name", 5), kw("energy infrastructure", "phrase", 4), kw("Kyiv", score=3)]
    existing = {"Kyiv": 4, "energy": 7, "zelensky": 1, "weather": 9}
    got = suggest_tags(kws, existing, [])
    assert got[:3] == ["zelensky", "energy", "Kyiv"]
    assert "weather" not in got
    # "zelensky" covers the name; "energy" is only part of "energy infrastructure"
    assert got[3:] == ["energy-infrastructure"]


def test_suggestions_skip_the_articles_own_tags_in_any_case_or_separator():
    kws = [kw("energy infrastructure", "phrase"), kw("Kyiv"), kw("drones")]
    got = suggest_tags(kws, ["kyiv", "Energy-Infrastructure"], ["KYIV", "energy infrastructure"])
    assert got == ["drones"]


def test_suggestions_match_by_stem_and_prefix_and_respect_the_limit():
    kws = [kw("missiles"), kw("Russian"), kw("refinery"), kw("turbines"), kw("substation"), kw("outage")]
    existing = ["missile", "russia", "refineries"]
    got = suggest_tags(kws, existing, [], limit=4)
    assert got == ["missile", "russia", "refineries", "turbines"]


def test_suggested_tags_follow_the_tag_rules():
    hostile = [kw("Smolensk,Region"), kw("a" * 60 + " b"), kw("\x1b[31m energy"), kw("###")]
    got = suggest_tags(hostile, {}, [])
    assert got
    for tag in got:
        assert normalize_tag(tag) == tag
        assert "," not in tag and " " not in tag and "\x1b" not in tag and len(tag) <= 40
    assert "smolensk-region" in got
    assert tag_from_keyword(kw("###")) is None
    # an existing tag that is not a valid stored tag is never offered
    assert suggest_tags([kw("grid")], [" grid "], []) == ["grid"]
    assert suggest_tags([kw("grid")], {"grid": 2}, ["grid"]) == []


def test_suggestions_on_the_sample(sample):
    _articles, stats = sample
    a = find_article(sample_corpus(), "003_dd4f2a093bc6ca5d.txt")
    kws = keywords_for(a, stats)
    got = suggest_tags(kws, {"energy": 1, "kyiv": 1, "zelensky": 2}, ["kyiv"])
    assert got[0] == "zelensky"
    assert "kyiv" not in got and len(got) == len(set(got))


def test_an_interrupted_lookup_keeps_nothing_and_the_next_one_counts_everything(tmp_path):
    """``interrupt()`` from another thread makes a running look-up give up (the
    reader's keywords worker for an article the analyst left); the counts it had not
    finished are not cached as zeros, and the next look-up gives every count."""
    import threading

    from briefing.index import CorpusIndex
    from briefing.stories.keywords import Interrupted

    root = tmp_path / "corpus"
    _write_corpus(root, 60, seed=5)
    index = CorpusIndex(root)
    index.refresh()
    corpus = index.snapshot()
    texts = [f"{corpus.article(m.id).title}\n{corpus.article(m.id).body}" for m in corpus.articles]
    expected = _brute_df(texts)
    stats = IndexStats.open(root)
    assert stats is not None
    try:
        steps = [0]
        interrupted = threading.Event()

        def interrupt_from_another_thread() -> int:  # SQLite calls this every few VM steps of the look-up
            steps[0] += 1
            if steps[0] == 3 and not interrupted.is_set():
                t = threading.Thread(target=stats.interrupt)  # as the reader's UI thread does
                t.start()
                t.join()
                interrupted.set()
            return 0

        stats._conn.set_progress_handler(interrupt_from_another_thread, 1)
        with pytest.raises(Interrupted):
            stats.frequencies(sorted(expected))
        assert interrupted.is_set()
        stats._conn.set_progress_handler(None, 0)
        assert stats.frequencies(sorted(expected)) == expected  # nothing half-counted was kept
        stats.interrupt()  # nothing running: a look-up started after it runs as usual
        assert stats.frequencies(["absentword", *sorted(expected)[:3]]) == {
            "absentword": 0, **{t: expected[t] for t in sorted(expected)[:3]}}
    finally:
        stats.close()
    stats.interrupt()  # closed: nothing to stop, and no error
