"""Finding article files: nesting, ignored names, links, special files, odd names."""

from __future__ import annotations

import os
import socket

from briefing.corpus.discover import discover, discover_stat, is_ignored, walk_stat

from .helpers import load, write

BODY = "Headline here\n\nThe body has one sentence of text.\n"


def ids(corpus):
    return sorted(m.id for m in corpus.articles)


def test_nested_folders_give_slash_separated_ids(tmp_path):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "2024/05/b.md", BODY)
    write(tmp_path, "x/y/z/c.html", "<html><body><article><p>" + "Some words. " * 30 + "</p></article></body></html>")
    corpus = load(tmp_path)
    assert ids(corpus) == ["2024/05/b.md", "a.txt", "x/y/z/c.html"]
    assert corpus.problems == []


def test_accepted_extensions_only_and_case_insensitive(tmp_path):
    # .pdf and .docx became article formats with issue 18; .doc, .rtf, .csv are not
    for name in ("a.TXT", "b.Markdown", "c.htm", "d.doc", "e.rtf", "f.txt.bak", "g.csv", "h.PDF"):
        write(tmp_path, name, BODY)
    found = [i for i, _p, _k in discover(tmp_path)]
    assert sorted(found) == ["a.TXT", "b.Markdown", "c.htm", "h.PDF"]


def test_hidden_and_editor_files_are_ignored_silently(tmp_path):
    write(tmp_path, "keep.txt", BODY)
    for name in (".hidden.txt", ".keep.txt.swp", "keep.txt~", "#keep.txt#", ".#keep.txt", ".DS_Store",
                 "~$report.txt", "annotations.yaml", ".git/config.txt", ".cache/x.md", "notes.txt.swp"):
        write(tmp_path, name, BODY)
    corpus = load(tmp_path)
    assert ids(corpus) == ["keep.txt"]
    assert corpus.problems == []
    assert is_ignored(".swp") and is_ignored("x~") and is_ignored("#a#") and not is_ignored("a#b.txt")


def test_symlink_loop_is_not_followed_and_is_warned(tmp_path):
    write(tmp_path, "sub/a.txt", BODY)
    os.symlink(tmp_path, tmp_path / "sub" / "back-to-root")  # a folder loop
    os.symlink(tmp_path / "l2.txt", tmp_path / "l1.txt")  # a link loop
    os.symlink(tmp_path / "l1.txt", tmp_path / "l2.txt")
    corpus = load(tmp_path)
    assert ids(corpus) == ["sub/a.txt"]
    messages = {p.id: p.message for p in corpus.problems}
    assert "loop" in messages["sub/back-to-root"]
    assert "loop" in messages["l1.txt"] and "loop" in messages["l2.txt"]


def test_symlink_outside_root_is_not_followed_and_is_warned(tmp_path):
    outside = tmp_path / "outside"
    root = tmp_path / "corpus"
    write(outside, "secret.txt", "Secret headline\n\nNot part of the corpus at all.\n")
    write(root, "a.txt", BODY)
    os.symlink(outside / "secret.txt", root / "secret.txt")
    os.symlink(outside, root / "elsewhere")
    corpus = load(root)
    assert ids(corpus) == ["a.txt"]
    messages = {p.id: p.message for p in corpus.problems}
    assert set(messages) == {"secret.txt", "elsewhere"}
    assert all("outside the corpus" in m and "not followed" in m for m in messages.values())


def test_broken_symlink_is_reported(tmp_path):
    write(tmp_path, "a.txt", BODY)
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    corpus = load(tmp_path)
    assert ids(corpus) == ["a.txt"]
    assert [(p.id, "broken" in p.message) for p in corpus.problems] == [("dangling.txt", True)]


