"""briefing.listing.jsonrow: the templated row of an article without annotations is
the same text as the general writer makes of the dict ``list --json`` builds."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.annotations.results import json_fields
from briefing.annotations.schema import EMPTY, sorted_tags
from briefing.jsontext import json_array_chunks
from briefing.listing.jsonrow import plain_row_json
from briefing.model import ArticleMeta

texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from("\"\\\n\x00\x85\u202e\u2028"),
                max_size=12)
metas = st.builds(
    ArticleMeta,
    id=texts, path=texts, title=texts, title_derived=st.booleans(),
    date=st.none() | st.dates(min_value=dt.date(1, 1, 1)),
    author=st.none() | texts, source=st.none() | texts,
    tags=st.lists(texts, max_size=3).map(tuple), fingerprint=texts, words=st.integers(0, 10**7),
    warnings=st.lists(texts, max_size=2).map(tuple), url=st.none() | texts, lang=st.none() | texts,
)


def general(meta: ArticleMeta) -> dict[str, object]:
    """What the streamed list builds for any article (AnnotationStore.effective_meta
    and json_fields), for one without an entry."""
    return {**meta.to_json(), **json_fields(meta, EMPTY, sorted_tags(meta.tags), False)}


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(metas, min_size=1, max_size=3), size=st.sampled_from([1, 1 << 16]))
def test_templated_rows_write_the_same_text(rows, size):
    fast = "".join(json_array_chunks((plain_row_json(m, sorted_tags(m.tags)) for m in rows), size=size))
    slow = "".join(json_array_chunks((general(m) for m in rows), size=size))
    assert fast == slow
    assert json.loads(fast) == [general(m) for m in rows]


def test_templated_and_general_rows_mix():
    one = ArticleMeta("a.txt", "/c/a.txt", "Ti\u202ftle", False, dt.date(2024, 3, 1), None, "BBC", ("b", "a"), "sha256:x", 3)
    two = ArticleMeta("b.txt", "/c/b.txt", "Other", True, None, "Ann", None, (), "sha256:y", 0, ("odd",), "https://x", "en")
    mixed = "".join(json_array_chunks([plain_row_json(one, sorted_tags(one.tags)), general(two)]))
    assert mixed == "".join(json_array_chunks([general(one), general(two)]))
    assert json.loads(mixed)[0]["tags"] == ["a", "b"]
