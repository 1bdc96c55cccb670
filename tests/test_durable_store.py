"""briefing.durable.StoreFolder, the one discipline for state kept beside a corpus
(annotations.yaml now; the watchlists file and briefings/ later): issue 22 item 1."""

from __future__ import annotations

import os

import pytest

from briefing.durable import FolderGone, LinkRefused, NotRegularFile, StoreFolder


def test_read_lock_replace_and_backup_in_a_pinned_folder(tmp_path):
    folder = StoreFolder(tmp_path)
    assert folder.read("w.yaml") is None
    with folder.locked(".w.yaml.lock"):
        key = folder.replace("w.yaml", b"one\n")
    assert folder.read("w.yaml") == b"one\n" and folder.last_read_identity == key
    folder.backup("w.yaml", "w.yaml.bak", b"one\n", key)
    folder.replace("w.yaml", b"two\n")
    assert (tmp_path / "w.yaml.bak").read_bytes() == b"one\n" and (tmp_path / "w.yaml").read_bytes() == b"two\n"
    assert sorted(os.listdir(tmp_path)) == [".w.yaml.lock", "w.yaml", "w.yaml.bak"]


def test_links_and_special_files_are_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "w.yaml").symlink_to(outside / "target")
    (corpus / ".w.yaml.lock").symlink_to(outside / "lock")
    os.mkfifo(corpus / "fifo.yaml")
    folder = StoreFolder(corpus)
    with pytest.raises(LinkRefused, match="symbolic link"):
        folder.read("w.yaml")
    with pytest.raises(LinkRefused):
        folder.replace("w.yaml", b"x")
    with pytest.raises(LinkRefused), folder.locked(".w.yaml.lock"):
        pass
    with pytest.raises(NotRegularFile):
        folder.read("fifo.yaml")
    with pytest.raises(NotRegularFile):
        folder.replace("fifo.yaml", b"x")
    assert os.listdir(outside) == []


def test_a_subfolder_is_pinned_and_never_a_link(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    briefings = StoreFolder(corpus).subfolder("briefings", create=True)
    briefings.replace("week.md", b"# week\n")
    assert (corpus / "briefings" / "week.md").read_bytes() == b"# week\n"
    os.rename(corpus / "briefings", tmp_path / "moved")
    (corpus / "briefings").symlink_to(outside)  # swapped for a link after opening
    with pytest.raises(FolderGone):
        briefings.replace("week.md", b"again\n")
    with pytest.raises(LinkRefused):
        StoreFolder(corpus).subfolder("briefings", create=True)
    with pytest.raises(LinkRefused):
        StoreFolder(corpus / "briefings").read("week.md")
    assert os.listdir(outside) == []
