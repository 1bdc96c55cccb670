"""summary_choice: the article's stored choice, else the config's preference."""

from __future__ import annotations

from types import SimpleNamespace

from briefing.config import Settings
from briefing.summarize.choice import summary_choice


def test_no_view_takes_the_config():
    assert summary_choice(None, Settings(summary_method="lexrank", summary_length=5)) == ("lexrank", 5)


def test_no_settings_takes_the_defaults():
    assert summary_choice(None, None) == ("default", 3)


def test_the_articles_choice_wins():
    view = SimpleNamespace(summary=("lsa", 7))
    assert summary_choice(view, Settings(summary_method="lexrank", summary_length=5)) == ("lsa", 7)


def test_a_view_without_a_choice_takes_the_config():
    assert summary_choice(SimpleNamespace(summary=None), Settings(summary_method="lead", summary_length=2)) == ("lead", 2)
    assert summary_choice(SimpleNamespace(), Settings(summary_method="lead", summary_length=2)) == ("lead", 2)


def test_unknown_or_out_of_bounds_parts_fall_back_one_by_one():
    settings = Settings(summary_method="lead", summary_length=2)
    assert summary_choice(SimpleNamespace(summary=("no-such", 6)), settings) == ("lead", 6)
    assert summary_choice(SimpleNamespace(summary=("lsa", 99)), settings) == ("lsa", 2)
    assert summary_choice(SimpleNamespace(summary=("lsa", True)), settings) == ("lsa", 2)
    assert summary_choice(SimpleNamespace(summary=(None, 4)), settings) == ("lead", 4)


def test_a_bad_config_falls_back_to_the_defaults():
    assert summary_choice(None, Settings(summary_method="bogus", summary_length=0)) == ("default", 3)
