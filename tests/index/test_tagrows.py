"""A corpus's tag counts read from its index (briefing.listing.tagrows: what the
reader counts for tag suggestions and the tag and filter dialogs) equal the counts
over every article's meta: front-matter tags, the analyst's, the watchlists', and
the analyst's tags of annotated articles no longer in the folder."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.annotations import AnnotationStore
from briefing.index import open_index
from briefing.index.rows import ArticleRows
from briefing.listing import stream
from briefing.listing.tagrows import IndexTags, tag_source

VOCAB = ("energy", "kyiv", "Ukraine", "grid", "élections")


def write_article(root, name: str, tags: tuple[str, ...], day: int) -> None:
    front = f"tags: [{', '.join(tags)}]\n" if tags else ""
    (root / name).write_text(f"---\ntitle: Article {name}\ndate: 2024-03-{day:02d}\n{front}---\n\nWords about {name}.\n",
                             encoding="utf-8")


def test_counts_from_the_index_hand_checked(tmp_path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    write_article(root, "a.md", ("energy", "kyiv"), 1)
    write_article(root, "b.md", ("energy",), 2)
    write_article(root, "c.md", (), 3)
    write_article(root, "d.md", ("kyiv",), 4)
    corpus = open_index(root, workers=1)
    assert isinstance(corpus.articles, ArticleRows)
    store = AnnotationStore.open(root)
    store.add_tags(["a.md"], ["energy", "ukraine"])  # one already in its front matter
    store.add_tags(["c.md"], ["ukraine"])
    store.apply_auto_tags({"b.md": ["watch"]})
    store.add_tags(["gone.md"], ["old"])  # annotated, its file no longer in the folder
    source = tag_source(corpus)
    assert isinstance(source, IndexTags)
    expected = {"energy": 2, "kyiv": 2, "old": 1, "ukraine": 2, "watch": 1}
    assert store.tag_counts(source) == expected
    assert list(store.tag_counts(source)) == list(store.tag_counts(list(corpus.articles)))  # completion's order
    assert store.all_tags(source) == list(expected)
    # A tag only the analyst gave, taken away again: no longer counted.
    store.remove_tags("c.md", ["ukraine"])
    assert store.tag_counts(source)["ukraine"] == 1


def test_no_meta_is_made_per_article(tmp_path, monkeypatch) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    for n in range(30):
        write_article(root, f"{n:02d}.md", (VOCAB[n % 3],) if n % 2 else (), 1 + n % 28)
    corpus = open_index(root, workers=1)
    store = AnnotationStore.open(root)
    store.add_tags([f"{n:02d}.md" for n in range(0, 30, 4)], ["seen"])
    expected = store.tag_counts(list(corpus.articles))

    def refused(*_args, **_kwargs):
        raise AssertionError("the articles were read one meta at a time")

    monkeypatch.setattr(ArticleRows, "__iter__", refused)
    monkeypatch.setattr(ArticleRows, "__getitem__", refused)
    monkeypatch.setattr(stream, "_CHUNK", 3)  # the annotated ids looked up in several queries
    assert store.tag_counts(tag_source(corpus)) == expected


def test_a_corpus_read_whole_is_counted_over_its_articles(tmp_path) -> None:
    from briefing.corpus import open_corpus

    root = tmp_path / "corpus"
    root.mkdir()
    write_article(root, "a.md", ("energy",), 1)
    corpus = open_corpus(root)
    assert tag_source(corpus) is corpus.articles


plans = st.lists(st.tuples(st.lists(st.sampled_from(VOCAB), max_size=3),  # front matter
                           st.lists(st.sampled_from(VOCAB), max_size=2),   # the analyst's
                           st.lists(st.sampled_from(VOCAB), max_size=2)),  # a watchlist's
                 min_size=1, max_size=14)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=plans, gone=st.lists(st.sampled_from(VOCAB), max_size=3), seed=st.integers(0, 2**16))
def test_counts_from_the_index_equal_the_counts_over_the_metas(tmp_path_factory, plan, gone, seed) -> None:
    root = tmp_path_factory.mktemp("corpus")
    rng = random.Random(seed)
    for n, (front, _, _) in enumerate(plan):
        write_article(root, f"{n:02d}.md", tuple(dict.fromkeys(front)), 1 + rng.randrange(28))
    corpus = open_index(root, workers=1)
    store = AnnotationStore.open(root)
    for n, (_, mine, auto) in enumerate(plan):
        if mine:
            store.add_tags([f"{n:02d}.md"], mine)
        if auto:
            store.apply_auto_tags({f"{n:02d}.md": auto})
    if gone:
        store.add_tags(["gone.md"], gone)
    assert store.tag_counts(tag_source(corpus)) == store.tag_counts(list(corpus.articles))
