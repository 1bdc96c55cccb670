"""Format version 2: a version 1 file (written byte for byte by the release before it)
is read and migrated on the first save, nothing lost, its bytes kept; a newer file is
read-only and never rewritten; hand edits that mix the two formats have a rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from briefing.annotations import AnnotationStore, NewerVersionError, ReadOnlyError, SchemaError, yamlio
from briefing.annotations.location import backup_dir

V1 = Path(__file__).parent / "data" / "annotations_v1.yaml"


@pytest.fixture
def v1_corpus(corpus_dir):
    shutil.copyfile(V1, corpus_dir / "annotations.yaml")
    return corpus_dir


def _plain(path: Path) -> dict:
    """The file read by an independent YAML reader (not our code)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_fixture_is_a_version_1_file_with_status():
    data = V1.read_bytes()
    assert data.endswith(b"version: 1\n") and b'status: "flagged"' in data and b"read: true" not in data


def test_a_version_1_file_is_read_flagged_meaning_flagged_and_read(v1_corpus):
    store = AnnotationStore.open(v1_corpus)
    assert not store.read_only
    got = {i: (a.read, a.flagged, a.dismissed) for i, a in store.document.articles.items()}
    assert got == {
        "feed.xml#item-1": (True, False, False),
        "flagged-only.md": (True, True, False),
        "flagged.txt": (True, True, False),
        "read.txt": (True, False, False),
        "unread-tagged.txt": (False, False, False),
        "ünïcode é.txt": (False, False, False),
    }
    assert (v1_corpus / "annotations.yaml").read_bytes() == V1.read_bytes()  # reading changes nothing


def test_the_first_save_migrates_keeps_the_v1_bytes_and_loses_nothing(v1_corpus):
    original = V1.read_bytes()
    store = AnnotationStore.open(v1_corpus)
    change = store.add_tags("read.txt", ["new-tag"])
    path = v1_corpus / "annotations.yaml"
    assert path.read_bytes().endswith(b"\nversion: 4\n")
    assert (backup_dir(v1_corpus.resolve()) / "annotations.yaml.v1.bak").read_bytes() == original
    assert (backup_dir(v1_corpus.resolve()) / "annotations.yaml.bak").read_bytes() == original
    assert any("version 1 migrated to version 4" in m and "annotations.yaml.v1.bak" in m for m in change.messages)
    plain = _plain(path)
    assert plain["version"] == 4
    arts = plain["articles"]
    assert "status" not in str(arts)
    assert arts["flagged.txt"]["read"] is True and arts["flagged.txt"]["flagged"] is True
    assert arts["flagged.txt"]["tags"] == ["energy", "no"]
    assert arts["flagged.txt"]["notes"] == [{"at": "2026-11-21T16:40:00Z", "text": "Compare with the MoD warning\nof Nov 2023."}]
    assert arts["flagged-only.md"] == {"read": True, "flagged": True}
    assert arts["read.txt"] == {"read": True, "tags": ["new-tag"]}
    assert arts["unread-tagged.txt"] == {"title": "A corrected title", "date": "2022-12-16", "tags": ["1e3", "kyiv"]}
    assert arts["feed.xml#item-1"]["read"] is True and arts["feed.xml#item-1"]["title"] == "other one"
    assert arts["feed.xml#item-1"]["highlights"] == [{"quote": "more than half of electricity consumers", "note": "scale of outage"}]
    assert arts["feed.xml#item-1"]["conflicts"][0]["other"] == "kept one"
    assert arts["ünïcode é.txt"] == {"notes": [{"at": "2026-11-22T08:00:00Z", "text": "plain"}]}
    # A second save keeps the version 1 bytes in the .v1.bak (the .bak moves on).
    store.add_tags("read.txt", ["another"])
    assert (backup_dir(v1_corpus.resolve()) / "annotations.yaml.v1.bak").read_bytes() == original
    assert (backup_dir(v1_corpus.resolve()) / "annotations.yaml.bak").read_bytes() != original
    # And a fresh store reads the migrated file as version 2, nothing to migrate.
    again = AnnotationStore.open(v1_corpus)
    assert again.document == store.document and again.document.version == "4"


