"""Two analysts edit one briefing in their clones; `git pull` merges it through
`briefing merge-file` (set up by `briefing team init`) with both changes kept."""

from __future__ import annotations

import shutil

import pytest

from briefing.brief.store import load_brief, new_brief, save_brief
from tests.team.gitrepo import clone, commit_all, git, has_markers, make_origin, unmerged

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git executable")


def test_pull_merges_a_briefing_both_analysts_changed(tmp_path):
    origin = make_origin(tmp_path)
    new_brief(origin, "weekly", title="Weekly")
    loaded = load_brief(origin, "weekly")
    loaded.doc.add(["a.txt"], section="Energy")
    save_brief(origin, loaded.doc, loaded.stamp)
    commit_all(origin, "a briefing")
    ann, bob = clone(origin, tmp_path, "Ann"), clone(origin, tmp_path, "Bob")
    assert git(bob, "check-attr", "merge", "briefings/weekly.yaml").stdout.strip() == "briefings/weekly.yaml: merge: briefing"
    mine = load_brief(ann, "weekly")
    mine.doc.add(["b.txt"], section="Energy")
    mine.doc.bluf = "Ann's bottom line"
    save_brief(ann, mine.doc, mine.stamp)
    commit_all(ann, "Ann's briefing work")
    git(ann, "push", "-q", "origin", "main")
    theirs = load_brief(bob, "weekly")
    theirs.doc.add(["c.txt"], section="Gas")
    theirs.doc.set_why("a.txt", "Bob's why")
    save_brief(bob, theirs.doc, theirs.stamp)
    commit_all(bob, "Bob's briefing work")
    result = git(bob, "pull", "--no-rebase", "--no-edit", "-q", "origin", "main", check=False)
    assert result.returncode == 0, result.stderr
    assert unmerged(bob) == []
    text = (bob / "briefings" / "weekly.yaml").read_text(encoding="utf-8")
    assert not has_markers(text)
    merged = load_brief(bob, "weekly").doc
    assert merged.bluf == "Ann's bottom line" and merged.item("a.txt").why == "Bob's why"
    assert [(s.name, [i.id for i in s.items]) for s in merged.sections] == [("Energy", ["a.txt", "b.txt"]), ("Gas", ["c.txt"])]
