"""Markdown front matter: good, broken, hostile."""

from __future__ import annotations

import datetime as dt

from .helpers import load, load_one, write

GOOD = """---
title: "Grid under attack: [bold]not markup[/]"
date: 2025-03-14
author: Jane Doe
source: Example Times
tags: [energy, kyiv, no, 1e3]
---

# Ignored heading? No: a heading that repeats nothing

Body paragraph one.
"""


def test_good_front_matter_fills_the_metadata(tmp_path):
    a = load_one(tmp_path, "a.md", GOOD)
    m = a.meta
    assert m.title == "Grid under attack: [bold]not markup[/]" and not m.title_derived
    assert m.date == dt.date(2025, 3, 14)
    assert (m.author, m.source) == ("Jane Doe", "Example Times")
    assert m.tags == ("energy", "kyiv", "no", "1e3")  # tags stay the text typed
    assert "---" not in a.body and "title:" not in a.body
    assert a.body.endswith("Body paragraph one.")
    assert m.warnings == ()


def test_front_matter_tags_as_a_string_and_authors_as_a_list(tmp_path):
    text = "---\ntitle: T\ntags: energy, grid , energy\nauthors: [Ann Lee, Bo Park]\ndate: 'March 3, 2025'\n---\nBody.\n"
    m = load_one(tmp_path, "a.md", text).meta
    assert m.tags == ("energy", "grid")
    assert m.author == "Ann Lee, Bo Park"
    assert m.date == dt.date(2025, 3, 3)


def test_broken_front_matter_is_a_warning_not_a_crash(tmp_path):
    text = "---\ntitle: [unclosed\ndate: : :\n---\nHeadline in the text\n\nBody paragraph.\n"
    a = load_one(tmp_path, "a.md", text)
    assert a.title == "Headline in the text"
    assert a.body == "Body paragraph."
    assert len(a.meta.warnings) == 1 and a.meta.warnings[0].startswith("front matter could not be read")


def test_hostile_python_tag_is_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "pwned"
    text = (
        "---\n"
        f"title: !!python/object/apply:os.system ['touch {marker}']\n"
        "tags: !!python/object/new:builtins.list [[a]]\n"
        "---\nHeadline\n\nBody paragraph.\n"
    )
    a = load_one(tmp_path, "evil.md", text)
    assert not marker.exists()
    assert a.title == "Headline" and a.meta.tags == ()
    assert any("python/object" in w for w in a.meta.warnings)


def test_front_matter_that_is_not_a_mapping(tmp_path):
    a = load_one(tmp_path, "a.md", "---\n- just\n- a list\n---\nHeadline\n\nBody.\n")
    assert a.meta.warnings == ("front matter is not a mapping of fields; ignored",)
    assert a.body == "Body."


def test_unclosed_front_matter_is_just_text(tmp_path):
    a = load_one(tmp_path, "a.md", "---\ntitle: x\n\nBody without a closing fence.\n")
    assert "Body without a closing fence." in a.body


def test_front_matter_with_control_bytes_is_cleaned(tmp_path):
    text = '---\ntitle: "Evil \\e]0;x\\a title"\nauthor: "A\\u202eB"\n---\nBody.\n'
    m = load_one(tmp_path, "a.md", text).meta
    assert "\x1b" not in m.title and "\x07" not in m.title and "\u202e" not in m.author


def test_a_bad_front_matter_file_does_not_stop_the_load(tmp_path):
    write(tmp_path, "bad.md", "---\n!!python/object:os.system\n---\nHeadline\n\nBody.\n")
    write(tmp_path, "good.md", GOOD)
    corpus = load(tmp_path)
    assert sorted(m.id for m in corpus.articles) == ["bad.md", "good.md"]
