"""Property: the file merge (what the git driver runs) keeps every tag, note and
highlight either side added, honours removals, and never invents an element."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.annotations import yamlio
from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Highlight, Note
from briefing.team.mergefile import merge_bytes

IDS = ["a.txt", "b.txt", "c.txt"]
TAGS = st.sampled_from(["energy", "kyiv", "no", "1e3", "gas", "Grid"])
NOTES = st.builds(Note, st.sampled_from(["n1", "n2", "line\nbreak"]), st.sampled_from(["", "2024-01-01T00:00:00Z"]),
                  st.sampled_from(["", "Ann", "Bob"]))
HIGHLIGHTS = st.builds(Highlight, st.sampled_from(["q1", "q2"]), st.sampled_from(["", "why"]), st.sampled_from(["", "Ann"]))
ARTICLE = st.builds(
    lambda tags, notes, highlights: ArticleNotes(tags=tuple(tags), notes=tuple(notes), highlights=tuple(highlights)),
    st.sets(TAGS, max_size=4), st.sets(NOTES, max_size=3), st.sets(HIGHLIGHTS, max_size=2),
)
DOC = st.dictionaries(st.sampled_from(IDS), ARTICLE, max_size=3).map(AnnotationDoc)


def elements(doc: AnnotationDoc) -> set[tuple[str, str, object]]:
    out: set[tuple[str, str, object]] = set()
    for article_id, a in doc.articles.items():
        out |= {(article_id, "tag", t) for t in a.tags}
        out |= {(article_id, "note", n) for n in a.notes}
        out |= {(article_id, "highlight", h) for h in a.highlights}
    return out


@settings(max_examples=150, deadline=None)
@given(DOC, DOC, DOC)
def test_the_merge_keeps_every_addition_and_invents_nothing(base, ours, theirs):
    data = [yamlio.dumps_bytes(d) for d in (base, ours, theirs)]
    result = merge_bytes(*data, path="annotations.yaml")
    assert b"<<<<<<<" not in result.data
    merged = elements(yamlio.load(result.data))
    b, o, t = elements(base), elements(ours), elements(theirs)
    assert (o - b) | (t - b) <= merged  # every addition on either side kept
    assert merged <= o | t  # nothing invented
    assert not merged & ((b - o) | (b - t)) - (o & t)  # a removal on one side is honoured
    assert result.conflicts == []  # sets never conflict


SCALARS = st.builds(
    lambda read, flagged, title, tags: ArticleNotes(read=read, flagged=flagged, title=title, tags=tuple(tags)),
    st.booleans(), st.booleans(), st.sampled_from([None, "t1", "t2", "a \"quoted\"\nline"]), st.sets(TAGS, max_size=3),
)
SCALAR_DOC = st.dictionaries(st.sampled_from([*IDS, "é ü.txt", "tab\there.txt"]), SCALARS, max_size=4).map(AnnotationDoc)


@settings(max_examples=150, deadline=None)
@given(SCALAR_DOC, SCALAR_DOC, SCALAR_DOC)
def test_the_entry_by_entry_merge_is_the_whole_file_merge(base, ours, theirs):
    """The fast path (canonical files merged on their bytes) gives byte for byte what
    parsing the three files whole and merging the documents gives, conflicts too."""
    from briefing.annotations import entries
    from briefing.annotations.merge import merge_docs

    fast = entries.merge(*(yamlio.dumps_bytes(d) for d in (base, ours, theirs)), "T", "Ann")
    assert fast is not None
    expected, conflicts = merge_docs(base, ours, theirs, "T", "Ann")
    assert fast[0] == yamlio.dumps_bytes(expected)
    assert fast[1] == conflicts


def test_a_file_not_written_by_this_version_is_merged_whole():
    """A version 2 file (or one edited by hand) is not split on its bytes; the merge
    parses it and still keeps both sides."""
    from briefing.annotations import entries

    v2 = b'articles:\n  "a.txt":\n    tags:\n      - "old"\nversion: 2\n'
    ours = yamlio.dumps_bytes(AnnotationDoc({"a.txt": ArticleNotes(tags=("old", "mine"))}))
    theirs = b'articles:\n  "a.txt":\n    tags: ["old", "yours"]\nversion: 2\n'
    assert entries.merge(v2, ours, theirs) is None
    merged = yamlio.load(merge_bytes(v2, ours, theirs, path="annotations.yaml").data)
    assert merged.get("a.txt").tags == ("mine", "old", "yours") and merged.version == "4"
