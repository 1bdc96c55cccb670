"""Issue 22: a hostile corpus cannot make briefing write outside it, every file name
round-trips as an article id, a moved corpus is never recreated, a read-only file
stays untouched even for root, and two equal notes stay two notes.

The attack scripts of the issue are kept here as tests (symlink planting,
undecodable names, a read-only file as root: the suite runs as root)."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.annotations import AnnotationStore, ReadOnlyError, SaveError, yamlio
from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Note
from briefing.cli import main
from tests.annotations.conftest import make_meta

A = "a.txt"
UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\ud800-\udfff]")
BODY = "Headline here\n\nThe body has one sentence of text.\n"


def run(*args, input=None):
    return CliRunner().invoke(main, [os.fsdecode(a) if isinstance(a, bytes) else str(a) for a in args], input=input)


# --------------------------------------------------------------------------- item 1


@pytest.fixture
def outside(tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def test_a_dangling_planted_link_is_never_followed_or_created(corpus_dir, outside):
    """The attack: annotations.yaml -> ~/.bash_login (missing); opening an article
    used to create the login script with the article's name in it."""
    target = outside / ".bash_login"
    (corpus_dir / "annotations.yaml").symlink_to(target)
    (corpus_dir / "$(touch pwned).txt").write_text(BODY)
    store = AnnotationStore.open(corpus_dir, [make_meta("$(touch pwned).txt", root=corpus_dir)])
    assert store.read_only
    assert "symbolic link" in store.error and str(target) in store.error
    with pytest.raises(ReadOnlyError, match="symbolic link"):
        store.add_tags("$(touch pwned).txt", ["x"])
    with pytest.raises(ReadOnlyError):
        store.mark_read("$(touch pwned).txt")
    assert not target.exists() and os.listdir(outside) == []
    assert (corpus_dir / "annotations.yaml").is_symlink()


def test_a_link_inside_the_corpus_is_read_but_never_written(corpus_dir):
    kept = corpus_dir / "team" / "shared.yaml"
    kept.parent.mkdir()
    data = yamlio.dumps_bytes(AnnotationDoc({A: ArticleNotes(tags=("team",))}))
    kept.write_bytes(data)
    (corpus_dir / "annotations.yaml").symlink_to(kept)
    store = AnnotationStore.open(corpus_dir, [make_meta(A, root=corpus_dir)])
    assert store.get(A).tags == ("team",)  # read-only, with what it points to
    assert store.read_only and str(kept) in store.error
    with pytest.raises(ReadOnlyError):
        store.add_tags(A, ["mine"])
    assert kept.read_bytes() == data
    assert sorted(os.listdir(corpus_dir)) == ["annotations.yaml", "team"]


def test_a_link_leading_outside_the_corpus_is_not_even_read(corpus_dir, outside):
    """A planted link to a file of the analyst's (a login script): never read, never
    written, and the message names where it points, not what the file holds."""
    victim = outside / "profile"
    victim.write_bytes(b"export SECRET=1\nalias ls='ls -la'\n")
    (corpus_dir / "annotations.yaml").symlink_to(victim)
    store = AnnotationStore.open(corpus_dir, [make_meta(A, root=corpus_dir)])
    assert store.read_only and str(victim) in store.error and "outside the corpus" in store.error
    assert "line" not in store.error  # its contents were not parsed
    with pytest.raises(ReadOnlyError):
        store.add_tags(A, ["mine"])
    assert victim.read_bytes() == b"export SECRET=1\nalias ls='ls -la'\n"


def test_a_link_made_after_opening_is_refused_at_save(corpus_dir, outside):
    store = AnnotationStore.open(corpus_dir, [make_meta(A, root=corpus_dir)])
    store.add_tags(A, ["one"])
    target = outside / "victim"
    target.write_bytes(b"precious\n")
    os.unlink(corpus_dir / "annotations.yaml")
    (corpus_dir / "annotations.yaml").symlink_to(target)
    with pytest.raises(ReadOnlyError, match="symbolic link"):
        store.add_tags(A, ["two"])
    assert target.read_bytes() == b"precious\n"
    assert store.read_only


@pytest.mark.parametrize("planted", [".annotations.yaml.lock", "annotations.yaml.bak"])
def test_a_planted_lock_or_backup_link_is_never_written_through(corpus_dir, outside, planted):
    store = AnnotationStore.open(corpus_dir, [make_meta(A, root=corpus_dir)])
    store.add_tags(A, ["one"])  # a file exists: the next save makes a backup
    target = outside / "created-by-briefing"
    os.unlink(corpus_dir / planted) if os.path.lexists(corpus_dir / planted) else None
    (corpus_dir / planted).symlink_to(target)
    try:
        store.add_tags(A, ["two"])
    except (ReadOnlyError, SaveError) as exc:
        assert "symbolic link" in str(exc) and planted in str(exc)
    assert not os.path.lexists(target) and os.listdir(outside) == []


