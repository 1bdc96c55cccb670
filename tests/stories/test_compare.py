"""Comparing the versions of a story: sentence alignment, differences, citing.

The sample-corpus tests assert differences read by eye in seeds/002_… and
seeds/003_… (the same report rewritten), not output copied from the code.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.corpus import find_article
from briefing.model import Article, ArticleMeta
from briefing.resources import sample_corpus
from briefing.stories import compare as compare_mod
from briefing.stories.compare import (
    DATE,
    KINDS,
    NAME,
    NUMBER,
    ONLY,
    WORDING,
    Comparison,
    cite,
    compare,
)

REWRITE = "002_779c45f11c9e3794.txt"
ORIGINAL = "003_dd4f2a093bc6ca5d.txt"


def art(ident: str, body: str, title: str | None = None, date: dt.date | None = None) -> Article:
    meta = ArticleMeta(ident, f"/x/{ident}", title or ident, False, date, None, None, (), "sha256:0", len(body.split()))
    return Article(meta, body)


def row_with(result: Comparison, member: int, needle: str):
    rows = [(r, row) for r, row in enumerate(result.rows) if row.cells[member] and needle in row.cells[member].text]
    assert len(rows) == 1, f"{needle!r} in {len(rows)} rows"
    return rows[0]


def diffs(result: Comparison, row: int, kind: str | None = None):
    return [d for d in result.differences if d.row == row and (kind is None or d.kind == kind)]


# --------------------------------------------------------------------------- sample corpus


@pytest.fixture(scope="module")
def story():
    root = sample_corpus()
    members = [find_article(root, REWRITE), find_article(root, ORIGINAL)]
    return members, compare(members)


def test_every_sentence_is_in_exactly_one_row(story):
    members, result = story
    assert result.ids == (REWRITE, ORIGINAL)
    for i, member in enumerate(members):
        seen = [row.cells[i].sentence for row in result.rows if row.cells[i] is not None]
        assert sorted(seen) == list(range(len(seen)))
        for row in result.rows:
            cell = row.cells[i]
            if cell is not None:
                assert member.body[cell.start : cell.end] == cell.text
    # the reference keeps its order
    ref = [row.cells[0].sentence for row in result.rows if row.cells[0] is not None]
    assert ref == sorted(ref)


def test_temperature_differs_in_qualifier_and_overnight_is_only_in_the_rewrite(story):
    # 002: "dropped below minus 20C (-4F) overnight and have left more than 1,000 tower blocks"
    # 003: "dropped to -20C (-4F) and left more than 1,000 tower blocks"
    _members, result = story
    r, row = row_with(result, 0, "temperatures dropped below minus 20C")
    assert "temperatures dropped to -20C" in row.cells[1].text
    numbers = diffs(result, r, NUMBER)
    assert [(d.texts[0], d.texts[1]) for d in numbers] == [("below minus 20C", "-20C")]
    dates = diffs(result, r, DATE)
    assert [(d.texts[0], d.texts[1]) for d in dates] == [("overnight", None)]
    # 1,000 tower blocks and -4F are the same in both
    assert not any("1,000" in (t or "") or "4F" in (t or "") for d in diffs(result, r) for t in d.texts)


def test_intercepted_missiles_some_versus_only_38(story):
    # 002: "Ukraine's Air Force succeeded in intercepting some missiles"
    # 003: "Ukraine’s Air Force said it had intercepted only 38 of the missiles"
    _members, result = story
    r, row = row_with(result, 0, "succeeded in intercepting some missiles")
    assert "intercepted only 38 of the missiles" in row.cells[1].text
    assert [(d.texts[0], d.texts[1]) for d in diffs(result, r, NUMBER)] == [("some", "only 38")]


def test_attribution_of_the_missile_count_is_a_name_difference(story):
    # 002: "Reports indicated that more than 70 ... together with450 drones"
    # 003: "President Zelensky has said more than 70 ... together with 450 drones"
    _members, result = story
    r, row = row_with(result, 0, "Reports indicated that more than 70")
    assert "President Zelensky has said more than 70" in row.cells[1].text
    assert not diffs(result, r, NUMBER)  # "more than 70" and 450 ("with450") agree
    names = diffs(result, r, NAME)
    assert [d.texts[1] for d in names] == ["President Zelensky"]
    assert names[0].texts[0] == "Reports indicated that"
    cell = row.cells[1]
    assert any(cell.text[m.start : m.end] == "President Zelensky" and m.kind == NAME for m in cell.marks)


def test_company_named_only_in_the_original(story):
    # 003: "... so far this year, according to private energy company DTEK."; 002's
    # matching sentence ("power plants and energy infrastructure in Kyiv") names none.
    _members, result = story
    r, row = row_with(result, 1, "according to private energy company DTEK")
    assert "targeting power plants and energy infrastructure in Kyiv" in row.cells[0].text
    assert (None, "DTEK") in [tuple(d.texts) for d in diffs(result, r, NAME)]
    assert (None, "so far this year") in [tuple(d.texts) for d in diffs(result, r, DATE)]


@pytest.mark.parametrize(
    "needle",
    [
        "'energy truce' agreed by Donald Trump",  # quotes differ only
        "NATO Secretary-General Mark Rutte",  # Nato / NATO
        "talks coordinated by the U.S. later this week",  # co-ordinated / US
        "Donald Trump's initiative",
    ],
)
def test_rows_that_differ_only_in_spelling_or_quotes_have_no_difference(story, needle):
    _members, result = story
    r, row = row_with(result, 0, needle)
    assert row.cells[1] is not None
    assert row.kinds == () and diffs(result, r) == []
    assert row.cells[0].marks == () and row.cells[1].marks == ()


def test_zelensky_with_and_without_his_title_is_the_same_person(story):
    _members, result = story
    r, row = row_with(result, 0, "President Volodymyr Zelensky said Russia was 'choosing terror")
    assert row.cells[1] is not None and "Zelensky said Russia was" in row.cells[1].text
    assert not diffs(result, r, NAME)
    assert [d.texts for d in diffs(result, r)] == [("President Volodymyr", None)]
    assert diffs(result, r)[0].kind == WORDING


def test_merged_sentence_about_missile_shortage_still_pairs(story):
    # 002: "Officials continue to express concerns about a shortage of missiles needed to protect
    #       their airspace, ..." ; 003: "Officials here have complained repeatedly of a shortage
    #       of missiles to protect the skies."
    _members, result = story
    _r, row = row_with(result, 0, "Officials continue to express concerns")
    assert row.cells[1] is not None and row.cells[1].text.startswith("Officials here have complained")


@pytest.mark.parametrize(
    "member, needle",
    [
        (1, "We heard the first explosions in Kyiv soon after midnight"),
        (1, "Ukraine relies on US-made Patriot missiles"),
        (1, "Ukraine’s president suggested that Russia had simply used the time"),
        (0, "This ongoing series of attacks reflects a troubling trend"),
        (0, "Citizens are forced to seek refuge in metro stations"),
    ],
)
def test_sentences_in_one_version_only(story, member, needle):
    _members, result = story
    r, row = row_with(result, member, needle)
    other = 1 - member
    assert row.cells[other] is None
    only = diffs(result, r, ONLY)
    assert len(only) == 1 and only[0].texts[other] is None and needle in only[0].texts[member]
    cell = row.cells[member]
    assert cell.marks == ((0, len(cell.text), ONLY),)


def test_cite_a_sample_difference(story):
    members, result = story
    r, _row = row_with(result, 0, "succeeded in intercepting some missiles")
    number = diffs(result, r, NUMBER)[0]
    assert cite(number, members) == (
        'Number differs from "Russia hits Ukraine energy sites in ‘most powerful blow’ so far this year" '
        '(undated, 003_dd4f2a093bc6ca5d.txt): "some" vs "only 38"'
    )


# --------------------------------------------------------------------------- numbers, dates, names


def pair(a: str, b: str) -> Comparison:
    return compare([art("a.txt", a), art("b.txt", b)])


def only_row_diffs(result: Comparison, kind: str) -> list[tuple]:
    assert len(result.rows) == 1
    return [tuple(d.texts) for d in result.differences if d.kind == kind]


def test_qualifier_makes_a_number_differ():
    result = pair("Officials said more than 70 missiles were fired at the city.",
                  "Officials said 70 missiles were fired at the city.")
    assert only_row_diffs(result, NUMBER) == [("more than 70", "70")]
    a, b = result.rows[0].cells
    assert a.text[a.marks[0].start : a.marks[0].end] == "more than 70" and a.marks[0].kind == NUMBER
    assert [m.kind for m in b.marks] == [NUMBER]


@pytest.mark.parametrize(
    "a, b",
    [
        ("More than 1,000 tower blocks lost heating in the capital.", "More than 1000 tower blocks lost heating in the capital."),
        ("Over 70 missiles were fired at the capital.", "More than 70 missiles were fired at the capital."),
        ("Seven people were killed in the capital overnight.", "7 people were killed in the capital overnight."),
        ("Temperatures fell to minus 20C in the capital.", "Temperatures fell to -20C in the capital."),
        ("The strike came on 2024-01-02 in the capital.", "The strike came on January 2, 2024 in the capital."),
        ("The strike came last Tuesday in the capital city.", "The strike came on Tuesday in the capital city."),
    ],
)
def test_same_values_written_differently_are_not_number_or_date_differences(a, b):
    result = pair(a, b)
    assert len(result.rows) == 1 and all(c is not None for c in result.rows[0].cells)
    assert [d for d in result.differences if d.kind in (NUMBER, DATE, NAME)] == []


def test_changed_number_and_scale():
    result = pair("The fund lost $5m in the first quarter of trading.", "The fund lost $5bn in the first quarter of trading.")
    assert only_row_diffs(result, NUMBER) == [("$5m", "$5bn")]


@pytest.mark.parametrize(
    "a, b, texts",
    [
        ("The talks will resume on Tuesday in Geneva, officials said.", "The talks will resume on Wednesday in Geneva, officials said.",
         ("on Tuesday", "on Wednesday")),
        ("The ceasefire began on 2024-01-02 across the region.", "The ceasefire began on 2024-01-03 across the region.",
         ("2024-01-02", "2024-01-03")),
        ("The ceasefire began on March 3 across the region.", "The ceasefire began on March 4 across the region.",
         ("March 3", "March 4")),
        ("The ceasefire began yesterday across the region.", "The ceasefire began across the region.",
         ("yesterday", None)),
        ("The minister resigned in 2019 after the vote.", "The minister resigned in 2021 after the vote.",
         ("2019", "2021")),
    ],
)
def test_dates_differ(a, b, texts):
    assert only_row_diffs(pair(a, b), DATE) == [texts]


def test_names_differ_and_sentence_initial_capitals_are_not_names():
    result = pair(
        "Police said Smith met Jones in Paris on the eve of the summit.",
        "Officers said Smith met Brown in Paris on the eve of the summit.",
    )
    assert only_row_diffs(result, NAME) == [("Jones", "Brown")]
    # "Police"/"Officers" open the sentence: a wording change, not a name
    assert ("Police", "Officers") in [tuple(d.texts) for d in result.differences if d.kind == WORDING]


def test_sentence_initial_word_known_as_a_name_elsewhere_is_a_name():
    a = "Russia fired missiles at the grid overnight. The grid operator blamed Russia for the outage."
    b = "Belarus fired missiles at the grid overnight. The grid operator blamed Russia for the outage."
    result = pair(a, b)
    assert [tuple(d.texts) for d in result.differences if d.kind == NAME] == [("Russia", "Belarus")]


def test_lower_case_text_has_no_names():
    result = pair("police said smith met jones in paris on the eve of the summit.",
                  "police said smith met brown in paris on the eve of the summit.")
    assert [d.kind for d in result.differences] == [WORDING]


# --------------------------------------------------------------------------- alignment

SENTENCES = [
    "The grid operator reported outages in six regions after the overnight strikes.",
    "Engineers worked through the night to restore heating to hospitals and schools.",
    "The mayor urged residents to conserve electricity during the evening peak hours.",
    "Rail services were suspended on three lines while crews inspected the damaged tracks.",
    "Neighbouring countries offered generators and transformers to replace destroyed equipment.",
]


def test_reordered_and_lightly_rewritten_sentences_pair_up():
    b = [SENTENCES[4], SENTENCES[0].replace("reported", "announced"), SENTENCES[1], SENTENCES[2],
         SENTENCES[3].replace("suspended", "halted")]
    result = pair(" ".join(SENTENCES), " ".join(b))
    assert len(result.rows) == 5
    assert [(row.cells[0].sentence, row.cells[1].sentence) for row in result.rows] == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0)]
    assert [d.kind for d in result.differences] == [WORDING, WORDING]
    assert {d.texts for d in result.differences} == {("reported", "announced"), ("suspended", "halted")}


def test_dropped_and_added_sentences_are_only_in_one_version():
    extra = "Officials expect the repairs to take at least two more weeks before full power returns."
    b = SENTENCES[:2] + [extra] + SENTENCES[3:]  # sentence 2 dropped, one added
    result = pair(" ".join(SENTENCES), " ".join(b))
    only = [d for d in result.differences if d.kind == ONLY]
    assert [d.texts for d in only] == [(None, extra), (SENTENCES[2], None)] or \
        [d.texts for d in only] == [(SENTENCES[2], None), (None, extra)]
    # the added sentence sits after its predecessor in version b
    texts = [(row.cells[0].text if row.cells[0] else None, row.cells[1].text if row.cells[1] else None)
             for row in result.rows]
    assert texts.index((None, extra)) == texts.index((SENTENCES[1], SENTENCES[1])) + 1
    assert len(result.differences) == 2


def test_identical_articles_have_no_differences():
    body = "\n\n".join(SENTENCES)
    result = compare([art("a.txt", body), art("b.txt", body)])
    assert result.differences == ()
    assert all(row.kinds == () and row.similarity == 1.0 for row in result.rows)
    assert all(cell.marks == () for row in result.rows for cell in row.cells)
    assert result.counts() == {kind: 0 for kind in KINDS}
    assert result.note is None


def test_unrelated_sentences_do_not_pair():
    a = "The central bank raised interest rates by half a point to curb inflation."
    b = "Heavy snow closed mountain roads and stranded hundreds of skiers on Sunday."
    result = pair(a, b)
    assert [tuple(c is not None for c in row.cells) for row in result.rows] == [(True, False), (False, True)]


def test_three_members_fill_every_text():
    a = "Officials said 70 missiles were fired at the capital overnight."
    b = "Officials said more than 70 missiles were fired at the capital overnight."
    c = "Officials said 70 missiles were fired at the capital overnight."
    result = compare([art("a.txt", a), art("b.txt", b), art("c.txt", c)])
    assert len(result.rows) == 1
    numbers = [d for d in result.differences if d.kind == NUMBER]
    assert [d.texts for d in numbers] == [("70", "more than 70", "70")]
    assert numbers[0].spans[2] == (c.index("70"), c.index("70") + 2)


def test_section_headings_are_left_out():
    a = Article(art("a.txt", "").meta, "The Belarus factor\n\n" + SENTENCES[0], frozenset({"The Belarus factor"}))
    result = compare([a, art("b.txt", SENTENCES[0])])
    assert len(result.rows) == 1 and result.differences == ()


# --------------------------------------------------------------------------- edges


def test_empty_one_and_single_sentence_inputs():
    assert compare([]).rows == ()
    assert compare([art("a.txt", ""), art("b.txt", "")]).rows == ()
    result = compare([art("a.txt", ""), art("b.txt", SENTENCES[0])])
    assert [d.kind for d in result.differences] == [ONLY]
    assert result.differences[0].texts == (None, SENTENCES[0])
    alone = compare([art("a.txt", SENTENCES[0])])
    assert len(alone.rows) == 1 and alone.differences == ()
    one = pair(SENTENCES[0], SENTENCES[0].replace("six", "seven"))
    assert only_row_diffs(one, NUMBER) == [("six", "seven")]


def test_huge_input_is_bounded_and_says_so(monkeypatch):
    monkeypatch.setattr(compare_mod, "MAX_SENTENCES", 4)
    monkeypatch.setattr(compare_mod, "MAX_WORDS", 5)
    result = pair(" ".join(SENTENCES), " ".join(SENTENCES))
    assert len(result.rows) == 4
    assert "first 4 sentences of a.txt (of 5)" in result.note
    assert "first 4 sentences of b.txt (of 5)" in result.note
    assert "first 5 words of 4 very long sentences" in result.note


def test_huge_body_is_cut_at_max_chars(monkeypatch):
    monkeypatch.setattr(compare_mod, "MAX_CHARS", 100)
    result = pair(" ".join(SENTENCES), " ".join(SENTENCES))
    assert "first 100 characters of a.txt" in result.note
    assert all(cell.end <= 100 for row in result.rows for cell in row.cells if cell)


def test_hostile_text_is_plain_content():
    body = ("[bold red]Mayor[/] said [link=file:///etc/passwd]1,000[/link] people fled \u202e overnight. "
            "Use ``` and <script>alert(1)</script> to {escape} 10% of $HOME.")
    other = body.replace("1,000", "2,000")
    result = pair(body, other)
    numbers = [d.texts for d in result.differences if d.kind == NUMBER]
    assert numbers == [("1,000", "2,000")]
    for row in result.rows:
        for cell in row.cells:
            assert cell is not None and cell.text in body + other


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab Cd1,.!?\n'’-$%")) , max_size=80), min_size=1, max_size=3))
def test_marks_and_spans_are_always_inside_their_cells(bodies):
    members = [art(f"m{i}.txt", body) for i, body in enumerate(bodies)]
    result = compare(members)
    for row in result.rows:
        assert len(row.cells) == len(members)
        for i, cell in enumerate(row.cells):
            if cell is None:
                continue
            assert members[i].body[cell.start : cell.end] == cell.text
            last = 0
            for m in cell.marks:
                assert last <= m.start < m.end <= len(cell.text) and m.kind in KINDS
                last = m.end
    for d in result.differences:
        assert len(d.texts) == len(members) == len(d.spans)
        row = result.rows[d.row]
        for i, (text, span) in enumerate(zip(d.texts, d.spans, strict=True)):
            if span is not None:
                assert row.cells[i].text[span[0] : span[1]] == text


# --------------------------------------------------------------------------- cite


def test_cite_wording():
    a = art("a.txt", "Officials said 70 missiles were fired at the capital.", "Strikes on Kyiv", dt.date(2024, 1, 1))
    b = art("sub/b.txt", "Officials said more than 70 missiles were fired at the capital.", "Kyiv hit", dt.date(2024, 1, 2))
    result = compare([a, b])
    number = [d for d in result.differences if d.kind == NUMBER][0]
    assert cite(number, [a, b]) == 'Number differs from "Kyiv hit" (2024-01-02, sub/b.txt): "70" vs "more than 70"'
    assert cite(number, [a.meta, b.meta], own=1) == (
        'Number differs from "Strikes on Kyiv" (2024-01-01, a.txt): "more than 70" vs "70"'
    )


def test_cite_only_and_missing_and_three_sources():
    a = art("a.txt", SENTENCES[0], "A title")
    b = art("b.txt", SENTENCES[0] + " " + SENTENCES[3], "B title", dt.date(2024, 5, 6))
    result = compare([a, b])
    only = [d for d in result.differences if d.kind == ONLY][0]
    assert cite(only, [a, b]) == f'Not here; only in "B title" (2024-05-06, b.txt): "{SENTENCES[3]}"'
    assert cite(only, [a, b], own=1) == f'Only here, not in "A title" (undated, a.txt): "{SENTENCES[3]}"'
    c = art("c.txt", SENTENCES[0].replace("six", "nine"), "C title")
    result3 = compare([a, b, c])
    number = [d for d in result3.differences if d.kind == NUMBER][0]
    assert cite(number, [a, b, c]) == (
        'Number differs: here "six"; "B title" (2024-05-06, b.txt): "six"; "C title" (undated, c.txt): "nine"'
    )


def test_cite_is_one_clean_line():
    hostile = "Bad\x1b[31m title\nwith\tbreaks " + "x" * 200
    a = art("a.txt", "Officials said 70 missiles were fired at the capital.", hostile)
    b = art("b.txt", "Officials said 80 missiles were fired at the capital.", hostile)
    result = compare([a, b])
    text = cite(result.differences[0], [a, b])
    assert "\n" not in text and "\x1b" not in text and "\t" not in text
    assert '"Bad' in text and "…" in text
    with pytest.raises(ValueError):
        cite(result.differences[0], [a])
    with pytest.raises(ValueError):
        cite(result.differences[0], [a, b], own=2)