def test_a_v1_file_is_not_rewritten_until_something_is_saved(v1_corpus):
    store = AnnotationStore.open(v1_corpus)
    assert store.reload() == []
    assert not (backup_dir(v1_corpus.resolve()) / "annotations.yaml.v1.bak").exists()
    assert (v1_corpus / "annotations.yaml").read_bytes() == V1.read_bytes()


@pytest.mark.parametrize("version, shown", [(b"5", "5"), (b'"5"', "5"), (b"12", "12")])
def test_a_newer_version_is_read_only_with_a_message_and_never_rewritten(corpus_dir, version, shown):
    data = b'articles:\n  a.txt:\n    read: true\n    shiny: "new field"\nversion: ' + version + b"\n"
    path = corpus_dir / "annotations.yaml"
    path.write_bytes(data)
    store = AnnotationStore.open(corpus_dir)
    assert store.read_only
    assert str(path) in store.error and f"format version {shown} " in store.error
    assert "newer briefing" in store.error and "never rewritten" in store.error
    with pytest.raises(ReadOnlyError):
        store.set_read(["a.txt"], True)
    assert path.read_bytes() == data
    assert not (backup_dir(corpus_dir.resolve()) / "annotations.yaml.bak").exists()


def test_a_file_turned_newer_by_another_program_is_not_overwritten(corpus_dir):
    store = AnnotationStore.open(corpus_dir)
    store.set_read(["a.txt"], True)
    path = corpus_dir / "annotations.yaml"
    newer = b"articles: {}\nversion: 5\n"
    path.write_bytes(newer)
    with pytest.raises(ReadOnlyError, match="format version 5"):
        store.set_flagged(["a.txt"], True)
    assert path.read_bytes() == newer


def test_newer_version_error_names_the_line():
    with pytest.raises(NewerVersionError) as info:
        yamlio.load(b"articles: {}\nversion: 5\n")
    assert info.value.line == 2 and info.value.version == "5"


@pytest.mark.parametrize(
    "entry, expected",
    [
        # The explicit read/flagged key wins over what a status implies.
        (b'    status: "flagged"\n    flagged: false\n', (True, False)),
        (b'    status: "flagged"\n    read: false\n', (False, True)),
        (b'    status: "unread"\n    flagged: true\n', (False, True)),
        (b'    flagged: false\n    status: "flagged"\n', (True, False)),  # the order of the keys does not matter
        (b"    read: TRUE\n", (True, False)),
    ],
)
def test_status_next_to_explicit_keys_the_explicit_key_wins(entry, expected):
    for version in (b"1", b"2"):
        doc = yamlio.load(b"articles:\n  a.txt:\n" + entry + b"version: " + version + b"\n")
        a = doc.get("a.txt")
        assert (a.read, a.flagged) == expected


@pytest.mark.parametrize(
    "entry, line, words",
    [
        (b"    read: maybe\n", 3, "read must be true or false"),
        (b"    flagged: [true]\n", 3, "flagged must be text"),
        (b"    mood: happy\n", 3, "unknown field 'mood'"),
        (b'    summary:\n      method: "lexrank"\n', 4, "needs both 'method' and 'length'"),
        (b'    summary:\n      method: "lexrank"\n      length: "five"\n', 5, "whole number"),
        (b'    summary:\n      method: "lexrank"\n      length: 0\n', 5, "whole number"),
        (b'    summary:\n      method: ""\n      length: 3\n', 4, "cannot be empty"),
    ],
)
def test_bad_new_fields_are_refused_with_the_line(entry, line, words):
    with pytest.raises(SchemaError) as info:
        yamlio.load(b"articles:\n  a.txt:\n" + entry + b"version: 2\n")
    assert info.value.line == line and words in info.value.message