def test_the_lock_file_is_never_opened_with_create_through_a_link(corpus_dir, outside):
    (corpus_dir / ".annotations.yaml.lock").symlink_to(outside / "lock")
    store = AnnotationStore.open(corpus_dir, [make_meta(A, root=corpus_dir)])
    with pytest.raises(ReadOnlyError, match=r"\.annotations\.yaml\.lock"):
        store.add_tags(A, ["x"])
    assert os.listdir(outside) == []
    assert not (corpus_dir / "annotations.yaml").exists()


def test_cli_tag_on_a_planted_link_fails_naming_it_and_writes_nothing(corpus_dir, outside):
    (corpus_dir / A).write_text(BODY)
    target = outside / ".profile"
    (corpus_dir / "annotations.yaml").symlink_to(target)
    result = run("tag", A, "x", "--corpus", corpus_dir)
    assert result.exit_code != 0
    assert "symbolic link" in result.stderr and str(target) in result.stderr
    assert os.listdir(outside) == []


# --------------------------------------------------------------------------- item 2

# raw name on disk -> its canonical id (written out by hand: the escaped form)
ODD_NAMES = {
    "undecodable": b"latin1-\xe9.txt",
    "newline": b"two\nlines.txt",
    "c1": "next\u0085line.txt".encode(),
    "bidi": "evil\u202etxt.exe.txt".encode(),
    "backslash": b"back\\slash.txt",
    "c1-byte": b"raw\x85byte.txt",
}
ODD_IDS = {
    "undecodable": "latin1-\\xe9.txt",
    "newline": "two\\u000alines.txt",
    "c1": "next\\u0085line.txt",
    "bidi": "evil\\u202etxt.exe.txt",
    "backslash": "back\\\\slash.txt",
    "c1-byte": "raw\\x85byte.txt",
}


@pytest.fixture
def odd_corpus(corpus_dir):
    for raw in ODD_NAMES.values():
        with open(os.fsencode(corpus_dir) + b"/" + raw, "wb") as f:
            f.write(BODY.encode())
    return corpus_dir


def _list_json(corpus):
    result = run("list", "--corpus", corpus, "--json")
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("kind", list(ODD_NAMES))
@pytest.mark.parametrize("typed_as", ["raw", "escaped"])
def test_an_odd_file_name_typed_either_way_round_trips(odd_corpus, kind, typed_as):
    raw = ODD_NAMES[kind]
    canonical = ODD_IDS[kind]
    typed = os.fsdecode(raw) if typed_as == "raw" else canonical
    for args in (("tag", typed, "energy"), ("note", typed, "seen \u0085 twice"), ("flag", typed)):
        result = run(*args, "--corpus", odd_corpus)
        assert result.exit_code == 0, result.output
    # Every later command still works and sees it under the one canonical id.
    store = AnnotationStore.open(odd_corpus)
    assert not store.read_only, store.error
    assert list(store.document.articles) == [canonical]
    assert yamlio.load((odd_corpus / "annotations.yaml").read_bytes()).get(canonical).tags == ("energy",)
    rows = {row["id"]: row for row in json.loads(_list_json(odd_corpus))}
    assert set(rows) == set(ODD_IDS.values())
    row = rows[canonical]
    assert row["tags"] == ["energy"] and row["status"] == "flagged"
    assert row["notes"][0]["text"] == "seen \u0085 twice"  # exactly, not U+FFFD
    assert os.fsencode(row["path"]) == os.fsencode(odd_corpus) + b"/" + raw
    assert run("show", canonical, "--corpus", odd_corpus).exit_code == 0


def test_ids_of_odd_names_are_distinct_printable_and_name_their_file(odd_corpus):
    from briefing import ids

    seen = set()
    for kind, raw in ODD_NAMES.items():
        i = ids.article_id(raw)
        assert i == ODD_IDS[kind]
        assert i.isprintable() and not UNSAFE.search(i) and i.encode("utf-8")
        assert os.fsencode(ids.relpath_of(i)) == raw
        seen.add(i)
    assert len(seen) == len(ODD_NAMES)
    assert ids.article_id(b"raw\x85byte.txt") != ids.article_id("raw\u0085byte.txt".encode())


_NAME_BYTES = st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\0" not in b)


