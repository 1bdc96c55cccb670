"""The public API: exact substrings, document order, no headings, no repeats, bounds."""

import re
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.summarize import METHODS, Summary, ranker, registry, split_sentences, summarize, summarize_detail

from .conftest import long_document, seed

FAST = ("default", "lead")
NEWS = (
    "The government announced a new budget on Monday after weeks of talks. "
    "Opposition parties said the plan would raise taxes for working families. "
    "The finance minister defended the budget in parliament on Tuesday. "
    "Economists were divided over whether the measures would cut the deficit. "
    "Markets rose slightly after the announcement, with bank shares leading. "
    "The budget will be put to a vote next month."
)


def _norm(s: str) -> str:
    return " ".join(re.findall(r"\w+", s.lower()))


def test_methods_are_the_documented_names():
    assert METHODS == (
        "default", "lead", "lexrank", "lsa", "textrank", "luhn", "edmundson", "kl", "sumbasic", "reduction",
    )


@pytest.mark.parametrize("method", METHODS)
def test_every_method_returns_exact_substrings_in_order(method):
    article = seed("001")
    chosen = summarize(article.body, 4, method, headings=article.headings)
    assert len(chosen) == 4
    positions = [article.body.index(s) for s in chosen]
    assert positions == sorted(positions)
    assert len(set(chosen)) == 4
    # each is a whole sentence of the text as the tokenizer splits it
    assert set(chosen) <= set(split_sentences(article.body))


@pytest.mark.parametrize("method", METHODS)
def test_headings_are_never_chosen(method):
    article = seed("001")
    assert article.headings, "seed 001 has section headings"
    chosen = summarize(article.body, 10, method, headings=article.headings)
    assert chosen
    assert not set(chosen) & set(article.headings)
    assert all(h not in s for s in chosen for h in article.headings)


def test_a_central_heading_is_skipped_when_declared():
    text = "Budget vote on taxes and deficit\n\n" + NEWS
    heading = "Budget vote on taxes and deficit"
    assert heading in summarize(text, 6, "default")  # it would be a candidate otherwise
    for method in METHODS:
        assert heading not in summarize(text, 6, method, headings=[heading])


def test_seed_003_quote_is_not_repeated():
    article = seed("003")
    quote = _norm("Zelensky said Russia was choosing terror and escalation")
    assert sum(_norm(p).startswith(quote) for p in article.paragraphs()) == 2  # the input repeats it
    for method in METHODS:
        chosen = summarize(article.body, 10, method, headings=article.headings)
        assert sum(_norm(s).startswith(quote) for s in chosen) <= 1, method
        norms = [_norm(s) for s in chosen]
        assert len(set(norms)) == len(norms)


def test_near_copies_are_dropped_but_distinct_sentences_kept():
    text = (
        "The mayor said the bridge would reopen on Friday after repairs. "
        "Traffic has been diverted through the old town for a month. "
        "“The mayor said the bridge would reopen on Friday after the repairs.” "
        "Shops in the old town reported a rise in customers."
    )
    chosen = summarize(text, 4, "lead")
    assert chosen == [
        "The mayor said the bridge would reopen on Friday after repairs.",
        "Traffic has been diverted through the old town for a month.",
        "Shops in the old town reported a rise in customers.",
    ]


def test_fragments_bylines_and_date_markers_are_skipped():
    text = (
        "date 2023-11-06\n\nBy Anthony Solly\n\n" + NEWS + "\n\nShare this article\n\nPrevious article: Something else"
    )
    chosen = summarize(text, 10, "lead")
    assert chosen == split_sentences(NEWS)
    for method in METHODS:
        got = summarize(text, 10, method)
        assert all(s in split_sentences(NEWS) for s in got), method


def test_detail_reports_method_and_note():
    d = summarize_detail(NEWS, 2, "lexrank")
    assert isinstance(d, Summary)
    assert d.method == d.requested == "lexrank" and d.note is None and len(d.sentences) == 2
    with pytest.raises(AttributeError):
        d.method = "lead"  # frozen
    short = summarize_detail(NEWS, 10, "default")
    assert short.sentences == split_sentences(NEWS)
    assert short.note == "the text has only 6 sentences to choose from"


def test_unknown_method_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown summary method 'bogus'; choose one of: default, lead"):
        summarize(NEWS, 3, "bogus")


def test_sentence_count_is_clamped_to_1_to_10():
    text = long_document(30)
    assert len(summarize(text, 0)) == 1
    assert len(summarize(text, 50)) == 10


def test_every_sumy_method_has_a_bound():
    for name in METHODS:
        cap = registry.get(name).cap
        if name == "lead":
            assert cap is None  # linear
        elif name == "default":
            assert cap == ranker.WINDOW
        else:
            assert cap is not None and 50 <= cap <= 1000, name