def test_an_unknown_field_makes_the_store_read_only_and_nothing_is_dropped(corpus_dir):
    data = b'articles:\n  a.txt:\n    read: true\n    mood: "happy"\nversion: 2\n'
    path = corpus_dir / "annotations.yaml"
    path.write_bytes(data)
    store = AnnotationStore.open(corpus_dir)
    assert store.read_only and "line 4" in store.error and "mood" in store.error
    with pytest.raises(ReadOnlyError):
        store.set_flagged(["a.txt"], True)
    assert path.read_bytes() == data


def test_version_2_writes_flags_only_when_true_and_the_summary_as_a_mapping(corpus_dir):
    store = AnnotationStore.open(corpus_dir)
    store.set_read(["a.txt"], True)
    store.set_dismissed(["b.txt"], True)
    store.set_summary("a.txt", "lexrank", 5)
    text = (corpus_dir / "annotations.yaml").read_text(encoding="utf-8")
    assert '  "a.txt":\n    read: true\n    summary:\n      method: "lexrank"\n      length: 5\n' in text
    assert '  "b.txt":\n    dismissed: true\n' in text
    # (the version 1 field; the version 3 "changed" record may name a "status" change)
    assert "flagged" not in text.split("articles:")[1] and "\n    status:" not in text.split("articles:")[1]
    assert text.endswith("\nversion: 4\n")


def test_a_newer_file_is_shown_read_only_as_far_as_this_version_reads_it(corpus_dir):
    path = corpus_dir / "annotations.yaml"
    data = b'articles:\n  a.txt:\n    flagged: true\n    tags:\n      - "kept"\nversion: 5\n'
    path.write_bytes(data)
    store = AnnotationStore.open(corpus_dir)
    assert store.read_only and "format version 5" in store.error
    assert store.get("a.txt").flagged and store.get("a.txt").tags == ("kept",)
    assert store.reload() == [] and store.read_only  # still newer: still read-only
    assert path.read_bytes() == data


def test_a_newer_file_with_fields_unknown_here_is_shown_without_them(corpus_dir):
    # What a teammate's newer briefing writes: a new top-level key, a new field in an
    # entry and in a note, and an entry whose known field holds what this version
    # cannot read. Everything this version understands is shown; the rest is named.
    path = corpus_dir / "annotations.yaml"
    data = (
        b'watchlists: {}\narticles:\n'
        b'  a.txt:\n    mood: "x"\n    tags:\n      - "kept"\n'
        b'    notes:\n      - text: "my note"\n        colour: "red"\n'
        b'  b.txt:\n    read: "2030-01-01"\n'
        b'  c.txt:\n    flagged: true\n'
        b"version: 5\n"
    )
    path.write_bytes(data)
    store = AnnotationStore.open(corpus_dir)
    assert store.read_only and not store.unreadable
    assert "format version 5 (line 14)" in store.error and "unknown field" not in store.error
    a = store.get("a.txt")
    assert a.tags == ("kept",) and [n.text for n in a.notes] == ["my note"]
    assert store.get("c.txt").flagged and "b.txt" not in store.document.articles
    (told,) = [m for m in store.messages if "not shown" in m]
    assert str(path) in told and "4 things this version does not understand" in told
    assert "line 1: unknown field 'watchlists'" in told
    assert path.read_bytes() == data


def test_a_file_of_this_version_with_an_unknown_field_is_still_refused_whole(corpus_dir):
    path = corpus_dir / "annotations.yaml"
    path.write_bytes(b'articles:\n  a.txt:\n    mood: "x"\n    flagged: true\nversion: 4\n')
    store = AnnotationStore.open(corpus_dir)
    assert store.read_only and store.unreadable and "line 3: unknown field 'mood'" in store.error
    assert store.document.articles == {}
