"""Keywords (and the tags suggested from them) depend on the title as well as the
body: two wire copies with one body and two headlines must not share them."""

from __future__ import annotations

from briefing.corpus import open_corpus
from briefing.stories.keywords import document_stats, keywords_for

BODY = """The talks in the capital ran late into the night, officials said on Friday. \
Delegations discussed grain exports, energy supplies and the repair of damaged ports along the coast.

Negotiators agreed to meet again next week. The ministers said the shipping corridor would stay \
open while the talks continue, and insurers were told to expect new guarantees.
"""
TITLE_A = "Zelensky hails Odesa grain corridor deal"
TITLE_B = "Orban blocks Brussels shipping guarantees"


def two_copies(root):
    root.mkdir(exist_ok=True)
    (root / "a.txt").write_text(f"{TITLE_A}\n\n{BODY}", encoding="utf-8")
    (root / "b.txt").write_text(f"{TITLE_B}\n\n{BODY}", encoding="utf-8")
    (root / "c.txt").write_text(f"{TITLE_A}\n\n{BODY}", encoding="utf-8")  # an exact copy of a
    corpus = open_corpus(root)
    return corpus, {m.id: corpus.article(m.id) for m in corpus.articles}


def test_copies_with_one_body_and_two_headlines_get_their_own_keywords(tmp_path):
    from briefing.stories.keywords import keywords_key

    corpus, arts = two_copies(tmp_path / "corpus")
    a, b, c = arts["a.txt"], arts["b.txt"], arts["c.txt"]
    assert a.fingerprint == b.fingerprint  # one body: a cache by fingerprint mixes them up
    stats = document_stats(corpus)
    ka, kb = keywords_for(a, stats), keywords_for(b, stats)
    assert {"hails", "odesa"} <= {k.key for k in ka} and {"orban", "brussels"} <= {k.key for k in kb}
    assert keywords_key(a) != keywords_key(b)  # they differ: so must the cache key
    assert keywords_key(a) == keywords_key(c)  # same title and body: one entry


def test_the_analysts_language_is_part_of_the_key(tmp_path):
    # the language's stopwords leave the keywords: a cache by title and body alone
    # would keep showing the keywords of the detected language after an override
    from dataclasses import replace

    from briefing.stories.keywords import keywords_key

    _, arts = two_copies(tmp_path / "corpus")
    a = arts["a.txt"]
    overridden = replace(a, meta=replace(a.meta, lang="de" if a.meta.lang != "de" else "fr"))
    assert keywords_key(a) != keywords_key(overridden)
