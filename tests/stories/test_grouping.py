"""Grouping near-duplicates into stories: the sample corpus, same-topic articles,
chaining, the date window, the threshold from the config, determinism."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import numpy as np
import pytest

from briefing.index import open_index
from briefing.stories import Stories, group_signatures, group_stories
from briefing.stories.cluster import NO_DATE
from briefing.stories.signature import BINS, Signer, signature_rows
from tests.stories.story_texts import (
    GRID_APRIL,
    GRID_MARCH,
    GRID_MARCH_REWRITE,
    ORIGINAL,
    REWRITE,
    copy_seeds,
    sentences_text,
    write,
)


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    for var in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"BRIEFING_{var}_DIR", str(tmp_path / f"_{var.lower()}"))


def members(stories: Stories) -> list[tuple[str, ...]]:
    return [story.members for story in stories.stories]


def test_sample_corpus_has_one_story_002_003(tmp_path):
    root = copy_seeds(tmp_path / "seeds")
    stories = group_stories(open_index(root))
    assert members(stories) == [(REWRITE, ORIGINAL)]
    story = stories.stories[0]
    assert story.id == REWRITE  # both undated: the smaller id leads
    assert stories.story_of(ORIGINAL) is story and stories.story_of(REWRITE) is story
    for other in ("000_c25f74af4bc17e80.txt", "001_91c4a80b16629b6a.txt", "004_6814731f4ee210d7.txt"):
        assert stories.story_of(other) is None  # singletons are not stories
    assert stories.grouped == 2 and stories.sizes == [2]
    assert story.scores[0] == 1.0 and 0.2 <= story.scores[1] < 0.5


def test_two_grid_strikes_on_different_days_stay_apart_and_a_rewrite_joins(tmp_path):
    root = tmp_path / "c"
    write(root, "kyiv/2024-03-22-strike.txt", GRID_MARCH)
    write(root, "kyiv/2024-04-11-strike.txt", GRID_APRIL)  # near-identical headline, other event
    write(root, "wire/2024-03-23-rewrite.txt", GRID_MARCH_REWRITE)
    for window in (7, 0):  # apart by their text, not only by the date window
        stories = group_stories(open_index(root), window_days=window)
        assert members(stories) == [("kyiv/2024-03-22-strike.txt", "wire/2024-03-23-rewrite.txt")]
        assert stories.story_of("kyiv/2024-04-11-strike.txt") is None


def test_titles_alone_never_merge(tmp_path):
    root = tmp_path / "c"
    title = "Russia strikes Ukraine's power grid in massive overnight attack"
    write(root, "a.txt", sentences_text(0, 8, title=title))
    write(root, "b.txt", sentences_text(100, 8, title=title))
    assert group_stories(open_index(root), threshold=0.05).stories == []


def test_no_chaining_through_a_middle_article(tmp_path):
    root = tmp_path / "c"
    write(root, "a.txt", sentences_text(0, 10))  # a and b share 5 sentences,
    write(root, "b.txt", sentences_text(5, 10))  # b and c share 5,
    write(root, "c.txt", sentences_text(10, 10))  # a and c none
    signer = Signer()
    sigs, _ = signer.sign_many([sentences_text(0, 10), sentences_text(5, 10), sentences_text(10, 10)])
    assert (sigs[1] == sigs[2]).mean() >= 0.2 and (sigs[0] == sigs[1]).mean() >= 0.2  # a real chain
    stories = group_stories(open_index(root), threshold=0.2)
    assert members(stories) == [("a.txt", "b.txt")]
    assert stories.story_of("c.txt") is None


def test_lead_is_the_oldest_member_and_members_are_in_date_order(tmp_path):
    root = tmp_path / "c"
    write(root, "z-first.txt", sentences_text(0, 12, date="2024-01-01"))
    write(root, "a-second.txt", sentences_text(0, 11, date="2024-01-03"))
    write(root, "m-undated.txt", sentences_text(1, 11))
    write(root, "b-second.txt", sentences_text(0, 12, date="2024-01-03"))
    stories = group_stories(open_index(root))
    assert members(stories) == [("z-first.txt", "a-second.txt", "b-second.txt", "m-undated.txt")]
    assert stories.stories[0].id == "z-first.txt"


def test_date_window_keeps_a_copy_a_month_later_apart(tmp_path):
    root = tmp_path / "c"
    write(root, "jan.txt", sentences_text(0, 12, date="2024-01-01"))
    write(root, "jan-copy.txt", sentences_text(0, 12, date="2024-01-08"))  # 7 days: in
    write(root, "feb-copy.txt", sentences_text(0, 12, date="2024-02-01"))  # 31 days: out
    write(root, "feb-copy2.txt", sentences_text(0, 11, date="2024-02-02"))
    index = open_index(root)
    assert members(group_stories(index, window_days=7)) == [
        ("feb-copy.txt", "feb-copy2.txt"),  # the newest story first, as the list meets it
        ("jan.txt", "jan-copy.txt"),
    ]
    assert members(group_stories(index, window_days=0)) == [("jan.txt", "jan-copy.txt", "feb-copy.txt", "feb-copy2.txt")]


def test_threshold_and_window_come_from_the_config(tmp_path, monkeypatch):
    root = copy_seeds(tmp_path / "seeds")
    index = open_index(root)
    config = tmp_path / "_config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.yaml").write_text("story_threshold: 0.6\nstory_window_days: 3\n", encoding="utf-8")
    stories = group_stories(index)
    assert (stories.threshold, stories.window_days) == (0.6, 3)
    assert stories.stories == []  # 002/003 are about 0.25 alike
    assert members(group_stories(index, threshold=0.2)) == [(REWRITE, ORIGINAL)]  # an argument wins
    (config / "config.yaml").write_text("story_threshold: 0.15\n", encoding="utf-8")
    assert members(group_stories(index)) == [(REWRITE, ORIGINAL)]


def test_config_rejects_bad_story_settings(tmp_path):
    from briefing.config import DEFAULT_STORY_THRESHOLD, DEFAULT_STORY_WINDOW, load_settings

    path = tmp_path / "config.yaml"
    path.write_text("story_threshold: 1.5\nstory_window_days: -2\n", encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.settings.story_threshold == DEFAULT_STORY_THRESHOLD
    assert loaded.settings.story_window_days == DEFAULT_STORY_WINDOW
    assert any("story_threshold" in p for p in loaded.problems)
    assert any("story_window_days" in p for p in loaded.problems)
    path.write_text("story_threshold: nan\nstory_window_days: 0\n", encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.settings.story_threshold == DEFAULT_STORY_THRESHOLD and loaded.settings.story_window_days == 0
    path.write_text('story_threshold: "0.35"\n', encoding="utf-8")
    assert load_settings(path).settings.story_threshold == 0.35


def test_bad_threshold_argument_is_refused(tmp_path):
    root = copy_seeds(tmp_path / "seeds")
    with pytest.raises(ValueError, match="threshold"):
        group_stories(open_index(root), threshold=0.0)
    with pytest.raises(ValueError, match="window"):
        group_stories(open_index(root), threshold=0.2, window_days=-1)


def test_signatures_are_the_same_in_another_process():
    text = sentences_text(0, 6) + "\nÜber 70 Raketen, café naïve résumé: 1,000 tower blocks.\n"
    here = signature_rows(Signer().sign_many([text])[0])[0].hex()
    code = (
        "import sys; from briefing.stories.signature import Signer, signature_rows;"
        "print(signature_rows(Signer().sign_many([sys.stdin.read()])[0])[0].hex())"
    )
    for seed in ("1", "2"):
        there = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True,
                               env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}).stdout.strip()
        assert there == here


def test_reordered_sentences_give_the_same_signature_and_numbers_count():
    signer = Signer()
    a = "The grid lost 70 megawatts. Repairs began at dawn in Kyiv. Officials asked for calm."
    b = "Officials asked for calm. The grid lost 70 megawatts. Repairs began at dawn in Kyiv."
    c = "The grid lost 700 megawatts. Repairs began at dawn in Kyiv. Officials asked for calm."
    sigs, sizes = signer.sign_many([a, b, c])
    assert (sigs[0] == sigs[1]).all()
    assert not (sigs[0] == sigs[2]).all()
    assert list(sizes) == [len(signer.features(a))] * 3


def test_group_signatures_on_arrays_is_order_stable():
    signer = Signer()
    texts = [sentences_text(0, 10), sentences_text(1, 10), sentences_text(50, 10), sentences_text(51, 10), "", "!!!"]
    sigs, sizes = signer.sign_many(texts)
    assert list(sizes[4:]) == [0, 0]  # no words: never grouped
    days = np.full(len(texts), NO_DATE, dtype=np.int64)
    first = group_signatures(sigs, sizes, days, 0.2, 0)
    assert first == [[0, 1], [2, 3]]
    assert group_signatures(sigs, sizes, days, 0.2, 0) == first
    days[0], days[1] = dt.date(2024, 1, 1).toordinal(), dt.date(2024, 3, 1).toordinal()
    assert group_signatures(sigs, sizes, days, 0.2, 7) == [[2, 3]]
    assert sigs.shape == (len(texts), BINS)


def test_grouping_core_never_imports_textual():
    code = (
        "import sys, briefing.stories, briefing.stories.workers, briefing.stories.render;"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def _reference_shingles(text: str, k: int = 3) -> set[tuple[str, ...]]:
    """The documented features, by plain regular expressions (an independent reading
    of the rules): sentences end at .!? before white space (closing punctuation may
    come between) and at line breaks; words are runs of \\w."""
    import re

    found: set[tuple[str, ...]] = set()
    for sentence in re.split(r"(?<=[.!?])(?=[^\w\s]{0,8}(?:\s|$))|\n", text.lower()):
        words = re.findall(r"\w+", sentence)
        if words:
            found |= {tuple(words)} if len(words) < k else {tuple(words[i : i + k]) for i in range(len(words) - k + 1)}
    return found


REFERENCE_TEXTS = [
    GRID_MARCH,
    GRID_APRIL,
    GRID_MARCH_REWRITE,
    sentences_text(0, 5),
    'He said: “It is over.” Then he left! Did he? Yes... "Quite." (Really.) U.S. 3.5% of 1,000 km.',
    "Über 70 Raketen — café naïve résumé:\u00a01\u2009000 Häuser. Ukraine’s grid; Kyiv's mayor_2 said so.\n\nNext line",
    "one two. three\nfour five six seven",
    "x",
    "",
]


def test_features_agree_with_a_plain_regex_reading_of_the_rules():
    signer = Signer()
    feats = [signer.features(text) for text in REFERENCE_TEXTS]
    refs = [_reference_shingles(text) for text in REFERENCE_TEXTS]
    assert [len(f) for f in feats] == [len(r) for r in refs]
    for i in range(len(feats)):
        for j in range(i + 1, len(feats)):
            shared = len(np.intersect1d(feats[i], feats[j]))
            assert shared == len(refs[i] & refs[j]), (i, j)


def test_curly_and_straight_quotes_sign_alike():
    signer = Signer()
    curly = "Zelensky said Russia was “choosing terror and escalation” rather than diplomacy. Ukraine’s air force said so."
    straight = "Zelensky said Russia was \"choosing terror and escalation\" rather than diplomacy. Ukraine's air force said so."
    sigs, _ = signer.sign_many([curly, straight])
    assert (sigs[0] == sigs[1]).all()


def test_a_text_longer_than_a_batch_is_hashed_alike(monkeypatch):
    from briefing.stories import signature

    text = " ".join(REFERENCE_TEXTS[:5]) * 20
    expected = Signer().features(text)
    expected_sigs, _ = Signer().sign_many([text, GRID_APRIL, text[:500]])
    monkeypatch.setattr(signature, "BATCH_BYTES", 600)  # the long-text path, and one batch per text
    assert np.array_equal(Signer().features(text), expected)
    assert (Signer().sign_many([text, GRID_APRIL, text[:500]])[0] == expected_sigs).all()
