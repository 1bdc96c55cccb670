"""Finding articles by title (the reader's palette: ``Open: …``)."""

from __future__ import annotations

from briefing.corpus.titles import SCAN_AT_MOST, TitleFinder

TITLES = [
    ("a.txt", "Power cuts in Kyiv after strikes"),
    ("b.txt", "Kyiv power grid repaired"),
    ("c.txt", "Markets fall"),
    ("d.txt", "İstanbul talks on grain\tand ships"),
    ("e.txt", "[bold]Markup[/] in a title"),
]


def test_every_word_in_any_order_ranked_phrase_first():
    finder = TitleFinder(TITLES)
    found = finder.find("kyiv power")
    assert [m.id for m in found] == ["b.txt", "a.txt"]  # the phrase at the start first
    assert found[0].spans == ((0, 10),)
    assert [(found[1].title[s:e]) for s, e in found[1].spans] == ["Power", "Kyiv"]


def test_letters_in_order_when_no_title_has_the_words():
    found = TitleFinder(TITLES).find("mktsfl")
    assert [m.id for m in found] == ["c.txt"]
    assert "".join(found[0].title[s:e] for s, e in found[0].spans).lower() == "mktsfl"


def test_titles_are_one_clean_line_and_offsets_hold_after_folding():
    finder = TitleFinder(TITLES)
    (match,) = finder.find("grain")
    assert match.title == "İstanbul talks on grain and ships"  # the tab is a space
    start, end = match.spans[0]
    assert match.title[start:end] == "grain"  # "İ" lowered is two characters: offsets still hold
    assert finder.find("[bold]")[0].title == "[bold]Markup[/] in a title"


def test_nothing_typed_or_nothing_found_is_empty():
    finder = TitleFinder(TITLES)
    assert finder.find("") == [] and finder.find("   ") == [] and finder.find("zzzz") == []
    assert TitleFinder([]).find("kyiv") == []


def test_results_are_bounded_at_any_size():
    finder = TitleFinder((f"{i:06d}.txt", f"Kyiv report number {i}") for i in range(3 * SCAN_AT_MOST))
    found = finder.find("kyiv", limit=15)
    assert len(found) == 15
    assert [m.id for m in found] == [f"{i:06d}.txt" for i in range(15)]  # equal scores keep the corpus order
