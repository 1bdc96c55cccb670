"""The sample corpus comes out as issue 2 requires."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.corpus import open_corpus
from tests.seedfiles import copy_shared_seeds


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    corpus = open_corpus(copy_shared_seeds(tmp_path_factory.mktemp("seeds")))  # the five shared articles
    assert corpus.problems == []
    return corpus


def test_all_seeds_load(seeds):
    assert sorted(m.id for m in seeds.articles) == [
        "000_c25f74af4bc17e80.txt",
        "001_91c4a80b16629b6a.txt",
        "002_779c45f11c9e3794.txt",
        "003_dd4f2a093bc6ca5d.txt",
        "004_6814731f4ee210d7.txt",
    ]


def test_000_date_marker_glued_to_the_first_sentence(seeds):
    meta = seeds.get("000_c25f74af4bc17e80.txt")
    a = seeds.article(meta.id)
    assert meta.date == dt.date(2023, 11, 6)
    assert meta.title_derived
    assert meta.title.startswith("The UK Ministry of Defense has warned")
    assert len(meta.title) <= 80
    assert a.body.startswith("The UK Ministry of Defense")
    assert "date 2023" not in a.body


def test_001_headline_no_date_no_furniture_with_headings(seeds):
    meta = seeds.get("001_91c4a80b16629b6a.txt")
    a = seeds.article(meta.id)
    assert meta.title.startswith("Russia launches worst wave of airstrikes")
    assert not meta.title_derived
    assert meta.date is None
    assert "Previous article" not in a.body and "Next article" not in a.body
    assert a.body.startswith("Russia has launched a new wave of airstrikes against Ukraine.")
    assert a.body.endswith("the number of this expensive system will be limited.")
    assert a.headings == frozenset({"The Belarus factor", "Is Russia preparing a new ground offensive?", "A harsh winter"})
    assert "The Belarus factor" in a.paragraphs()


def test_002_single_newlines_are_paragraphs_and_padding_goes(seeds):
    meta = seeds.get("002_779c45f11c9e3794.txt")
    a = seeds.article(meta.id)
    assert meta.title_derived and meta.date is None
    assert len(a.paragraphs()) == 10
    assert not a.body.endswith("\n")


def test_003_byline_at_the_end_becomes_the_author(seeds):
    meta = seeds.get("003_dd4f2a093bc6ca5d.txt")
    a = seeds.article(meta.id)
    assert meta.author == "Anthony Solly"
    assert "By Anthony Solly" not in a.body and "Anthony Solly" not in a.body
    assert meta.title == "Russia hits Ukraine energy sites in ‘most powerful blow’ so far this year"


def test_004_dated_and_its_standfirst_line_is_the_title(seeds):
    meta = seeds.get("004_6814731f4ee210d7.txt")
    a = seeds.article(meta.id)
    assert meta.date == dt.date(2024, 4, 24)
    assert meta.title.startswith("The attacks targeted “civilian fuel and energy” infrastructure")
    assert not meta.title_derived
    assert a.body.startswith("The Ukrainian forces have targeted civilian energy infrastructure")


def test_order_newest_first_undated_last_stable(seeds):
    assert [m.id for m in seeds.articles] == [
        "004_6814731f4ee210d7.txt",
        "000_c25f74af4bc17e80.txt",
        "001_91c4a80b16629b6a.txt",
        "002_779c45f11c9e3794.txt",
        "003_dd4f2a093bc6ca5d.txt",
    ]
