"""`briefing merge-file` as a command, on each kind of file, and `briefing team init`."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from briefing.annotations import yamlio
from briefing.annotations.schema import AnnotationDoc, ArticleNotes
from briefing.cli import main
from briefing.team import gitsetup
from briefing.team.mergefile import merge_bytes

from .gitrepo import git, has_markers


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def write(path, doc):
    path.write_bytes(yamlio.dumps_bytes(doc))
    return path


def test_merge_file_writes_the_merge_over_ours_and_exits_0(tmp_path):
    base = write(tmp_path / "base", AnnotationDoc({"a.txt": ArticleNotes(tags=("x",))}))
    ours = write(tmp_path / "ours", AnnotationDoc({"a.txt": ArticleNotes(tags=("x", "mine"))}))
    theirs = write(tmp_path / "theirs", AnnotationDoc({"a.txt": ArticleNotes(tags=("x", "yours")), "b.txt": ArticleNotes(read=True)}))
    result = run("merge-file", base, ours, theirs, "annotations.yaml")
    assert result.exit_code == 0, result.output
    doc = yamlio.load(ours.read_bytes())
    assert doc.get("a.txt").tags == ("mine", "x", "yours") and doc.get("b.txt").read


def test_a_true_conflict_exits_1_names_it_on_stderr_and_keeps_both_values(tmp_path):
    base = write(tmp_path / "base", AnnotationDoc({"a.txt": ArticleNotes(title="old")}))
    ours = write(tmp_path / "ours", AnnotationDoc({"a.txt": ArticleNotes(title="ours")}))
    theirs = write(tmp_path / "theirs", AnnotationDoc({"a.txt": ArticleNotes(title="theirs")}))
    result = run("merge-file", base, ours, theirs)
    assert result.exit_code == 1
    assert "CONFLICT a.txt: title" in result.stderr and "'theirs'" in result.stderr
    text = ours.read_text()
    assert not has_markers(text)
    (c,) = yamlio.load(text.encode()).get("a.txt").conflicts
    assert (c.field, c.kept, c.other, c.base) == ("title", "ours", "theirs", "old")


def test_an_invalid_side_is_refused_and_ours_left_untouched(tmp_path):
    base = write(tmp_path / "base", AnnotationDoc())
    ours = write(tmp_path / "ours", AnnotationDoc({"a.txt": ArticleNotes(read=True)}))
    theirs = tmp_path / "theirs"
    theirs.write_bytes(b"articles:\n  a.txt: !!python/object:os.system x\nversion: 3\n")
    before = ours.read_bytes()
    result = run("merge-file", base, ours, theirs, "annotations.yaml")
    assert result.exit_code == 2 and "theirs is not a valid annotation file" in result.stderr
    assert ours.read_bytes() == before


def test_a_newer_format_is_not_merged(tmp_path):
    base = write(tmp_path / "base", AnnotationDoc())
    ours = write(tmp_path / "ours", AnnotationDoc({"a.txt": ArticleNotes(read=True)}))
    theirs = tmp_path / "theirs"
    theirs.write_bytes(b"articles: {}\nversion: 9\n")
    before = ours.read_bytes()
    result = run("merge-file", base, ours, theirs)
    assert result.exit_code == 2 and "newer briefing" in result.stderr
    # what `git add` would then do is said, with the way back
    assert "holds only your version" in result.stderr and "their changes are dropped" in result.stderr
    assert f"git checkout -m {ours}" in result.stderr and "git merge --abort" in result.stderr
    assert ours.read_bytes() == before


WL = 'watchlists:\n{entries}version: "1"\n'


def wl(**entries):
    body = "".join(f'  "{name}":\n    query: "{q}"\n    tags: [{", ".join(chr(34) + t + chr(34) for t in tags)}]\n'
                   for name, (q, tags) in entries.items())
    return WL.format(entries=body).encode()


def test_watchlists_merge_by_name_and_a_query_changed_twice_is_a_conflict():
    base = wl(energy=("grid", ["e"]), gas=("gas", []))
    ours = wl(energy=("grid OR outage", ["e", "mine"]), gas=("gas", []), new=("pipeline", []))
    theirs = wl(energy=("grid AND kyiv", ["e", "yours"]), gas=("gas prices", []))
    result = merge_bytes(base, ours, theirs, path="watchlists.yaml", now="T", by="Ann")
    from briefing.yamlsafe import load_plain

    merged = load_plain(result.data.decode())
    assert merged["watchlists"]["energy"] == {"query": "grid OR outage", "tags": ["e", "mine", "yours"]}
    assert merged["watchlists"]["gas"]["query"] == "gas prices" and merged["watchlists"]["new"]["query"] == "pipeline"
    assert merged["conflicts"] == [{"watchlist": "energy", "field": "query", "kept": "grid OR outage",
                                    "other": "grid AND kyiv", "base": "grid", "by": "Ann", "at": "T"}]
    assert merged["version"] == "1" and len(result.conflicts) == 1 and result.kind == "watchlists"


def test_a_watchlist_deleted_on_one_side_and_edited_on_the_other_is_kept():
    base = wl(energy=("grid", []))
    ours = wl()
    theirs = wl(energy=("grid OR outage", []))
    result = merge_bytes(base, ours, theirs, path="sub/watchlists.yaml")
    from briefing.yamlsafe import load_plain

    merged = load_plain(result.data.decode())
    assert merged["watchlists"]["energy"]["query"] == "grid OR outage"
    assert merged["conflicts"][0]["other"] == "deleted" and result.conflicts


def test_the_kind_is_told_by_content_when_git_gives_no_path():
    base, ours, theirs = wl(a=("x", [])), wl(a=("x", ["t"])), wl(a=("x", []), b=("y", []))
    assert merge_bytes(base, ours, theirs).kind == "watchlists"


def test_an_unknown_kind_takes_the_changed_side_or_refuses():
    from briefing.team.mergefile import MergeRefused

    assert merge_bytes(b"a: 1\n", b"a: 1\n", b"a: 2\n", path="briefings/x.yaml").data == b"a: 2\n"
    with pytest.raises(MergeRefused):
        merge_bytes(b"a: 1\n", b"a: 3\n", b"a: 2\n", path="briefings/x.yaml")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git executable")
def test_team_init_sets_up_says_what_it_did_and_is_idempotent(tmp_path):
    repo = tmp_path / "repo"
    (repo / "corpus").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / "corpus" / ".gitignore").write_text("*.pdf")  # the user's own line, no newline at the end
    first = run("team", "init", "--corpus", repo / "corpus")
    assert first.exit_code == 0, first.output
    assert "done: merge attributes" in first.output and "done: set git config merge.briefing.driver" in first.output
    attributes = (repo / "corpus" / ".gitattributes").read_text()
    assert "annotations.yaml merge=briefing\nwatchlists.yaml merge=briefing\nbriefings/*.yaml merge=briefing\n" in attributes
    ignore = (repo / "corpus" / ".gitignore").read_text()
    assert ignore.startswith("*.pdf\n") and "/.annotations.yaml.lock\n" in ignore and "/annotations.yaml.bak\n" in ignore
    driver = git(repo, "config", "--get", "merge.briefing.driver").stdout.strip()
    assert driver == gitsetup.driver_command() and sys.executable in driver and "merge-file %O %A %B %P" in driver
    assert git(repo / "corpus", "check-attr", "merge", "annotations.yaml").stdout.strip().endswith("merge: briefing")
    # the lock and backup files a save leaves are ignored by git
    for name in (".annotations.yaml.lock", "annotations.yaml.bak", "annotations.yaml.v2.bak", ".annotations.yaml.1f2e.tmp"):
        (repo / "corpus" / name).write_text("x")
    assert git(repo, "status", "--porcelain", "--untracked-files=all").stdout.split() == ["??", "corpus/.gitattributes", "??", "corpus/.gitignore"]
    again = run("team", "init", "--corpus", repo / "corpus")
    assert again.exit_code == 0 and "done:" not in again.output and "already in place" in again.output
    assert (repo / "corpus" / ".gitattributes").read_text() == attributes and (repo / "corpus" / ".gitignore").read_text() == ignore


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git executable")
def test_team_init_puts_its_driver_back_in_effect_over_a_later_line(tmp_path):
    repo = tmp_path / "repo"
    (repo / "corpus").mkdir(parents=True)
    git(repo, "init", "-q")
    assert run("team", "init", "--corpus", repo / "corpus").exit_code == 0
    attributes = repo / "corpus" / ".gitattributes"
    attributes.write_text(attributes.read_text() + "annotations.yaml merge=union\n")  # a teammate's line after ours
    merge_of = lambda: git(repo / "corpus", "check-attr", "merge", "annotations.yaml").stdout.strip()  # noqa: E731
    assert merge_of().endswith("merge: union")
    again = run("team", "init", "--corpus", repo / "corpus")
    assert again.exit_code == 0, again.output
    assert "another setting was in effect (annotations.yaml merge=union)" in again.output
    assert merge_of().endswith("merge: briefing") and attributes.read_text().endswith("briefings/*.yaml merge=briefing\n")
    # one it cannot override from the corpus folder is named
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "attributes").write_text("annotations.yaml merge=union\n")
    kept = attributes.read_text()
    third = run("team", "init", "--corpus", repo / "corpus")
    assert "WARNING: git still merges annotations.yaml with merge=union" in third.output
    assert attributes.read_text() == kept  # its lines are last already: not added once more


def test_team_init_refuses_outside_a_git_work_tree(tmp_path):
    result = run("team", "init", "--corpus", tmp_path)
    assert result.exit_code == 2 and "not in a git work tree" in result.stderr
    assert not (tmp_path / ".gitattributes").exists()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git executable")
def test_the_driver_falls_back_to_briefing_on_the_path_when_the_interpreter_is_gone(tmp_path):
    command = gitsetup.driver_command(str(tmp_path / "moved-venv" / "bin" / "python"))
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "briefing").write_text("#!/bin/sh\necho fallback \"$@\"\n")
    (fake / "briefing").chmod(0o755)
    out = subprocess.run(["sh", "-c", command.replace("%O", "o").replace("%A", "a").replace("%B", "b").replace("%P", "p")],
                         capture_output=True, text=True, env={"PATH": f"{fake}:/usr/bin:/bin"}, check=False)
    assert out.stdout.strip() == "fallback merge-file o a b p"


def test_a_watchlists_file_merged_with_a_conflict_still_loads_keeps_it_and_says_it(tmp_path):
    from briefing.watchlists import WatchlistStore

    base, ours, theirs = (tmp_path / n for n in ("base.yaml", "watchlists.yaml", "theirs.yaml"))
    base.write_text('version: 1\nwatchlists:\n  "Grid":\n    query: "grid"\n', encoding="utf-8")
    ours.write_text('version: 1\nwatchlists:\n  "Grid":\n    query: "grid OR power"\n  "Gas":\n    query: "gas"\n', encoding="utf-8")
    theirs.write_text('version: 1\nwatchlists:\n  "Grid":\n    query: "grid -coal"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["merge-file", str(base), str(ours), str(theirs), "watchlists.yaml"])
    assert result.exit_code == 1  # a true conflict: git marks the file conflicted
    store = WatchlistStore(tmp_path)
    assert store.problems == [] and store.names() == ["Gas", "Grid"]
    assert store.get("Grid").query == "grid OR power"
    assert len(store.conflict_notes) == 1 and "'grid -coal'" in store.conflict_notes[0]
    store.add("Coal", "coal")  # a later save keeps the conflict for the analyst to settle
    again = WatchlistStore(tmp_path)
    assert again.names() == ["Coal", "Gas", "Grid"] and again.conflicts == store.conflicts
