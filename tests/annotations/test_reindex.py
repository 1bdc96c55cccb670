"""Issue 20: a large annotation file another program rewrote (a pull, a checkout) is
indexed again from the digests kept for its previous version: only the entries whose
bytes are new are parsed, and the store returns exactly what a whole parse gives; any
doubt falls back to the whole parse."""

from __future__ import annotations

import dataclasses
import os
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.annotations import AnnotationStore, indexed, kept, yamlio
from briefing.annotations.reindex import MAX_CHANGED_SHARE, reindex
from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Highlight, Note, SchemaError

N = 2050  # above indexed.LAZY_MIN
LONG_ID = "long/" + "x" * 1200 + ".txt"  # past YAML's implicit-key limit: written "? key"


def base_doc(n: int = N) -> AnnotationDoc:
    import datetime as dt

    entries = {
        f"{i:05}.txt": ArticleNotes(
            fingerprint=f"sha256:{i:064x}",
            read=i % 3 == 0,
            flagged=i % 7 == 0,
            tags=("energy", f"t{i % 40}"),
            title=f"Title {i}" if i % 11 == 0 else None,
            date=dt.date(2024, 1, 1 + i % 28) if i % 13 == 0 else None,
            notes=(Note(f"note {i}\nsecond line", "2026-01-01T00:00:00Z", "ana"),) if i % 5 == 0 else (),
        )
        for i in range(n)
    }
    entries['odd "quoted" \\ key: #1.txt'] = ArticleNotes(tags=("odd",))
    entries["日本/記事.txt"] = ArticleNotes(tags=("unicode", "ключ"))
    entries[LONG_ID] = ArticleNotes(read=True)
    return AnnotationDoc(entries)



@pytest.fixture
def pulled(corpus_dir, parsed):
    """``pull(data)``: the file is replaced by another program's bytes (a new inode,
    as git writes it) after briefing kept the index of the base file; returns the
    store opened then, what the store returns (or its error), and whether the file
    was parsed whole on that open."""
    path = corpus_dir / "annotations.yaml"
    doc = base_doc()
    path.write_bytes(yamlio.dumps_bytes(doc))
    AnnotationStore.open(corpus_dir)  # parsed whole once; the index is kept
    assert list((corpus_dir.parent / "_cache" / "annotations").iterdir())

    def pull(data: bytes) -> tuple[AnnotationStore, object, bool]:
        tmp = path.with_name(".annotations.yaml.pulled")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        parsed.clear()
        store = AnnotationStore.open(corpus_dir)
        whole = bool(parsed) and max(parsed) > len(data) // 2
        return store, returned(store), whole

    pull.corpus = corpus_dir  # type: ignore[attr-defined]
    pull.doc = doc  # type: ignore[attr-defined]
    return pull


def returned(store: AnnotationStore) -> object:
    """Everything the store answers about the document, as plain values."""
    if store.error is not None:
        return store.error
    doc = store.document
    ids = list(doc.articles)
    return (
        ids,
        {i: store.get(i) for i in ids},
        {name: store.ids_with(name) for name in indexed.FIELD_TESTS},
        {i: store.corrections(i) for i in ids},
    )


def reference(corpus) -> object:
    """What a whole parse gives: the same file opened with nothing kept for it."""
    shutil.rmtree(corpus.parent / "_cache" / "annotations")
    return returned(AnnotationStore.open(corpus))


def _change(doc: AnnotationDoc, changes: dict[str, ArticleNotes]) -> bytes:
    return yamlio.dumps_bytes(doc.updated(changes))


def _edited(doc: AnnotationDoc) -> dict[str, ArticleNotes]:
    return {
        "00000.txt": ArticleNotes(),  # removed: the first
        "00010.txt": ArticleNotes(),
        "00011.txt": dataclasses.replace(doc.get("00011.txt"), tags=("energy", "pulled"), title="New title"),
        "00400.txt": dataclasses.replace(doc.get("00400.txt"), read=False, flagged=True),
        "00400b.txt": ArticleNotes(tags=("added",)),  # added between two
        "!first.txt": ArticleNotes(tags=("added",)),  # added before every other
        "zzz-last.txt": ArticleNotes(tags=("added",), dismissed=True),  # and after
        f"{N - 1:05}.txt": dataclasses.replace(doc.get(f"{N - 1:05}.txt"), date=None),
    }


