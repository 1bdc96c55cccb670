"""The store: saves, merges, refuses bad files, follows renames, undoes."""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import replace

import pytest

from briefing.annotations import (
    AnnotationStore,
    ArticleNotes,
    ReadOnlyError,
    UnknownArticle,
    locate,
    open_store,
    yamlio,
)
from briefing.annotations.schema import Note
from briefing.resources import sample_corpus

from .conftest import make_meta
from .test_yamlio import HOSTILE

A, B, C = "a.txt", "b.txt", "sub/c.md"


@pytest.fixture
def metas(corpus_dir):
    return [make_meta(A, root=corpus_dir), make_meta(B, root=corpus_dir), make_meta(C, tags=("fm",), root=corpus_dir)]


def _open(corpus_dir, metas=None) -> AnnotationStore:
    return AnnotationStore.open(corpus_dir, metas)


def test_missing_file_means_no_annotations_and_nothing_is_written(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    assert not store.read_only and store.error is None
    assert store.get(A) == ArticleNotes()
    assert store.location.in_corpus and store.path == corpus_dir / "annotations.yaml"
    assert not store.path.exists()


def test_every_mutation_is_saved_at_once(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    store.author = "Ann Analyst"
    store.add_tags(A, ["energy", "no"])
    store.add_note(A, "first\nsecond", at="2024-01-01T00:00:00Z")
    store.set_title(A, " Better title ")
    store.set_date(A, "2022-12-16")
    store.set_read(B, True)
    store.toggle_flag(C)
    store.add_highlight(A, "a quote", "why")
    on_disk = yamlio.load(store.path.read_bytes())
    assert on_disk == store.document
    a = on_disk.get(A)
    assert a.tags == ("energy", "no")
    assert a.notes == (Note("first\nsecond", "2024-01-01T00:00:00Z", "Ann Analyst"),)
    assert [(h.quote, h.by) for h in a.highlights] == [("a quote", "Ann Analyst")]
    assert {(s.field, s.by) for s in a.changed} == {("title", "Ann Analyst"), ("date", "Ann Analyst")}
    assert on_disk.get(C).stamp("status").by == "Ann Analyst"
    assert a.title == " Better title "
    assert a.date == dt.date(2022, 12, 16)
    assert a.fingerprint == metas[0].fingerprint
    assert on_disk.get(B).status == "read" and on_disk.get(C).status == "flagged"
    assert _open(corpus_dir, metas).document == store.document


def test_a_change_reports_before_and_after_and_a_no_op_writes_nothing(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    change = store.add_tags(A, ["x"])
    assert change.changed and change.before[A].tags == () and change.after[A].tags == ("x",)
    before = store.path.read_bytes()
    os.utime(store.path, (0, 0))
    again = store.add_tags(A, ["x"])
    assert not again.changed
    assert store.path.read_bytes() == before and store.path.stat().st_mtime == 0


def test_notes_edit_and_delete(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    store.add_note(A, "one", at="2024-01-01T00:00:00Z")
    store.add_note(A, "two", at="2024-01-02T00:00:00Z")
    store.edit_note(A, 0, "one, revised")
    assert [n.text for n in store.get(A).notes] == ["one, revised", "two"]
    assert store.get(A).notes[0].at == "2024-01-01T00:00:00Z"
    store.delete_note(A, 1)
    assert [n.text for n in _open(corpus_dir).get(A).notes] == ["one, revised"]
    with pytest.raises(IndexError):
        store.edit_note(A, 5, "x")
    with pytest.raises(ValueError):
        store.add_note(A, "   ")


def _state(store, i):
    a = store.get(i)
    return (a.read, a.flagged)


def test_status_toggles(corpus_dir, metas):
    # Format version 2: read and flagged are independent (the version 1 test pinned
    # "unflag means read" and "unread drops the flag"; both deliberately changed).
    store = _open(corpus_dir, metas)
    store.toggle_read(A)
    assert _state(store, A) == (True, False)
    store.toggle_flag(A)
    assert _state(store, A) == (True, True)
    store.toggle_flag(A)
    assert _state(store, A) == (True, False)
    store.toggle_flag([A, B])
    assert _state(store, A) == (True, True) and _state(store, B) == (False, True)
    store.toggle_read(A)
    assert _state(store, A) == (False, True)  # u keeps the flag


def test_marking_several_read_keeps_a_flag_among_them(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    store.toggle_flag(A)
    change = store.toggle_read([A, B])  # some unread: all become read
    assert (_state(store, A), _state(store, B)) == ((True, True), (True, False))
    assert change.action == "mark read"
    assert _state(_open(corpus_dir), A) == (True, True)  # as saved
    store.toggle_read([A, B])  # none unread now: all unread, the flag stays
    assert (_state(store, A), _state(store, B)) == ((False, True), (False, False))


def test_mark_read_keeps_flags_and_views_work_by_id(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    store.toggle_flag(B)
    change = store.mark_read([A, B])
    assert _state(store, A) == (True, False) and _state(store, B) == (True, True)
    assert change.after[B] == replace(change.before[B], read=True)
    assert store.view(C).tags == ("fm",) and store.view(B).flagged
    with pytest.raises(UnknownArticle):
        store.view("nope.txt")


def test_unknown_article_and_bad_input_are_refused(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    with pytest.raises(UnknownArticle, match="nope.txt"):
        store.add_tags("nope.txt", ["x"])
    with pytest.raises(ValueError, match="date"):
        store.set_date(A, "16/12/2022")
    with pytest.raises(ValueError, match="empty"):
        store.add_tags(A, [" "])
    assert not store.path.exists()


def test_undo_reverts_the_last_change_on_disk(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    store.add_tags(A, ["keep"])
    store.add_tags(A, ["oops"])
    change = store.undo()
    assert change is not None and change.action == "undo add tags"
    assert _open(corpus_dir).get(A).tags == ("keep",)
    store.undo()
    assert _open(corpus_dir).get(A).tags == ()
    assert store.undo() is None and not store.can_undo()


def test_undo_keeps_what_others_changed_meanwhile(corpus_dir, metas):
    mine, other = _open(corpus_dir, metas), _open(corpus_dir, metas)
    mine.set_title(A, "mine")
    other.reload()
    other.add_tags(A, ["theirs"])
    mine.undo()
    final = _open(corpus_dir).get(A)
    assert final.title is None and final.tags == ("theirs",)


def test_batch_is_one_save_and_one_undo_step(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    store.add_tags(A, ["first"])
    saved = store.path.read_bytes()
    with store.batch():
        store.add_tags([A, B], ["bulk"])
        store.set_flagged([A, B], True)
        assert store.path.read_bytes() == saved  # nothing written yet
    disk = _open(corpus_dir)
    assert disk.get(B).tags == ("bulk",) and disk.get(A).flagged
    assert store.backup_path.read_bytes() == saved  # exactly one save replaced it
    store.undo()
    disk = _open(corpus_dir)
    assert disk.get(A).tags == ("first",) and disk.get(B) == ArticleNotes()


def test_an_exception_inside_a_batch_discards_it(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    with pytest.raises(RuntimeError):
        with store.batch():
            store.add_tags(A, ["x"])
            raise RuntimeError("stop")
    assert store.get(A) == ArticleNotes() and not store.path.exists()


def test_external_edit_between_load_and_save_is_merged(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    store.add_tags(A, ["mine-1"])
    # A text editor adds a tag by hand, keeping the same size and mtime (not trusted).
    original = store.path.read_bytes()
    st_before = store.path.stat()
    edited = original.replace(b'      - "mine-1"\n', b'      - "ed-01"\n      - "mine-1"\n').replace(b"# Written by", b"# Writtenby")
    edited = edited.replace(b"# briefing annotations", b"# briefing annotation")
    store.path.write_bytes(edited)
    os.utime(store.path, ns=(st_before.st_atime_ns, st_before.st_mtime_ns))
    change = store.add_tags(A, ["mine-2"])
    assert any("merged" in m for m in change.messages)
    assert _open(corpus_dir).get(A).tags == ("ed-01", "mine-1", "mine-2")


def test_two_stores_keep_each_others_tags_and_notes(corpus_dir, metas):
    one, two = _open(corpus_dir, metas), _open(corpus_dir, metas)
    one.add_tags(A, ["one"])
    two.add_tags(A, ["two"])
    one.add_note(A, "from one", at="2024-01-01T00:00:00Z")
    two.add_note(A, "from two", at="2024-01-01T00:00:00Z")
    final = _open(corpus_dir).get(A)
    assert final.tags == ("one", "two")
    assert {n.text for n in final.notes} == {"from one", "from two"}


def test_true_conflict_keeps_both_values(corpus_dir, metas):
    one, two = _open(corpus_dir, metas), _open(corpus_dir, metas)
    two.set_title(A, "Title from two")
    change = one.set_title(A, "Title from one")
    assert [c.field for c in change.conflicts] == ["title"]
    assert any("Title from two" in m and "conflicts" in m for m in change.messages)
    final = _open(corpus_dir).get(A)
    assert final.title == "Title from one"
    assert [(c.field, c.kept, c.other) for c in final.conflicts] == [("title", "Title from one", "Title from two")]
    text = one.path.read_text()
    assert "Title from one" in text and "Title from two" in text
    one.dismiss_conflict(A)
    assert _open(corpus_dir).get(A).conflicts == ()


def test_reload_takes_in_changes_from_elsewhere(corpus_dir, metas):
    one, two = _open(corpus_dir, metas), _open(corpus_dir, metas)
    two.add_tags(B, ["fresh"])
    assert one.get(B).tags == ()
    assert one.reload()
    assert one.get(B).tags == ("fresh",)
    assert one.reload() == []


def test_a_deleted_file_is_written_again_whole(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    store.add_tags(A, ["x"])
    store.path.unlink()
    change = store.add_tags(B, ["y"])
    assert any("removed" in m for m in change.messages)
    disk = _open(corpus_dir)
    assert disk.get(A).tags == ("x",) and disk.get(B).tags == ("y",)


def test_backup_holds_the_version_the_last_save_replaced(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    store.add_tags(A, ["1"])
    first = store.path.read_bytes()
    store.add_tags(A, ["2"])
    assert store.backup_path.read_bytes() == first
    assert yamlio.load(store.backup_path.read_bytes()).get(A).tags == ("1",)


def test_saves_keep_the_file_mode_and_leave_no_temp_files(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    store.add_tags(A, ["x"])
    os.chmod(store.path, 0o640)
    (corpus_dir / ".annotations.yaml.123.tmp").write_text("left by a killed save")
    store.add_tags(A, ["y"])
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o640
    leftovers = [p.name for p in corpus_dir.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_bad_file_opens_read_only_and_is_left_untouched(corpus_dir, metas, name):
    data, line = HOSTILE[name]
    path = corpus_dir / "annotations.yaml"
    path.write_bytes(data)
    store = _open(corpus_dir, metas)
    assert store.read_only
    assert str(path) in store.error and f"line {line}" in store.error
    with pytest.raises(ReadOnlyError, match="line"):
        store.add_tags(A, ["x"])
    with pytest.raises(ReadOnlyError):
        store.set_read(A, True)
    assert store.reconcile(metas).moved == ()
    assert path.read_bytes() == data
    assert sorted(p.name for p in corpus_dir.iterdir()) == ["annotations.yaml"]


def test_an_empty_file_is_not_taken_for_no_annotations(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    store.add_tags(A, ["precious"])
    store.add_tags(A, ["more"])
    store.path.write_bytes(b"")
    reopened = _open(corpus_dir, metas)
    assert reopened.read_only
    assert "empty" in reopened.error and str(reopened.backup_path) in reopened.error
    assert store.path.read_bytes() == b""
    assert "precious" in yamlio.load(reopened.backup_path.read_bytes()).get(A).tags


def test_a_file_broken_between_load_and_save_is_not_overwritten(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    store.add_tags(A, ["x"])
    broken = store.path.read_bytes()[:-40]
    store.path.write_bytes(broken)
    with pytest.raises(ReadOnlyError, match="line"):
        store.add_tags(A, ["y"])
    assert store.read_only and store.path.read_bytes() == broken
    assert store.get(A).tags == ("x",)


def test_a_fixed_file_makes_a_read_only_store_writable_again(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    store.add_tags(A, ["x"])
    good = store.path.read_bytes()
    store.path.write_bytes(b"version: 1\narticles: [oops\n")
    messages = store.reload()
    assert store.read_only and "line 3" in store.error and messages == [store.error]
    assert store.reload() == []  # still broken: stays read-only
    store.path.write_bytes(good.replace(b'"x"', b'"fixed-by-hand"'))
    assert store.reload() and not store.read_only
    store.add_tags(A, ["y"])
    assert _open(corpus_dir).get(A).tags == ("fixed-by-hand", "y")


def test_the_sample_corpus_is_never_written(monkeypatch, tmp_path):
    seeds = sample_corpus()
    before = sorted(os.listdir(seeds))
    store, _ = open_store(seeds, [make_meta(name) for name in before])
    assert not store.location.in_corpus
    assert store.path.parent.parent == tmp_path / "_data" / "annotations"
    assert "sample corpus" in store.location.message and str(store.path) in store.location.message
    store.add_tags(before[0], ["seen"])
    assert sorted(os.listdir(seeds)) == before
    assert (store.path.parent / "corpus.txt").read_text().strip() == str(seeds.resolve())
    assert AnnotationStore.open(seeds).get(before[0]).tags == ("seen",)


def test_an_unwritable_corpus_keeps_annotations_in_the_data_dir(tmp_path, monkeypatch):
    """The store runs in a forked child that drops to an unprivileged user when the
    tests run as root (root may write anywhere, so chmod alone proves nothing)."""
    import shutil
    import tempfile

    base = tempfile.mkdtemp(prefix="briefing-ro-")
    corpus, data = os.path.join(base, "corpus"), os.path.join(base, "data")
    try:
        os.chmod(base, 0o755)
        os.mkdir(corpus)
        os.mkdir(data)
        os.chmod(data, 0o777)
        team = yamlio.dumps_bytes(yamlio.AnnotationDoc({"a.txt": ArticleNotes(tags=("team",))}))
        with open(os.path.join(corpus, "annotations.yaml"), "wb") as f:
            f.write(team)
        os.chmod(corpus, 0o555)
        monkeypatch.setenv("BRIEFING_DATA_DIR", data)
        import encodings.utf_8_sig  # noqa: F401  (the child, as nobody, cannot read the stdlib's folder under /root)

        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            status = 1
            try:
                os.close(read_fd)
                if os.geteuid() == 0:
                    os.setgid(65534)
                    os.setuid(65534)
                store = AnnotationStore.open(corpus)
                assert store.error is None, store.error
                store.add_tags("a.txt", ["mine"])
                os.write(write_fd, f"{store.path}\n{store.location.message}\n".encode())
                status = 0
            except BaseException as exc:  # report, never return into pytest
                os.write(write_fd, f"ERROR {exc!r}\n".encode())
            finally:
                os._exit(status)
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            output = pipe.read()
        _, code = os.waitpid(pid, 0)
        assert code == 0, output
        saved, message = output.splitlines()
        assert saved.startswith(os.path.join(data, "annotations")) and saved.endswith("annotations.yaml")
        assert "not writable" in message and "starting from" in message
        assert yamlio.load(open(saved, "rb").read()).get("a.txt").tags == ("mine", "team")
        assert sorted(os.listdir(corpus)) == ["annotations.yaml"]
        assert open(os.path.join(corpus, "annotations.yaml"), "rb").read() == team
    finally:
        os.chmod(corpus, 0o755)
        shutil.rmtree(base)


def test_location_is_stable_per_folder(tmp_path):
    a = locate(sample_corpus())
    b = locate(str(sample_corpus()) + "/")
    assert a.path == b.path and not a.in_corpus


def test_fingerprint_change_is_detected(corpus_dir):
    old = make_meta(A, body="original text", root=corpus_dir)
    store = _open(corpus_dir, [old])
    store.add_tags(A, ["x"])
    new = make_meta(A, body="edited text", root=corpus_dir)
    assert not store.changed_since_annotated(A, old.fingerprint)
    assert store.changed_since_annotated(A, new.fingerprint)
    assert store.view(new).text_changed and not store.view(old).text_changed
    assert not store.changed_since_annotated(B, new.fingerprint)  # never annotated


def test_annotations_follow_a_renamed_file(corpus_dir):
    before = [make_meta("old.txt", body="same body", root=corpus_dir), make_meta(B, root=corpus_dir)]
    store = _open(corpus_dir, before)
    store.add_tags("old.txt", ["kept"])
    after = [make_meta("new/name.txt", body="same body", root=corpus_dir), make_meta(B, root=corpus_dir)]
    reopened, report = open_store(corpus_dir, after)
    assert report.moved == (("old.txt", "new/name.txt"),)
    assert "old.txt" in report.messages()[0] and "new/name.txt" in report.messages()[0]
    assert reopened.get("new/name.txt").tags == ("kept",)
    assert "old.txt" not in _open(corpus_dir).document.articles


def test_a_file_still_on_disk_is_not_taken_for_renamed(corpus_dir):
    """A duplicate of an article whose file failed to load must not steal its notes."""
    (corpus_dir / "old.txt").write_text("still here")
    store = _open(corpus_dir, [make_meta("old.txt", body="same body", root=corpus_dir)])
    store.add_tags("old.txt", ["kept"])
    _, report = open_store(corpus_dir, [make_meta("copy.txt", body="same body", root=corpus_dir)])
    assert report.moved == () and report.orphans == ("old.txt",)


def test_ambiguous_renames_do_not_move(corpus_dir):
    store = _open(corpus_dir, [make_meta("old.txt", body="dup", root=corpus_dir)])
    store.add_tags("old.txt", ["kept"])
    twins = [make_meta("x.txt", body="dup", root=corpus_dir), make_meta("y.txt", body="dup", root=corpus_dir)]
    reopened, report = open_store(corpus_dir, twins)
    assert report.moved == () and report.orphans == ("old.txt",)
    assert reopened.get("old.txt").tags == ("kept",)


def test_a_rename_onto_an_annotated_article_does_not_move(corpus_dir):
    store = _open(corpus_dir, [make_meta("old.txt", body="same", root=corpus_dir), make_meta("new.txt", body="other", root=corpus_dir)])
    store.add_tags("old.txt", ["a"])
    store.add_tags("new.txt", ["b"])
    _, report = open_store(corpus_dir, [make_meta("new.txt", body="same", root=corpus_dir)])
    assert report.moved == ()
    disk = _open(corpus_dir)
    assert disk.get("old.txt").tags == ("a",) and disk.get("new.txt").tags == ("b",)


def test_front_matter_tags_show_and_stay(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    c = metas[2]
    store.add_tags(C, ["mine"])
    assert store.view(c).tags == ("fm", "mine") and store.view(c).file_tags == ("fm",)
    change = store.remove_tags(C, ["fm", "mine"])
    assert any("front matter" in m for m in change.messages)
    assert store.view(c).tags == ("fm",)
    assert store.all_tags() == ["fm"]
    store.add_tags(A, ["Energy", "alpha"])
    assert store.tag_counts() == {"alpha": 1, "Energy": 1, "fm": 1}


def test_view_applies_overrides_and_cleans_for_display(corpus_dir, metas):
    store = _open(corpus_dir, metas)
    store.set_title(A, "evil \x1b]0;pwned\x07 title")
    store.set_date(A, dt.date(2022, 1, 2))
    view = store.view(metas[0])
    assert view.title_overridden and "\x1b" not in view.title and "\x07" not in view.title
    assert store.get(A).title == "evil \x1b]0;pwned\x07 title"  # raw value kept exactly
    assert view.date == dt.date(2022, 1, 2) and view.date_overridden and view.annotated
    store.set_title(A, "")
    assert store.view(metas[0]).title == metas[0].title


def test_mark_read_can_stay_off_the_undo_list(corpus_dir, metas):
    store, _ = open_store(corpus_dir, metas)
    store.add_tags(A, ["energy"])
    store.mark_read(B, undoable=False)  # the reader opening an article
    assert store.status(B) == "read"
    change = store.undo()
    assert change is not None and change.action == "undo add tags"
    assert store.get(A).tags == () and store.status(B) == "read"


def test_mark_read_keeps_the_recorded_fingerprint_so_a_changed_text_is_still_flagged(corpus_dir, metas):
    store, _ = open_store(corpus_dir, metas)
    store.add_note(A, "seen")
    changed = [replace(m, fingerprint="sha256:" + "f" * 64) if m.id == A else m for m in metas]
    store, _ = open_store(corpus_dir, changed)  # the file changed since
    assert store.view(A).text_changed
    store.mark_read(A, undoable=False)  # the reader opens it
    assert store.status(A) == "read" and store.view(A).text_changed
    store.toggle_flag(A)  # a flag or a tag is no review of the notes made on the old text
    store.add_tags(A, ["later"])
    assert store.view(A).text_changed
    store.add_note(A, "checked against the new text")  # the notes touched: the text is taken as reviewed
    assert not store.view(A).text_changed


def test_an_entry_without_notes_or_highlights_takes_the_new_text_with_any_change(corpus_dir, metas):
    store, _ = open_store(corpus_dir, metas)
    store.add_tags(A, ["energy"])
    changed = [replace(m, fingerprint="sha256:" + "f" * 64) if m.id == A else m for m in metas]
    store, _ = open_store(corpus_dir, changed)
    assert store.view(A).text_changed
    store.add_tags(A, ["more"])  # nothing was made on the old text: nothing to check
    assert not store.view(A).text_changed


def _on_disk(corpus_dir) -> dict:
    path = corpus_dir / "annotations.yaml"
    return yamlio.load(path.read_bytes()).articles if path.exists() else {}


def test_mark_read_later_writes_nothing_until_flushed(corpus_dir, metas):
    store, _ = open_store(corpus_dir, metas)
    store.toggle_flag(B)
    on_disk = (corpus_dir / "annotations.yaml").read_bytes()
    store.mark_read_later(A)
    store.mark_read_later([B, C])
    assert (corpus_dir / "annotations.yaml").read_bytes() == on_disk  # nothing written yet
    assert _state(store, A) == _state(store, C) == (True, False) and _state(store, B) == (True, True)  # in memory at once
    assert store.unsaved_reads == {A, B, C}  # flagged B was unread: it is read now, still flagged
    change = store.flush_reads()
    assert change is not None and set(change.article_ids) == {A, B, C}
    assert store.unsaved_reads == frozenset() and store.flush_reads() is None
    disk = _on_disk(corpus_dir)
    assert disk[A].read and disk[C].read and disk[B].read and disk[B].flagged
    assert store.undo().action == "undo flag"  # reads are not undo steps
    assert _state(store, A) == (True, False) and _state(store, B) == (True, False)


def test_any_other_save_writes_pending_read_marks_first(corpus_dir, metas):
    store, _ = open_store(corpus_dir, metas)
    store.mark_read_later(A)
    store.add_tags(B, ["energy"])  # a deliberate change saves the whole document
    disk = _on_disk(corpus_dir)
    assert disk[A].read and disk[B].tags == ("energy",)
    assert store.unsaved_reads == frozenset()
    store.mark_read_later(C)
    with store.batch():
        store.toggle_flag([A])
    assert _on_disk(corpus_dir)[C].status == "read"


def test_pending_read_marks_merge_with_changes_made_by_others(corpus_dir, metas):
    mine, _ = open_store(corpus_dir, metas)
    theirs, _ = open_store(corpus_dir, metas)
    mine.mark_read_later(A)
    theirs.add_note(B, "from the other program")
    mine.flush_reads()  # locked, merged, atomic like every save
    disk = _on_disk(corpus_dir)
    assert disk[A].status == "read" and [n.text for n in disk[B].notes] == ["from the other program"]
    assert not list(corpus_dir.glob("*.tmp*"))


def test_mark_read_later_is_refused_by_a_read_only_store(corpus_dir, metas):
    (corpus_dir / "annotations.yaml").write_text("articles: [not, a, mapping\n", encoding="utf-8")
    store, _ = open_store(corpus_dir, metas)
    assert store.read_only
    with pytest.raises(ReadOnlyError):
        store.mark_read_later(A)
    assert store.unsaved_reads == frozenset() and store.flush_reads() is None


def test_a_folder_made_read_only_on_purpose_is_not_written_even_by_root(tmp_path):
    """Every write bit off (chmod a-w) means read-only by intent: root, who may write
    anywhere, still keeps the annotations in the data folder."""
    corpus = tmp_path / "collection"
    corpus.mkdir()
    (corpus / "a.txt").write_text("An article sentence that is long enough.\n", encoding="utf-8")
    corpus.chmod(0o555)
    try:
        store = AnnotationStore.open(corpus, [make_meta("a.txt", root=corpus)])
        store.add_tags("a.txt", ["kept"])
        assert sorted(os.listdir(corpus)) == ["a.txt"]
        assert not store.location.in_corpus and "not writable" in store.location.message
        assert AnnotationStore.open(corpus).get("a.txt").tags == ("kept",)
    finally:
        corpus.chmod(0o755)


def test_a_rename_onto_the_same_text_annotated_under_its_new_name_merges_both(corpus_dir):
    # A teammate annotated the old name before pulling the rename another made and
    # annotated: the same text under both names; both are kept, merged, nothing orphaned.
    store = _open(corpus_dir, [make_meta("old.txt", body="same", root=corpus_dir), make_meta("new.txt", body="same", root=corpus_dir)])
    store.add_tags("old.txt", ["mine", "shared"])
    store.add_note("old.txt", "my note")
    store.add_tags("new.txt", ["shared", "theirs"])
    store.add_note("new.txt", "their note")
    reopened, report = open_store(corpus_dir, [make_meta("new.txt", body="same", root=corpus_dir)])
    assert report.joined == (("old.txt", "new.txt"),) and report.moved == () and report.orphans == ()
    assert any("old.txt merged into those of new.txt" in m for m in report.messages())
    disk = _open(corpus_dir)
    assert "old.txt" not in disk.document.articles
    joined = disk.get("new.txt")
    assert joined.tags == ("mine", "shared", "theirs") and {n.text for n in joined.notes} == {"my note", "their note"}
    assert joined.fingerprint == make_meta("new.txt", body="same", root=corpus_dir).fingerprint
