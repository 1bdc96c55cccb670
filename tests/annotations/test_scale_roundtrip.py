"""Issue 20, annotations at scale: what the fast paths write and read is what the safe
loader sees.

- the writer (a whole dump, and a splice of a few changed entries into an indexed
  file) reads back with PyYAML's own safe loaders (C and pure Python) as the values
  given, field by field, compared with a structure built here from the values;
- the indexed reads that parse nothing (ids from the key lines, ``ids_with`` from one
  regular-expression pass) agree with the values;
- documents on an index and on one spliced from it compare and merge like plain
  documents (the narrowing by changed ids loses nothing).
"""

from __future__ import annotations

import datetime as dt
import re

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.annotations import indexed, yamlio
from briefing.annotations.merge import merge_docs
from briefing.annotations.schema import VERSION, AnnotationDoc, ArticleNotes, Conflict, Highlight, Note, Stamp

# Any text but unpaired surrogates (refused on input), with the troublesome
# characters of YAML and of the line-based fast paths made likely.
_TRICKY = st.sampled_from(["\n", "    dismissed: true", "\n    date: x", '"', "\\", ": ", "- ", "#", "  ", "\t",
                           "no", "~", "\u2028", "\x85", "\ufeff", "é", "\x1b[1m", "|", ">", "? "])
_TEXT = st.lists(st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=8), _TRICKY),
                 max_size=5).map("".join)
_SOME = _TEXT.filter(lambda t: t.strip(" \t\r\n") != "")
_NAMES = st.sampled_from(["", "ana", "bo é", 'x"y'])


def _entry() -> st.SearchStrategy[ArticleNotes]:
    return st.builds(
        ArticleNotes,
        fingerprint=st.one_of(st.none(), _SOME),
        read=st.booleans(),
        flagged=st.booleans(),
        dismissed=st.booleans(),
        summary=st.one_of(st.none(), st.tuples(st.sampled_from(["lexrank", "lead 3", "no", "é"]), st.integers(1, 1000))),
        tags=st.lists(_SOME, max_size=3).map(tuple),
        auto_tags=st.lists(_SOME, max_size=2).map(tuple),
        removed_auto_tags=st.lists(_SOME, max_size=2).map(tuple),
        date=st.one_of(st.none(), st.dates(dt.date(1000, 1, 1), dt.date(2999, 12, 31))),
        title=st.one_of(st.none(), _TEXT),
        notes=st.lists(st.builds(Note, text=_SOME, at=_TEXT, by=_NAMES), max_size=2).map(tuple),
        highlights=st.lists(st.builds(Highlight, quote=_SOME, note=_TEXT, by=_NAMES, at=_TEXT,
                                      occurrence=st.integers(1, 5)), max_size=2).map(tuple),
        conflicts=st.lists(st.builds(Conflict, field=st.sampled_from(["title", "date", "read"]),
                                     kept=st.one_of(st.none(), _TEXT), other=st.one_of(st.none(), _TEXT),
                                     at=_TEXT, base=st.one_of(st.none(), _TEXT), kept_by=_NAMES,
                                     other_by=_NAMES, by=_NAMES), max_size=1).map(tuple),
        changed=st.lists(st.builds(Stamp, field=st.sampled_from(["status", "date", "title"]),
                                   by=_NAMES, at=_TEXT), max_size=2).map(tuple),
    )


_IDS = st.one_of(st.sampled_from(["a.txt", "b/c.txt", 'q"uote.txt', "back\\slash.txt", "é.txt", "z.txt",
                                  "feed.rss#item\\u0023", " space.txt", "no"]), _SOME)


def expected_plain(doc: AnnotationDoc) -> dict:
    """What a YAML safe loader must give for ``doc`` (built from the values, field by
    field, as the format in the file's header describes it)."""
    articles = {}
    for article_id, a in doc.articles.items():
        e: dict = {}
        if a.fingerprint is not None:
            e["fingerprint"] = a.fingerprint
        for name in ("read", "flagged", "dismissed"):
            if getattr(a, name):
                e[name] = True
        if a.summary is not None:
            e["summary"] = {"method": a.summary[0], "length": a.summary[1]}
        if a.title is not None:
            e["title"] = a.title
        if a.date is not None:
            e["date"] = a.date.isoformat()
        for name in ("tags", "auto_tags", "removed_auto_tags"):
            if getattr(a, name):
                e[name] = list(getattr(a, name))
        if a.notes:
            e["notes"] = [{**({"at": n.at} if n.at else {}), **({"by": n.by} if n.by else {}), "text": n.text}
                          for n in a.notes]
        if a.highlights:
            e["highlights"] = [{"quote": h.quote, **({"note": h.note} if h.note else {}), **({"by": h.by} if h.by else {}),
                                **({"at": h.at} if h.at else {}), **({"occurrence": h.occurrence} if h.occurrence != 1 else {})}
                               for h in a.highlights]
        if a.conflicts:
            e["conflicts"] = [{"field": c.field, "kept": c.kept, "other": c.other,
                               **({"base": c.base} if c.base is not None else {}),
                               **{k: getattr(c, k) for k in ("kept_by", "other_by", "by", "at") if getattr(c, k)}}
                              for c in a.conflicts]
        if a.changed:
            e["changed"] = {s.field: {"by": s.by, **({"at": s.at} if s.at else {})} for s in a.changed}
        articles[article_id] = e
    return {"articles": articles, "version": int(VERSION)}