def test_unreadable_file_is_warned_and_the_load_goes_on(tmp_path, monkeypatch):
    """Tests run as root, where chmod 000 does not stop a read; so os.open is made to
    raise PermissionError for one file, exactly as the kernel does for another user."""
    write(tmp_path, "a.txt", BODY)
    locked = write(tmp_path, "locked.txt", BODY)
    real_open = os.open

    def guarded_open(path, flags, *args, **kwargs):
        if os.fspath(path) == os.fspath(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded_open)
    corpus = load(tmp_path)
    assert ids(corpus) == ["a.txt"]
    assert [(p.id, "permission denied" in p.message) for p in corpus.problems] == [("locked.txt", True)]


def test_unlistable_folder_is_warned(tmp_path, monkeypatch):
    """As above, root can list any folder: os.scandir is made to refuse one folder."""
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "private/b.txt", BODY)
    real_scandir = os.scandir

    def guarded(path="."):
        if os.fspath(path).endswith("private"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", guarded)
    corpus = load(tmp_path)
    assert ids(corpus) == ["a.txt"]
    assert len(corpus.problems) == 1
    assert corpus.problems[0].id == "private" and "folder cannot be read" in corpus.problems[0].message


def test_special_file_with_an_article_name_is_skipped_not_opened(tmp_path):
    """A socket named like an article: opening it would fail (or a FIFO would block)."""
    write(tmp_path, "a.txt", BODY)
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(os.fspath(tmp_path / "sock.txt"))
        os.mkfifo(tmp_path / "pipe.md")
        corpus = load(tmp_path)
    finally:
        sock.close()
    assert ids(corpus) == ["a.txt"]
    assert sorted(p.id for p in corpus.problems) == ["pipe.md", "sock.txt"]
    assert all("not a regular file" in p.message for p in corpus.problems)


def test_odd_file_names(tmp_path):
    names = ["with space.txt", "ünïcödé – 記事.txt", "-leading-dash.txt", "semi;colon&amp.md", "'quote'.txt"]
    for name in names:
        write(tmp_path, name, BODY)
    raw = os.fsencode(tmp_path) + b"/latin1-\xe9.txt"  # not valid UTF-8
    with open(raw, "wb") as f:
        f.write(BODY.encode())
    corpus = load(tmp_path)
    assert corpus.problems == []
    got = ids(corpus)
    assert sorted(names) == sorted(i for i in got if "latin1" not in i)
    odd = [m for m in corpus.articles if "latin1" in m.id]
    # printable id that names the file exactly (issue 22 item 2; was "latin1-\ufffd.txt")
    assert len(odd) == 1 and odd[0].id == "latin1-\\xe9.txt"
    assert corpus.article(odd[0].id).body == "The body has one sentence of text."  # still readable
    for name in names:
        assert corpus.article(name).title == "Headline here"


def test_control_bytes_in_file_names_do_not_reach_ids(tmp_path):
    write(tmp_path, "evil\x1b]0;pwned\x07.txt", BODY)
    corpus = load(tmp_path)
    (meta,) = corpus.articles
    assert "\x1b" not in meta.id and "\x07" not in meta.id
    assert corpus.article(meta.id).title == "Headline here"


def test_the_streamed_walk_gives_what_the_listed_walk_gives(tmp_path):
    """walk_stat (a generator, for the index's freshness check) yields the files of
    discover_stat, in the same order, with the same folders recorded."""
    for rel in ("b/2.txt", "a/1.md", "a/sub/3.txt", "top.txt", "a b/4.html"):
        write(tmp_path, rel, BODY)
    with open(os.fsencode(tmp_path) + b"/a/odd-\xe9.txt", "wb") as f:
        f.write(BODY.encode())
    listed_dirs: list = []
    streamed_dirs: list = []
    listed = discover_stat(tmp_path, dirs=listed_dirs)
    streamed = list(walk_stat(tmp_path, dirs=streamed_dirs))
    assert [(i, p, k) for i, p, k, _st in streamed] == [(i, p, k) for i, p, k, _st in listed]
    assert len(listed) == 6 and "a/odd-\\xe9.txt" in [i for i, *_rest in listed]
    assert [st.st_ino for *_rest, st in streamed] == [st.st_ino for *_rest, st in listed]
    assert streamed_dirs == listed_dirs and len(listed_dirs) == 5