INCREMENTAL = {
    "added, removed, changed": _edited,
    "a note with a block scalar": lambda doc: {
        "00005.txt": dataclasses.replace(doc.get("00005.txt"), notes=(Note("line one\n\n  indented\nlast", "2026-02-02T00:00:00Z"),)),
        "00006.txt": dataclasses.replace(doc.get("00006.txt"), highlights=(Highlight("a quote", note="two\nlines"),)),
    },
    "quoted keys": lambda doc: {
        'odd "quoted" \\ key: #1.txt': ArticleNotes(tags=("changed",)),
        "- dash & star *.txt": ArticleNotes(tags=("new",)),
        "tab\there.txt": ArticleNotes(read=True),
    },
    "unicode ids": lambda doc: {
        "日本/記事.txt": ArticleNotes(tags=("unicode", "changed")),
        "é\u2028x.txt": ArticleNotes(tags=("new",)),
        "😀.txt": ArticleNotes(read=True),
    },
    "a long id written as an explicit key": lambda doc: {LONG_ID: ArticleNotes(flagged=True), "long/" + "y" * 1100: ArticleNotes(read=True)},
}


@pytest.mark.parametrize("edit", list(INCREMENTAL), ids=list(INCREMENTAL))
def test_a_rewritten_file_is_indexed_from_its_unchanged_entries_and_reads_as_a_whole_parse(pulled, parsed, edit):
    store, got, whole = pulled(_change(pulled.doc, INCREMENTAL[edit](pulled.doc)))
    assert not whole and max(parsed) < 3000, "more than the changed entries was parsed"
    assert getattr(store.document.articles, "lazy", False)
    parsed.clear()
    again = AnnotationStore.open(pulled.corpus)  # the new index was kept: nothing parsed
    assert not parsed and returned(again) == got
    assert got == reference(pulled.corpus)


def test_a_save_after_the_pull_writes_what_a_full_dump_gives(pulled, parsed):
    changes = _edited(pulled.doc)
    before = AnnotationStore.open(pulled.corpus)  # a reader open before the pull
    before.get("00020.txt")
    _, _, whole = pulled(_change(pulled.doc, changes))
    assert not whole
    parsed.clear()
    before.add_tags("00020.txt", ["mine"])  # merges with the pulled file, read from its index
    assert max(parsed) < 3000
    expected = pulled.doc.updated(changes)
    on_disk = (pulled.corpus / "annotations.yaml").read_bytes()
    back = yamlio.load(on_disk)
    assert back.get("00020.txt").tags == ("energy", "mine", "t20")
    assert {i: back.get(i) for i in back.articles if i != "00020.txt"} == {i: expected.get(i) for i in expected.articles if i != "00020.txt"}
    assert on_disk == yamlio.dumps_bytes(back)


def _swap(data: bytes) -> bytes:  # two neighbouring entries change places
    a, b = data.index(b'\n  "00100.txt":') + 1, data.index(b'\n  "00101.txt":') + 1
    c = data.index(b'\n  "00102.txt":') + 1
    return data[:a] + data[b:c] + data[a:b] + data[c:]


def _duplicate(data: bytes) -> bytes:
    a, b = data.index(b'\n  "00100.txt":') + 1, data.index(b'\n  "00101.txt":') + 1
    return data[:b] + data[a:b] + data[b:]


def _conflict(data: bytes) -> bytes:
    a, b = data.index(b'\n  "00200.txt":') + 1, data.index(b'\n  "00201.txt":') + 1
    theirs = data[a:b].replace(b'"energy"', b'"theirs"')
    return data[:a] + b"<<<<<<< HEAD\n" + data[a:b] + b"=======\n" + theirs + b">>>>>>> origin/main\n" + data[b:]


def _many(doc: AnnotationDoc) -> bytes:
    ids = sorted(doc.articles)
    step = int(1 / MAX_CHANGED_SHARE) - 1  # a little over the share
    return _change(doc, {i: dataclasses.replace(doc.get(i), tags=("bulk",)) for i in ids[::step]})