@pytest.mark.parametrize("method", METHODS)
def test_huge_document_is_bounded_and_says_so(method, monkeypatch):
    text = long_document(2000)
    original = registry.get(method)
    if original.cap is not None and method != "default":
        # the real bounds are a few hundred sentences; a small one keeps the test fast
        small = registry.Method(original.name, original.label, original.rank, 60)
        monkeypatch.setitem(registry.REGISTRY, method, small)
    d = summarize_detail(text, 3, method)
    assert len(d.sentences) == 3 and d.method == method
    if method == "lead":
        assert d.note is None
        assert d.sentences == split_sentences(text)[:3]
        return
    assert d.note is not None and re.fullmatch(r".+ on the first [\d,]+ of 2,000 sentences", d.note), d.note
    first = int(d.note.split("first ")[1].split(" of")[0].replace(",", ""))
    assert first == (ranker.WINDOW if method == "default" else 60)
    # the chosen sentences come from the bounded part
    assert all(text.index(s) < text.index(f"Report {first} says") for s in d.sentences)


def test_a_failing_method_falls_back_and_says_so(monkeypatch):
    def broken(doc, count):
        raise FloatingPointError("divide by zero")

    monkeypatch.setitem(registry.REGISTRY, "lsa", registry.Method("lsa", "LSA", broken, 400))
    d = summarize_detail(NEWS, 2, "lsa")
    assert d.requested == "lsa" and d.method == "default"
    assert d.note == "LSA failed (FloatingPointError); used Default instead"
    assert len(d.sentences) == 2


BAD_INPUTS = {
    "empty": ("", 0, "the text is empty"),
    "blank": (" \n\n\t ", 0, "the text is empty"),
    "no letters": ("123 456 !!! --- 789. 10 / 20 = 0.5 ...", 0, "nothing to summarize"),
    "control bytes": ("\x00\x01\x02 ... \x1b[31m", 0, "nothing to summarize"),
    "one sentence": ("Only one sentence is here and it is long enough.", 1, "only 1 sentence"),
    "fewer than asked": (NEWS, 6, "only 6 sentences"),
    "one huge sentence": ("word " * 60000 + "end.", 1, "only 1 sentence"),
    "russian": (
        "Россия нанесла массированный удар по энергетике Украины. В Киеве отключили свет и отопление. "
        "Зеленский призвал союзников усилить давление на Москву. Эксперты ожидают новых атак на сети. "
        "Власти просят жителей экономить электроэнергию. Ремонт займет несколько недель.",
        3,
        None,
    ),
    "chinese": (
        "俄罗斯周五对乌克兰能源设施发动了大规模袭击。基辅多地停电，居民在地铁站避难。"
        "泽连斯基呼吁盟友提供更多防空导弹。专家认为冬季能源战将持续。当局要求居民节约用电。",
        3,
        None,
    ),
    "same word": ("spam " * 40 + ". " + "spam " * 40 + ". " + "eggs " * 40 + ".", 2, "only 2 sentences"),
}


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gives_a_sensible_result(method, case):
    text, expected, note = BAD_INPUTS[case]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = summarize_detail(text, 10 if case == "fewer than asked" else 3, method)
    assert len(d.sentences) == expected
    assert all(s in text and s.strip() == s for s in d.sentences)
    if note is None:
        assert d.note is None
    else:
        assert d.note is not None and note in d.note


def test_huge_sentence_among_others_is_bounded_for_sumy():
    text = NEWS + " " + "alpha beta gamma delta " * 15000 + "end. " + NEWS.replace("budget", "plan")
    d = summarize_detail(text, 3, "lexrank")
    assert len(d.sentences) == 3 and all(s in text for s in d.sentences)


_piece = st.sampled_from(
    [
        "The minister said the talks would resume. ",
        "Mr. Smith of the U.S. embassy declined to comment. ",
        "“We will not give up,” she said. ",
        "Prices rose 3.5 percent in Jan. 2024 (the most since 1990.) ",
        "Why? ",
        "\n\n",
        "By J. R. R. Tolkien\n",
        "Heading without stop\n\n",
        "... ",
        "A longer sentence about the power grid, the winter and the missiles that hit it. ",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_piece, max_size=25).map("".join), st.integers(1, 10), st.sampled_from(FAST + ("lexrank", "luhn")))
def test_property_exact_substrings_document_order(text, n, method):
    chosen = summarize(text, n, method)
    assert len(chosen) <= n
    pos = 0
    for s in chosen:
        at = text.find(s, pos)
        assert at >= 0, s
        pos = at + len(s)


def test_a_method_returning_too_few_is_topped_up_and_says_so(monkeypatch):
    monkeypatch.setitem(registry.REGISTRY, "lsa", registry.Method("lsa", "LSA", lambda doc, count: [4], 400))
    d = summarize_detail(NEWS, 3, "lsa")
    assert d.method == "lsa"
    assert d.sentences == [split_sentences(NEWS)[i] for i in (0, 1, 4)]
    assert d.note == "LSA chose 1; the first sentences fill the rest"
