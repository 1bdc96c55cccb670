"""Two analysts, two clones, real git: the briefing merge driver keeps both sides'
work through pull (merge), rebase, cherry-pick and stash pop, never writes
conflict markers into YAML, and a true conflict leaves the file conflicted in git
with the other value in its `conflicts` entry."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from briefing.annotations import AnnotationStore, yamlio

from .gitrepo import clone, commit_all, git, has_markers, make_origin, store_of, unmerged

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git executable")


def ann_works(repo, title=None):
    s = store_of(repo, "Ann")
    s.add_tags("a.txt", ["energy"])
    s.add_note("a.txt", "Ann: compare with the MoD warning")
    s.add_highlight("a.txt", "Power cuts hit Kyiv", "scale")
    s.set_date("b.txt", "2022-12-16")
    s.set_flagged("c.txt", True)
    if title:
        s.set_title("a.txt", title)


def bob_works(repo, title=None):
    s = store_of(repo, "Bob")
    s.add_tags("a.txt", ["kyiv"])
    s.add_tags("b.txt", ["gas"])
    s.add_note("a.txt", "Bob: engineers quoted")
    s.add_highlight("b.txt", "Gas prices rose", "")
    s.set_date("c.txt", "2021-03-04")
    s.set_dismissed("b.txt", True)
    s.set_flagged("a.txt", True)
    if title:
        s.set_title("a.txt", title)


def assert_both_kept(repo):
    text = (repo / "annotations.yaml").read_text(encoding="utf-8")
    assert not has_markers(text)
    doc = yamlio.load(text.encode())  # valid annotations, not a textual merge
    a, b, c = doc.get("a.txt"), doc.get("b.txt"), doc.get("c.txt")
    assert a.tags == ("base", "energy", "kyiv")
    assert {(n.text, n.by) for n in a.notes} == {("Ann: compare with the MoD warning", "Ann"), ("Bob: engineers quoted", "Bob")}
    assert {(h.quote, h.by) for h in a.highlights} == {("Power cuts hit Kyiv", "Ann")}
    assert {(h.quote, h.by) for h in b.highlights} == {("Gas prices rose", "Bob")}
    assert a.flagged and b.dismissed and c.flagged
    assert b.tags == ("gas",)
    assert b.date == dt.date(2022, 12, 16) and c.date == dt.date(2021, 3, 4)
    assert b.stamp("date").by == "Ann" and c.stamp("date").by == "Bob"
    return doc


def two_analysts(tmp_path, ann_title=None, bob_title=None):
    origin = make_origin(tmp_path)
    ann, bob = clone(origin, tmp_path, "Ann"), clone(origin, tmp_path, "Bob")
    ann_works(ann, ann_title)
    commit_all(ann, "Ann's reading")
    git(ann, "push", "-q", "origin", "main")
    bob_works(bob, bob_title)
    commit_all(bob, "Bob's reading")
    git(bob, "fetch", "-q", "origin")
    return ann, bob


def test_pull_keeps_everything_both_analysts_did(tmp_path):
    _ann, bob = two_analysts(tmp_path)
    assert git(bob, "check-attr", "merge", "annotations.yaml").stdout.strip() == "annotations.yaml: merge: briefing"
    result = git(bob, "pull", "--no-rebase", "--no-edit", "-q", "origin", "main")
    assert result.returncode == 0 and unmerged(bob) == []
    doc = assert_both_kept(bob)
    assert not any(a.conflicts for a in doc.articles.values())
    assert git(bob, "status", "--porcelain").stdout == ""  # merged and committed, nothing left over


def test_a_true_conflict_is_kept_in_the_file_and_git_marks_it(tmp_path):
    _ann, bob = two_analysts(tmp_path, ann_title="Kyiv grid hit", bob_title="Strikes on Kyiv power")
    result = git(bob, "pull", "--no-rebase", "--no-edit", "origin", "main", check=False)
    assert result.returncode != 0
    assert unmerged(bob) == ["annotations.yaml"]
    assert "title was changed elsewhere too" in result.stderr + result.stdout
    doc = assert_both_kept(bob)
    a = doc.get("a.txt")
    assert a.title == "Strikes on Kyiv power"  # ours stays in the field
    (conflict,) = a.conflicts
    assert (conflict.field, conflict.kept, conflict.other, conflict.base) == ("title", "Strikes on Kyiv power", "Kyiv grid hit", None)
    assert (conflict.kept_by, conflict.other_by, conflict.by) == ("Bob", "Ann", "Bob") and conflict.at
    # resolved (here by taking the file as it is), the merge completes
    git(bob, "add", "annotations.yaml")
    git(bob, "commit", "-q", "--no-edit")
    assert unmerged(bob) == []


def test_rebase_goes_through_the_driver(tmp_path):
    _ann, bob = two_analysts(tmp_path)
    result = git(bob, "rebase", "origin/main", check=False)
    assert result.returncode == 0, result.stderr
    assert_both_kept(bob)
    assert git(bob, "log", "--format=%s", "-3").stdout.split("\n")[:2] == ["Bob's reading", "Ann's reading"]


def test_rebase_with_a_true_conflict_stops_with_valid_yaml(tmp_path):
    _ann, bob = two_analysts(tmp_path, ann_title="Ann's", bob_title="Bob's")
    result = git(bob, "rebase", "origin/main", check=False)
    assert result.returncode != 0 and unmerged(bob) == ["annotations.yaml"]
    doc = assert_both_kept(bob)
    # in a rebase "ours" is the upstream (Ann's) and the commit replayed is "theirs"
    (conflict,) = doc.get("a.txt").conflicts
    assert {conflict.kept, conflict.other} == {"Ann's", "Bob's"}


def test_cherry_pick_goes_through_the_driver(tmp_path):
    _ann, bob = two_analysts(tmp_path)
    result = git(bob, "cherry-pick", "origin/main", check=False)
    assert result.returncode == 0, result.stderr
    assert_both_kept(bob)


def test_stash_pop_goes_through_the_driver(tmp_path):
    origin = make_origin(tmp_path)
    ann, bob = clone(origin, tmp_path, "Ann"), clone(origin, tmp_path, "Bob")
    ann_works(ann)
    commit_all(ann, "Ann's reading")
    git(ann, "push", "-q", "origin", "main")
    bob_works(bob)  # not committed
    git(bob, "stash")
    git(bob, "pull", "-q", "--no-rebase", "origin", "main")
    result = git(bob, "stash", "pop", check=False)
    assert result.returncode == 0, result.stderr
    assert_both_kept(bob)


def test_an_analyst_with_the_file_open_takes_in_the_pull(tmp_path):
    """The reader's store re-reads a file git changed under it: a merge, nothing lost."""
    _ann, bob = two_analysts(tmp_path)
    store = AnnotationStore.open(bob)
    store.author = "Bob"
    git(bob, "pull", "--no-rebase", "--no-edit", "-q", "origin", "main")
    store.reload()
    assert store.get("a.txt").tags == ("base", "energy", "kyiv")


def test_without_the_driver_git_would_conflict_textually(tmp_path):
    """The control: the same work merged by git's own text merge conflicts (so the
    tests above pass because of the driver, not because the edits never touch)."""
    _ann, bob = two_analysts(tmp_path)
    git(bob, "config", "--unset", "merge.briefing.driver")
    git(bob, "config", "merge.briefing.driver", "false")
    result = git(bob, "pull", "--no-rebase", "--no-edit", "origin", "main", check=False)
    assert result.returncode != 0 and unmerged(bob) == ["annotations.yaml"]