WHOLE = {
    "entries reordered": lambda doc, data: _swap(data),
    "a duplicate id": lambda doc, data: _duplicate(data),
    "a broken entry": lambda doc, data: data.replace(b'      - "t7"\n', b'      - ["t7"\n', 1),
    "a merge-conflict marker": lambda doc, data: _conflict(data),
    "CRLF line ends": lambda doc, data: data.replace(b"\n", b"\r\n"),
    "an anchor and an alias": lambda doc, data: data.replace(b'      - "t8"\n', b'      - &x "t8"\n', 1).replace(b'      - "t9"\n', b"      - *x\n", 1),
    "a YAML tag": lambda doc, data: data.replace(b'      - "t8"\n', b'      - !!python/object:os.system "t8"\n', 1),
    "a hand-written entry (valid, not as briefing writes it)": lambda doc, data: data.replace(b'      - "t8"\n', b"      - t8\n", 1),
    "a comment in an entry": lambda doc, data: data.replace(b'      - "t8"\n', b'      - "t8"  # why\n', 1),
    "an edited header": lambda doc, data: data.replace(b"# briefing annotations", b"# our annotations", 1),
    "an older format version": lambda doc, data: data.replace(b"\nversion: " + yamlio.VERSION.encode(), b"\nversion: 3"),
    "a newer format version": lambda doc, data: data.replace(b"\nversion: " + yamlio.VERSION.encode(), b"\nversion: 99"),
    "too many changed entries": lambda doc, data: _many(doc),
    "a file cut short": lambda doc, data: data[: len(data) // 2],
}


@pytest.mark.parametrize("edit", list(WHOLE), ids=list(WHOLE))
def test_any_doubt_falls_back_to_the_whole_parse_with_the_same_result_or_message(pulled, edit):
    data = WHOLE[edit](pulled.doc, yamlio.dumps_bytes(pulled.doc))
    store, got, whole = pulled(data)
    assert whole, "the file was not parsed whole"
    assert got == reference(pulled.corpus)
    if isinstance(got, str):  # the message names the file and the line, as a whole parse does
        assert str(pulled.corpus / "annotations.yaml") in got and "line " in got
        with pytest.raises(SchemaError):
            yamlio.load(data)


def test_a_cache_of_the_previous_format_is_not_used(pulled, parsed):
    (entry,) = list((pulled.corpus.parent / "_cache" / "annotations").iterdir())
    raw = entry.read_bytes()
    assert raw.startswith(b'{"v": ' + str(kept.CACHE_VERSION).encode())
    entry.write_bytes(raw.replace(b'{"v": ' + str(kept.CACHE_VERSION).encode(), b'{"v": 2', 1))
    _, got, whole = pulled(_change(pulled.doc, {"00001.txt": ArticleNotes(tags=("x",))}))
    assert whole and got == reference(pulled.corpus)


# ---------------------------------------------------------------- reindex() alone

_SMALL = 2020
_POOL = [f"{i:05}.txt" for i in range(0, _SMALL, 97)] + ["!a.txt", "zz.txt", "日.txt", "q\"\\.txt"]


@pytest.fixture(scope="module")
def small_base() -> tuple[AnnotationDoc, bytes, bytes]:
    doc = AnnotationDoc({f"{i:05}.txt": ArticleNotes(tags=(f"t{i % 9}",), read=i % 2 == 0) for i in range(_SMALL)})
    data = yamlio.dumps_bytes(doc)
    index = indexed.build_index(data, doc, canonical=True)
    assert index is not None
    return doc, data, index.digests()


_VALUES = st.one_of(
    st.just(ArticleNotes()),
    st.builds(lambda t, r: ArticleNotes(tags=t, read=r), st.lists(st.sampled_from(["a", "no", "x y", "t1"]), max_size=2).map(tuple), st.booleans()),
    st.builds(lambda text: ArticleNotes(notes=(Note(text, "2026-01-01T00:00:00Z"),)), st.sampled_from(["one", "two\nlines", "a\n\nb\n"])),
)
_BYTE_EDITS = st.sampled_from(["none", "swap", "duplicate", "blank line", "drop a line", "unquote"])


def _byte_edit(data: bytes, how: str, at: int) -> bytes:
    starts = indexed.entry_starts(data, data.index(b"\narticles:\n") + 11, len(data) - len(b"version: 5\n"))
    n = at % (len(starts) - 2)
    a, b, c = starts[n], starts[n + 1], starts[n + 2]
    if how == "swap":
        return data[:a] + data[b:c] + data[a:b] + data[c:]
    if how == "duplicate":
        return data[:b] + data[a:b] + data[b:]
    if how == "blank line":
        return data[:b] + b"\n" + data[b:]
    if how == "drop a line":
        return data[:a] + data[a:b].split(b"\n", 1)[1] + data[b:]
    if how == "unquote":
        return data[:a] + data[a:b].replace(b'- "', b"- ", 1).replace(b'"\n', b"\n", 1) + data[b:]
    return data


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_POOL), _VALUES), max_size=8), _BYTE_EDITS, st.integers(0, 10**6))
def test_reindex_gives_what_the_whole_parse_gives_or_none(small_base, changes, how, at):
    doc, _, known = small_base
    data = _byte_edit(_change(doc, dict(changes)), how, at)
    index = reindex(data, known)
    try:
        whole = yamlio.load(data)
    except SchemaError:
        assert index is None
        return
    canonical = yamlio.dumps_bytes(whole) == data
    if not canonical:
        assert index is None
        return
    assert index is not None, "a canonical file with few changes was parsed whole"
    lazy = indexed.lazy_doc(index)
    assert list(lazy.articles) == list(whole.articles)
    assert all(lazy.get(i) == whole.get(i) for i in whole.articles)
    assert not index.broken
    assert index.digests() == indexed.entry_digests(data, index.starts, index.end)
