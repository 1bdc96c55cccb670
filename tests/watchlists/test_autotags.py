"""Automatic tags: applied to matches, kept apart from the analyst's tags, removable
in one step, and never applied again once the analyst took one off."""

from __future__ import annotations

import pytest

from briefing.annotations import AnnotationStore, yamlio
from briefing.annotations.location import backup_dir
from briefing.annotations.merge import merge_article
from briefing.annotations.schema import ArticleNotes
from briefing.corpus import open_corpus
from briefing.watchlists import WatchlistStore
from briefing.watchlists.run import apply_tags, match_all, remove_watchlist_tags


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("Grid attack\n\nThe power grid was hit.\n", encoding="utf-8")
    (root / "b.txt").write_text("Grid repairs\n\nCrews fixed the grid.\n", encoding="utf-8")
    (root / "c.txt").write_text("Weather\n\nSun all week.\n", encoding="utf-8")
    return root


def run_all(corpus):
    plain = open_corpus(corpus)
    store = AnnotationStore.open(corpus, plain.articles)
    lists = list(WatchlistStore(corpus).watchlists.values())
    return store, apply_tags(lists, match_all(lists, plain, store), store)


def test_tags_are_applied_apart_from_the_analysts_and_count_as_tags(corpus):
    WatchlistStore(corpus).add("grid", "grid", ["infra", "watch"])
    store, change = run_all(corpus)
    assert change is not None and set(change.article_ids) == {"a.txt", "b.txt"}
    again = AnnotationStore.open(corpus, open_corpus(corpus).articles)
    a = again.get("a.txt")
    assert a.auto_tags == ("infra", "watch") and a.tags == ()
    assert again.tags(open_corpus(corpus).get("a.txt")) == ("infra", "watch")
    text = (corpus / "annotations.yaml").read_text(encoding="utf-8")
    assert '\n    auto_tags:\n      - "infra"\n      - "watch"\n' in text
    assert text.endswith("version: 4\n")
    assert again.get("c.txt").auto_tags == ()


def test_running_again_changes_nothing(corpus):
    WatchlistStore(corpus).add("grid", "grid", ["infra"])
    run_all(corpus)
    before = (corpus / "annotations.yaml").read_bytes()
    _, change = run_all(corpus)
    assert change is None
    assert (corpus / "annotations.yaml").read_bytes() == before


def test_a_tag_the_analyst_removed_is_never_applied_again(corpus):
    WatchlistStore(corpus).add("grid", "grid", ["infra", "watch"])
    store, _ = run_all(corpus)
    store.remove_tags("a.txt", ["infra"])  # the ordinary untag takes an automatic tag off too
    assert store.get("a.txt").auto_tags == ("watch",)
    assert store.get("a.txt").removed_auto_tags == ("infra",)
    store.remove_auto_tags("b.txt")  # all automatic tags of an article, one step
    assert store.get("b.txt").auto_tags == () and store.get("b.txt").removed_auto_tags == ("infra", "watch")
    store2, _ = run_all(corpus)
    assert store2.get("a.txt").auto_tags == ("watch",)
    assert store2.get("b.txt").auto_tags == ()


def test_an_analyst_tag_of_the_same_name_is_not_duplicated(corpus):
    store = AnnotationStore.open(corpus, open_corpus(corpus).articles)
    store.add_tags("a.txt", ["infra"])
    WatchlistStore(corpus).add("grid", "grid", ["infra"])
    store, _ = run_all(corpus)
    assert store.get("a.txt").tags == ("infra",) and store.get("a.txt").auto_tags == ()
    assert store.get("b.txt").auto_tags == ("infra",)


def test_a_watchlists_tags_come_off_every_article_in_one_step(corpus):
    lists = WatchlistStore(corpus)
    lists.add("grid", "grid", ["infra"])
    lists.add("power", "power", ["energy"])
    store, _ = run_all(corpus)
    change = remove_watchlist_tags(lists.get("grid"), store)
    assert change is not None and set(change.article_ids) == {"a.txt", "b.txt"}
    assert store.get("a.txt").auto_tags == ("energy",) and store.get("b.txt").auto_tags == ()
    store.undo()  # one undo step brings them back
    assert store.get("b.txt").auto_tags == ("infra",)


def test_automatic_tags_merge_like_tags():
    base = ArticleNotes(auto_tags=("a",))
    ours = ArticleNotes(auto_tags=("a", "b"))
    theirs = ArticleNotes(removed_auto_tags=("a",))
    merged, conflicts = merge_article("x.txt", base, ours, theirs)
    assert merged.auto_tags == ("b",) and merged.removed_auto_tags == ("a",) and not conflicts


def test_the_fields_are_validated_with_the_line():
    bad = b'articles:\n  a.txt:\n    auto_tags: "not a list"\nversion: 3\n'
    with pytest.raises(Exception, match="line 3"):
        yamlio.load(bad)
    with pytest.raises(Exception, match="line 4"):
        yamlio.load(b'articles:\n  a.txt:\n    removed_auto_tags:\n      - ""\nversion: 3\n')


def test_a_version_2_file_is_read_and_migrated_on_the_first_save(corpus):
    (corpus / "annotations.yaml").write_text('articles:\n  "a.txt":\n    read: true\nversion: 2\n', encoding="utf-8")
    WatchlistStore(corpus).add("grid", "grid", ["infra"])
    store, _ = run_all(corpus)
    assert store.get("a.txt").read and store.get("a.txt").auto_tags == ("infra",)
    assert (backup_dir(corpus.resolve()) / "annotations.yaml.v2.bak").exists()  # backups live in the state folder
    assert (corpus / "annotations.yaml").read_text(encoding="utf-8").endswith("version: 4\n")