def _safe_loaded(data: bytes) -> list:
    return [yaml.load(data.decode("utf-8"), Loader=loader) for loader in (yaml.CSafeLoader, yaml.SafeLoader)]


def _index_of(data: bytes) -> indexed.FileIndex:
    """An index made from the bytes alone (at any size: build_index wants LAZY_MIN
    entries), so that reads go through the bytes, not a parsed copy."""
    starts = [m.start() for m in re.finditer(rb"^  (?=[^ :\n])", data, re.MULTILINE)]
    tail = len(f"version: {VERSION}\n")
    return indexed.FileIndex(data, starts, len(data) - tail)


@settings(max_examples=12, deadline=None)
@given(st.dictionaries(_IDS, _entry(), min_size=1, max_size=6))
def test_a_written_document_reads_back_identically_with_the_safe_loaders(entries):
    doc = AnnotationDoc(entries)
    data = yamlio.dumps_bytes(doc)
    want = expected_plain(doc)
    for loaded in _safe_loaded(data):
        assert loaded == want
    assert yamlio.load(data) == doc


@settings(max_examples=12, deadline=None)
@given(st.dictionaries(_IDS, _entry(), min_size=1, max_size=6),
       st.lists(st.tuples(_IDS, st.one_of(st.just(ArticleNotes()), _entry())), min_size=1, max_size=4))
def test_a_splice_reads_back_identically_and_the_index_reads_agree(entries, changes):
    base = AnnotationDoc(entries)
    data = yamlio.dumps_bytes(base)
    lazy = indexed.lazy_doc(_index_of(data))
    assert lazy.articles.ids_with("title") == {i for i, a in base.articles.items() if a.title is not None}
    lazy.articles.index.corrections()  # found before the splice: carried over to the new index
    plain = base
    for article_id, value in changes:
        lazy, plain = lazy.updated({article_id: value}), plain.updated({article_id: value})
    spliced, fresh = indexed.splice(lazy.articles)
    assert spliced == yamlio.dumps_bytes(plain)
    if not plain.articles:
        return
    for loaded in _safe_loaded(spliced):
        assert loaded == expected_plain(plain)
    # Reads that parse nothing, on an index made from the new bytes alone.
    again = indexed.lazy_doc(_index_of(spliced))
    assert list(again.articles) == sorted(plain.articles)
    for name, test in indexed.FIELD_TESTS.items():
        want = {i for i, a in plain.articles.items() if test(a)}
        assert again.articles.ids_with(name) == want, name
        if fresh is not None:  # carried over from the index spliced from
            assert indexed.lazy_doc(fresh).articles.ids_with(name) == want, name
    want = {i: (a.title, a.date) for i, a in plain.articles.items() if a.title is not None or a.date is not None}
    assert again.articles.index.corrections() == want
    if fresh is not None:
        assert fresh.corrections() == want
    for article_id in plain.articles:
        assert again.get(article_id) == plain.get(article_id)


@settings(max_examples=12, deadline=None)
@given(st.dictionaries(_IDS, _entry(), min_size=1, max_size=5),
       st.lists(st.lists(st.tuples(_IDS, st.one_of(st.just(ArticleNotes()), _entry())), min_size=1, max_size=3),
                min_size=1, max_size=3),
       st.lists(st.tuples(_IDS, st.one_of(st.just(ArticleNotes()), _entry())), max_size=3))
def test_documents_on_a_spliced_index_compare_and_merge_like_plain_ones(entries, saves, later):
    """One save after another (each a splice of the last), then more changes: the
    document then, compared with the file first read (its index unchanged, as the
    store's base is), gives the changed ids, equality and three-way merge that whole
    documents give."""
    base = AnnotationDoc(entries)
    original = indexed.lazy_doc(_index_of(yamlio.dumps_bytes(base)))
    current, plain = original, base
    for changes in saves:
        for article_id, value in changes:
            current, plain = current.updated({article_id: value}), plain.updated({article_id: value})
        _data, fresh = indexed.splice(current.articles)
        if fresh is None:
            return  # every entry removed: nothing indexed
        current = indexed.lazy_doc(fresh)
    for article_id, value in later:
        current, plain = current.updated({article_id: value}), plain.updated({article_id: value})
    assert current.articles.changed_from(original.articles) is not None  # narrowed, not whole
    assert (current == original) == (plain == base)
    assert current.changed_ids(original) == plain.changed_ids(base)
    assert original.changed_ids(current) == base.changed_ids(plain)
    # ours: the base with one change of our own; theirs: everything saved since
    ours = original.updated({"zz-ours.txt": ArticleNotes(tags=("ours",))})
    plain_ours = base.updated({"zz-ours.txt": ArticleNotes(tags=("ours",))})
    merged, conflicts = merge_docs(original, ours, current, "2026-01-01T00:00:00Z")
    plain_merged, plain_conflicts = merge_docs(base, plain_ours, plain, "2026-01-01T00:00:00Z")
    assert dict(merged.articles.items()) == dict(plain_merged.articles.items())
    assert [c.message() for c in conflicts] == [c.message() for c in plain_conflicts]
