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
