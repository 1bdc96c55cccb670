"""``briefing stories`` written as it goes (briefing.stories.render): the JSON and text
written piece by piece, a few members' metas read from the index at a time, are the
same text as the whole document rendered at once, and no meta is made per article of
the corpus."""

from __future__ import annotations

import json
import random

import pytest

from briefing.annotations import AnnotationStore
from briefing.annotations.corrected import CorrectedCorpus
from briefing.index import open_index
from briefing.index.rows import ArticleRows
from briefing.jsontext import json_array_chunks, to_json_text
from briefing.stories import group_stories, render
from briefing.stories.render import stories_json, stories_json_chunks, stories_text, stories_text_chunks

WORDS = ("grid", "missile", "power", "plant", "river", "council", "budget", "harbour", "strike", "vote",
         "minister", "drone", "wheat", "port", "tariff", "court", "school", "bridge", "storm", "election")


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    for var in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"BRIEFING_{var}_DIR", str(tmp_path / f"_{var.lower()}"))


def _body(rng: random.Random) -> str:
    return "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + "." for _ in range(4))


@pytest.fixture
def grouped(tmp_path):
    """Six stories of two or three copies each, and loners; one title hostile."""
    rng = random.Random(3)
    root = tmp_path / "corpus"
    root.mkdir()
    for story in range(6):
        body = _body(rng)
        for copy in range(2 + story % 2):
            title = f"Story {story} copy {copy}" if (story, copy) != (2, 1) else "[bold]Bad[/] \x1b[31mtitle\x07"
            (root / f"s{story}-{copy}.txt").write_text(f"{title}\n\ndate 2024-05-{1 + story + copy:02d} {body}\n",
                                                      encoding="utf-8")
    for loner in range(5):
        (root / f"loner{loner}.txt").write_text(f"Loner {loner}\n\n{_body(rng)}\n", encoding="utf-8")
    indexed = open_index(root, workers=1)
    assert isinstance(indexed.articles, ArticleRows)
    store = AnnotationStore.open(root)
    store.set_title("s4-0.txt", "The analyst's title")
    corpus = CorrectedCorpus(indexed, store)
    stories = group_stories(corpus)
    assert len(stories) == 6
    return stories, corpus


def test_written_in_pieces_equals_the_whole(grouped, monkeypatch) -> None:
    stories, corpus = grouped
    whole_json = to_json_text(stories_json(stories, corpus))
    whole_text = stories_text(stories, corpus)
    monkeypatch.setattr(render, "MEMBERS_PER_READ", 3)  # several reads: stories split across them
    reads = []
    original = render.member_metas
    monkeypatch.setattr(render, "member_metas", lambda c, ids: reads.append(len(ids)) or original(c, ids))

    def refused(*_args, **_kwargs):
        raise AssertionError("every article's meta was made")

    monkeypatch.setattr(ArticleRows, "__iter__", refused)
    pieces = list(stories_json_chunks(stories, corpus))
    assert "".join(pieces) == whole_json
    assert len(reads) > 2 and max(reads) <= 3 + 2  # a batch closes once it holds 3 members
    data = json.loads(whole_json)
    assert data["grouped"] == 15 and len(data["stories"]) == 6
    titles = {m["id"]: m["title"] for s in data["stories"] for m in s["members"]}
    assert titles["s4-0.txt"] == "The analyst's title"  # the corrected corpus's meta
    assert "\x1b" not in titles["s2-1.txt"] and "\x07" not in titles["s2-1.txt"]
    assert "".join(stories_text_chunks(stories, corpus)) == whole_text
    assert "Story 6: 2 articles" in whole_text and "[bold]Bad[/]" in whole_text and "\x1b" not in whole_text


@pytest.mark.parametrize("items", [[], [1], [{"a": [1, {"b": None}], "c": "x\u2028y"}, [2, 3], "s"]])
def test_an_array_nested_in_an_object_is_written_as_json_writes_it(items) -> None:
    expected = to_json_text({"head": 1, "items": items})
    written = '{\n  "head": 1,\n  "items": ' + "".join(json_array_chunks(items, level=1, size=1)) + "\n}"
    assert written == expected