@settings(max_examples=150, deadline=None)
@given(st.lists(_NAME_BYTES, min_size=1, max_size=3))
def test_every_byte_path_has_one_id_that_reads_back(parts):
    from briefing import ids

    raw = b"/".join(parts)
    i = ids.article_id(raw)
    assert os.fsencode(ids.relpath_of(i)) == raw
    assert ids.is_canonical(i) and i in ids.typed_candidates(i)
    assert not UNSAFE.search(i) and i.encode("utf-8")
    doc = AnnotationDoc({i: ArticleNotes(tags=("t",))})
    assert yamlio.load(yamlio.dumps_bytes(doc)) == doc


def test_an_id_holding_raw_bytes_is_refused_and_nothing_is_written(corpus_dir):
    store = AnnotationStore.open(corpus_dir)
    store.add_tags(A, ["ok"])
    before = (corpus_dir / "annotations.yaml").read_bytes()
    with pytest.raises(ValueError, match="article id"):
        store.add_tags("latin1-\udce9.txt", ["x"])
    assert (corpus_dir / "annotations.yaml").read_bytes() == before
    assert not AnnotationStore.open(corpus_dir).read_only


def test_a_save_that_would_not_read_back_is_refused(corpus_dir, monkeypatch):
    store = AnnotationStore.open(corpus_dir)
    store.add_tags(A, ["ok"])
    before = (corpus_dir / "annotations.yaml").read_bytes()
    real = yamlio.quote
    monkeypatch.setattr(yamlio, "quote", lambda text: real(text).replace("broken", "brokem"))
    with pytest.raises(SaveError, match="read back"):
        store.add_tags(A, ["broken"])
    assert (corpus_dir / "annotations.yaml").read_bytes() == before
    assert store.get(A).tags == ("ok",)


def test_undecodable_names_through_a_real_command_line(odd_corpus, tmp_path):
    """The attack as run: bytes on argv, a fresh interpreter, then `list --json`."""
    env = {**os.environ, "BRIEFING_CONFIG_DIR": str(tmp_path / "_config"), "BRIEFING_DATA_DIR": str(tmp_path / "_data"),
           "BRIEFING_CACHE_DIR": str(tmp_path / "_cache"), "PYTHONPATH": os.getcwd()}
    raw = ODD_NAMES["undecodable"]
    cmd = [sys.executable, "-m", "briefing", "tag", raw, "energy", "--corpus", os.fsencode(odd_corpus)]
    done = subprocess.run(cmd, env=env, capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, "-m", "briefing", "list", "--json", "--corpus", str(odd_corpus)],
                          env=env, capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    rows = {row["id"]: row for row in json.loads(done.stdout)}
    assert rows["latin1-\\xe9.txt"]["tags"] == ["energy"]
    assert not any(0x80 <= b <= 0x9f or b < 0x20 and b != 0x0A for b in done.stdout)  # nothing raw


# --------------------------------------------------------------------------- item 15


def test_list_json_escapes_controls_and_bidi_and_round_trips(odd_corpus):
    canonical = ODD_IDS["bidi"]
    title = "Title \u202e reversed \x85 next"
    assert run("note", canonical, "a\u0085b \u202e c", "--corpus", odd_corpus).exit_code == 0
    AnnotationStore.open(odd_corpus).set_title(canonical, title)
    text = _list_json(odd_corpus)
    assert "\u202e" not in text and "\x85" not in text and "\\u202e" in text and "\\u0085" in text
    row = {r["id"]: r for r in json.loads(text)}[canonical]
    assert row["notes"][0]["text"] == "a\u0085b \u202e c"
    assert row["title"] == title and row["title_overridden"]


# --------------------------------------------------------------------------- item 9


def test_a_corpus_moved_while_open_is_not_recreated(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / A).write_text(BODY)
    store = AnnotationStore.open(corpus, [make_meta(A, root=corpus)])
    store.add_tags(A, ["before"])
    assert store.folder_problem() is None
    from briefing.annotations import (
        CorpusGoneError,  # the error class the reader can catch
    )
    moved = tmp_path / "moved"
    os.rename(corpus, moved)
    assert "moved, deleted or replaced" in store.folder_problem() and str(corpus) in store.folder_problem()
    with pytest.raises(SaveError, match="moved, deleted or replaced"):
        store.add_tags(A, ["after"])
    with pytest.raises(CorpusGoneError):
        store.add_tags(A, ["after"])
    assert not corpus.exists()
    assert yamlio.load((moved / "annotations.yaml").read_bytes()).get(A).tags == ("before",)
    store.mark_read_later(A)
    with pytest.raises(SaveError, match="moved, deleted or replaced"):
        store.flush_reads()
    assert store.unsaved_reads == {A}  # kept in memory, never lost silently


def test_a_corpus_deleted_or_replaced_while_open_is_not_written(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    store = AnnotationStore.open(corpus)
    store.add_tags(A, ["x"])
    shutil.rmtree(corpus)
    with pytest.raises(SaveError, match="moved, deleted or replaced"):
        store.add_tags(A, ["y"])
    assert not corpus.exists()
    corpus.mkdir()  # another folder by the same name
    with pytest.raises(SaveError, match="moved, deleted or replaced"):
        store.add_tags(A, ["z"])
    assert os.listdir(corpus) == []


# --------------------------------------------------------------------------- item 16


def test_a_read_only_file_is_not_overwritten_even_by_root(corpus_dir):
    (corpus_dir / A).write_text(BODY)
    store = AnnotationStore.open(corpus_dir)
    store.add_tags(A, ["kept"])
    path = corpus_dir / "annotations.yaml"
    path.chmod(0o444)
    data = path.read_bytes()
    reopened = AnnotationStore.open(corpus_dir)
    assert reopened.read_only and "read-only" in reopened.error and str(path) in reopened.error
    assert reopened.get(A).tags == ("kept",)
    with pytest.raises(ReadOnlyError):
        reopened.add_tags(A, ["no"])
    with pytest.raises(ReadOnlyError):  # made read-only after this store opened it
        store.add_tags(A, ["no"])
    assert path.read_bytes() == data and stat.S_IMODE(path.stat().st_mode) == 0o444
    result = run("tag", A, "no", "--corpus", corpus_dir)
    assert result.exit_code != 0 and "read-only" in result.stderr
    assert path.read_bytes() == data


# --------------------------------------------------------------------------- item 14


def test_the_same_note_twice_in_one_second_stays_two_notes(corpus_dir, monkeypatch):
    monkeypatch.setattr(yamlio, "utc_now", lambda: "2026-01-01T10:00:00Z")
    store = AnnotationStore.open(corpus_dir)
    store.author = "Ann"
    store.add_note(A, "same text")
    store.add_note(A, "same text")
    assert [n.text for n in store.get(A).notes] == ["same text", "same text"]
    assert AnnotationStore.open(corpus_dir).get(A).notes == (
        Note("same text", "2026-01-01T10:00:00Z", "Ann"),
        Note("same text", "2026-01-01T10:00:01Z", "Ann"),
    )


def test_the_same_note_twice_from_the_command_line_stays_two_notes(corpus_dir, monkeypatch):
    monkeypatch.setattr(yamlio, "utc_now", lambda: "2026-01-01T10:00:00Z")
    (corpus_dir / A).write_text(BODY)
    for _ in range(2):
        assert run("note", A, "again", "--corpus", corpus_dir).exit_code == 0
    assert len(AnnotationStore.open(corpus_dir).get(A).notes) == 2


def test_a_corpus_folder_swapped_for_a_link_is_not_written_through(tmp_path, outside):
    """The parent check: the corpus path now leads elsewhere (a link planted in its place)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    store = AnnotationStore.open(corpus)
    store.add_tags(A, ["x"])
    os.rename(corpus, tmp_path / "elsewhere")
    corpus.symlink_to(outside)
    with pytest.raises(SaveError, match="moved, deleted or replaced"):
        store.add_tags(A, ["y"])
    assert os.listdir(outside) == []


def test_a_planted_link_with_the_temp_file_name_is_never_followed(corpus_dir, outside, monkeypatch):
    """Temp names are random and created with O_EXCL|O_NOFOLLOW; a link planted under
    the very name chosen is cleared as a stale temp (the link, not its target) and
    never followed. (Held on main too: mkstemp uses O_EXCL; kept as a guard.)"""
    import secrets

    monkeypatch.setattr(secrets, "token_hex", lambda n=None: "feedfacecafe")
    planted = corpus_dir / ".annotations.yaml.feedfacecafe.tmp"
    planted.symlink_to(outside / "via-temp")
    store = AnnotationStore.open(corpus_dir)
    store.add_tags(A, ["x"])
    assert os.listdir(outside) == [] and not planted.is_symlink()
    assert AnnotationStore.open(corpus_dir).get(A).tags == ("x",)
    # written directly (no stale-temp sweep first), the O_EXCL create refuses it
    from briefing.durable import StoreFolder

    planted.symlink_to(outside / "via-temp")
    with pytest.raises(FileExistsError):
        StoreFolder(corpus_dir).replace("annotations.yaml", b"x")
    assert os.listdir(outside) == []


def test_list_json_ids_are_the_same_through_the_index(odd_corpus):
    assert run("index", "--corpus", odd_corpus).exit_code == 0
    indexed_rows = json.loads(_list_json(odd_corpus))  # `list` reads the index when there is one
    assert sorted(r["id"] for r in indexed_rows) == sorted(ODD_IDS.values())
    result = run("list", "--corpus", odd_corpus, "--json", "--search", "sentence")
    assert result.exit_code == 0, result.output
    assert sorted(r["id"] for r in json.loads(result.stdout)) == sorted(ODD_IDS.values())


def test_a_renamed_file_is_told_from_an_odd_named_one_still_there(odd_corpus):
    """Renames are followed only when the old file is gone; an odd name's canonical
    id must name its file for that check (it used to be looked up as typed)."""
    from briefing.annotations.store import _exists

    for kind in ODD_NAMES:
        assert _exists(odd_corpus, ODD_IDS[kind]), kind
    assert not _exists(odd_corpus, "latin1-\\xe8.txt")


def test_briefings_own_data_folder_is_made_again_if_removed(tmp_path):
    """Unlike a corpus, the data folder (annotations of a read-only corpus) is ours."""
    from briefing.resources import sample_corpus

    store = AnnotationStore.open(sample_corpus())
    first = min(os.listdir(sample_corpus()))
    store.add_tags(first, ["one"])
    shutil.rmtree(store.path.parent)
    store.add_tags(first, ["two"])
    assert AnnotationStore.open(sample_corpus()).get(first).tags == ("one", "two")


def test_summarize_json_gives_the_canonical_id_and_nothing_raw(odd_corpus):
    for kind in ("bidi", "c1", "undecodable"):
        result = run("summarize", os.fsdecode(ODD_NAMES[kind]), "--json", "--corpus", odd_corpus)
        assert result.exit_code == 0, result.output
        assert not UNSAFE.search(result.stdout.replace("\n", ""))
        assert json.loads(result.stdout)["id"] == ODD_IDS[kind]


def test_keywords_take_an_odd_name_typed_raw_or_escaped(odd_corpus):
    for typed in (os.fsdecode(ODD_NAMES["undecodable"]), ODD_IDS["undecodable"]):
        result = run("keywords", typed, "--json", "--corpus", odd_corpus)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["id"] == ODD_IDS["undecodable"]


def test_git_conflict_markers_are_named_with_the_way_to_merge_again(corpus_dir):
    # A merge made without briefing's merge driver leaves git's markers in the file:
    # the message says what they are, at their line, and how to merge again (not the
    # backup, which holds neither side's latest changes).
    store = AnnotationStore.open(corpus_dir)
    store.add_tags("a.txt", ["ours"])
    path = corpus_dir / "annotations.yaml"
    text = path.read_text(encoding="utf-8")
    head, entry = text.split('  "a.txt":\n', 1)
    marked = head + '<<<<<<< HEAD\n  "a.txt":\n' + entry.replace("version:", '=======\n  "a.txt":\n    tags:\n      - "theirs"\n>>>>>>> origin/main\nversion:')
    path.write_text(marked, encoding="utf-8")
    line = marked.splitlines().index("<<<<<<< HEAD") + 1
    reopened = AnnotationStore.open(corpus_dir)
    assert reopened.read_only and reopened.unreadable
    assert f"line {line}: git conflict markers" in reopened.error
    assert "briefing team init" in reopened.error and "git checkout -m annotations.yaml" in reopened.error
    assert "last good version" not in reopened.error
    assert path.read_text(encoding="utf-8") == marked


def test_a_broken_file_read_again_unchanged_is_not_read_again(corpus_dir, monkeypatch):
    # A watcher's echo or a touch of the same broken bytes: nothing new to say; once
    # the bytes change (fixed), the file is read again.
    from briefing.annotations import disk

    path = corpus_dir / "annotations.yaml"
    path.write_text("articles: [unclosed\n", encoding="utf-8")
    store = AnnotationStore.open(corpus_dir)
    assert store.read_only
    reads = []
    real = disk.reopen
    monkeypatch.setattr(disk, "reopen", lambda s: reads.append(1) or real(s))
    path.write_text("articles: [unclosed\n", encoding="utf-8")  # the same bytes, a new mtime
    assert store.reload() == [] and reads == [] and store.read_only
    path.write_bytes(yamlio.dumps_bytes(AnnotationDoc({"a.txt": ArticleNotes(tags=("fixed",))})))
    assert store.reload() and reads == [1] and not store.read_only
    assert store.get("a.txt").tags == ("fixed",)
