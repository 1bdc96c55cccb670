"""Grouping built for a million articles (issue 20) gives the stories of the plain
rules: against a brute-force grouping on generated signatures; the index and the
metas read alike; the quick read back; signatures of the first story schema kept."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.corpus import open_corpus
from briefing.index import cache_path, open_index
from briefing.stories import cluster, group_signatures, group_stories
from briefing.stories import columns as story_columns
from briefing.stories import group as story_group
from briefing.stories.cluster import NO_DATE
from briefing.stories.signature import BINS, PARAMS, Signer
from briefing.stories.store import fingerprint_key, fingerprint_keys
from tests.stories.story_texts import sentences_text, write


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    for var in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"BRIEFING_{var}_DIR", str(tmp_path / f"_{var.lower()}"))


# -- the rules, written out plainly: every pair compared, one lead at a time -------------


def brute_force(sigs: np.ndarray, days: np.ndarray, threshold: float, window: int) -> list[list[int]]:
    n = len(sigs)
    sim = (sigs[:, None, :] == sigs[None, :, :]).sum(axis=2) / sigs.shape[1]
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if sim[i, j] >= np.float32(threshold):
                parent[max(root(i), root(j))] = min(root(i), root(j))
    components: dict[int, list[int]] = {}
    for i in range(n):
        components.setdefault(root(i), []).append(i)
    stories = []
    for members in components.values():
        # story order: oldest first, undated last, then row
        members.sort(key=lambda i: (days[i] == NO_DATE, days[i], i))
        placed: set[int] = set()
        for lead in members:
            if lead in placed:
                continue
            placed.add(lead)
            joined = [m for m in members if m not in placed and sim[lead, m] >= np.float32(threshold)
                      and (window == 0 or days[lead] == NO_DATE or days[m] == NO_DATE
                           or abs(int(days[m]) - int(days[lead])) <= window)]
            placed.update(joined)
            if joined:
                stories.append([lead, *joined])
    return stories


def variants(rng: np.random.Generator, bases: int, per_base: int) -> np.ndarray:
    """Signatures in families: each base random; its variants copies (the same class),
    or with a run of bins replaced (near-copies, and chains of them: a~b, b~c, a!~c)."""
    rows = []
    for _ in range(bases):
        base = rng.integers(0, 1 << 16, BINS, dtype=np.uint16)
        current = base
        for _ in range(per_base):
            kind = rng.integers(0, 3)
            if kind == 0:
                rows.append(current.copy())  # an exact copy
            else:
                changed = current.copy()
                start = int(rng.integers(0, BINS - 40))
                changed[start : start + int(rng.integers(10, 45))] = rng.integers(0, 1 << 16, 1, dtype=np.uint16)
                rows.append(changed)
                if kind == 2:
                    current = changed  # the next variant drifts further: a chain
    return np.array(rows, dtype=np.uint16)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), bases=st.integers(1, 6), per_base=st.integers(1, 8),
       threshold=st.sampled_from([0.5, 0.6, 0.75]), window=st.sampled_from([0, 3, 30]),
       dated=st.floats(0.0, 1.0))
def test_grouping_equals_the_rules_applied_by_brute_force(seed, bases, per_base, threshold, window, dated):
    rng = np.random.default_rng(seed)
    sigs = variants(rng, bases, per_base)
    order = rng.permutation(len(sigs))  # families interleaved
    sigs = sigs[order]
    days = np.where(rng.random(len(sigs)) < dated, 738000 + rng.integers(0, 40, len(sigs)), NO_DATE).astype(np.int64)
    sizes = np.full(len(sigs), 50, dtype=np.int64)
    # Similar pairs agree on at least 83 of 128 bins: LSH misses one with probability
    # below 1e-12, so the candidates are every pair that can pass.
    assert sorted(group_signatures(sigs, sizes, days, threshold, window)) == sorted(brute_force(sigs, days, threshold, window))


def test_big_components_take_the_same_stars_as_one_lead_at_a_time(monkeypatch):
    rng = np.random.default_rng(5)
    sigs = variants(rng, 4, 12)
    days = np.where(rng.random(len(sigs)) < 0.7, 738000 + rng.integers(0, 20, len(sigs)), NO_DATE).astype(np.int64)
    expected = sorted(brute_force(sigs, days, 0.5, 7))
    assert sorted(cluster.group(sigs, days, 0.5, 7)) == expected
    # In a component over BIG_COMPONENT only the classes verified against the lead's are
    # compared with it; with families whose every similar pair LSH verifies, the same stars.
    monkeypatch.setattr(cluster, "BIG_COMPONENT", 3)
    assert sorted(cluster.group(sigs, days, 0.5, 7)) == expected


def test_signature_classes_equal_a_sort_of_whole_rows_even_when_hashes_collide(monkeypatch):
    rng = np.random.default_rng(3)
    sigs = rng.integers(0, 4, (50, BINS), dtype=np.uint16)[rng.integers(0, 50, 400)]
    expected = cluster._classes_by_rows(sigs)
    got = cluster.signature_classes(sigs)
    assert all(np.array_equal(a, b) for a, b in zip(got, expected, strict=True))
    monkeypatch.setattr(cluster, "row_hashes", lambda rows: np.zeros(len(rows), dtype=np.uint64))  # all collide
    got = cluster.signature_classes(sigs)
    assert all(np.array_equal(a, b) for a, b in zip(got, expected, strict=True))


def test_fingerprint_keys_in_bulk_equal_one_at_a_time():
    fps = [f"sha256:{k:064x}" for k in (0, 1, 2**64 - 1, 2**70 + 5)]
    odd = [*fps, "sha256:" + "z" * 64, "md5:abc", "sha256:" + "A" * 64]
    for batch in (fps, odd, []):
        assert fingerprint_keys(batch).tolist() == [fingerprint_key(fp) for fp in batch]
    assert fingerprint_key(fps[2]) == 2**64 - 1


# -- the corpus: columns from the index or from the metas ---------------------------------


def corpus_with_stories(root):
    for k in range(4):
        write(root, f"s{k}/a.txt", sentences_text(100 * k, 10, date=f"2024-02-{10 + k:02d}"))
        write(root, f"s{k}/b.txt", sentences_text(100 * k + 1, 10, date=f"2024-02-{10 + k:02d}"))
        write(root, f"s{k}/c.txt", sentences_text(100 * k + 1, 10))  # undated: joins any date
    write(root, "loner.txt", sentences_text(5000, 9))
    return root


def test_index_columns_and_metas_columns_read_alike(tmp_path):
    root = corpus_with_stories(tmp_path / "c")
    indexed = open_index(root)
    header = b"h"
    conn = sqlite3.connect(cache_path(root))
    from_index = story_columns.columns(indexed, conn, header)
    from_metas = story_columns.columns(open_corpus(root), None, header)
    assert from_index.quick is None  # freshly written files are racy: no record of the walk
    assert list(from_index.ids.take(range(len(from_index)))) == sorted(m.id for m in indexed.articles)
    assert from_index.ids.take(range(len(from_index))) == from_metas.ids.take(range(len(from_metas)))
    assert from_index.keys.tolist() == from_metas.keys.tolist()
    assert from_index.days.tolist() == from_metas.days.tolist()
    assert from_index.digest.hexdigest() == from_metas.digest.hexdigest()
    k = from_index.ids.take(range(len(from_index))).index("s1/b.txt")
    assert from_index.path_of(k) == from_metas.path_of(k) == str(root / "s1" / "b.txt")
    conn.close()
    # And the grouping of the one is read back by the other.
    first = group_stories(indexed)
    assert not first.stats.from_cache and len(first) == 4
    assert all(story.members[-1].endswith("c.txt") for story in first)  # undated last
    back = group_stories(open_corpus(root))
    assert [s.members for s in back] == [s.members for s in first] and [s.scores for s in back] == [s.scores for s in first]


def test_read_back_under_the_index_walk_record_reads_no_article(tmp_path, monkeypatch):
    root = corpus_with_stories(tmp_path / "c")
    corpus = open_index(root)  # (no refresh between the groupings below: one open)
    conn = sqlite3.connect(cache_path(root))
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('scan', 'walk-1')")  # as a settled refresh leaves it
    conn.commit()
    first = group_stories(corpus)
    calls = []
    real = story_columns.columns
    monkeypatch.setattr(story_group, "columns", lambda *a: calls.append(1) or real(*a))
    again = group_stories(corpus)
    assert again.stats.from_cache and calls == [] and [s.members for s in again] == [s.members for s in first]
    assert [s.scores for s in again] == [s.scores for s in first]
    # Another walk record (the index changed, or only its files' stats did): every
    # article is read to tell; unchanged, so read back, and the new record kept.
    conn.execute("UPDATE meta SET value = 'walk-2' WHERE key = 'scan'")
    conn.commit()
    again = group_stories(corpus)
    assert again.stats.from_cache and calls == [1]
    again = group_stories(corpus)
    assert again.stats.from_cache and calls == [1]
    # Other settings are another key: regrouped.
    assert not group_stories(corpus, threshold=0.3).stats.from_cache
    conn.close()
    # An edited article: the index's refresh replaces or clears the record; regrouped.
    write(root, "s0/b.txt", sentences_text(7000, 10, date="2024-02-10"))
    changed = group_stories(open_index(root))
    assert not changed.stats.from_cache and changed.story_of("s0/b.txt") is None


def test_signatures_of_the_first_story_schema_are_kept(tmp_path):
    root = corpus_with_stories(tmp_path / "c")
    corpus = open_index(root)
    expected = group_stories(corpus, use_cache=False)
    signer = Signer()
    metas = list(corpus.articles)
    sigs, sizes = signer.sign_many([corpus.article(m.id).body for m in metas])
    conn = sqlite3.connect(cache_path(root))
    conn.executescript(
        "CREATE TABLE story_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
        "CREATE TABLE story_signatures(fingerprint TEXT PRIMARY KEY, size INTEGER NOT NULL, sig BLOB NOT NULL) WITHOUT ROWID;"
        "CREATE TABLE story_members(article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, position INTEGER NOT NULL,"
        " score REAL NOT NULL) WITHOUT ROWID;")
    conn.executemany("INSERT INTO story_meta VALUES (?, ?)", [("schema", "1"), ("params", PARAMS)])
    conn.executemany("INSERT OR REPLACE INTO story_signatures VALUES (?, ?, ?)",
                     [(m.fingerprint, int(size), sig.astype("<u2").tobytes()) for m, size, sig in zip(metas, sizes, sigs, strict=True)])
    conn.commit()
    conn.close()
    upgraded = group_stories(open_index(root))
    assert upgraded.stats.signed == 0 and upgraded.stats.reused == len(metas)
    assert [s.members for s in upgraded] == [s.members for s in expected]
    assert [s.scores for s in upgraded] == [s.scores for s in expected]
    conn = sqlite3.connect(cache_path(root))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'story_%' AND type = 'table'")}
    conn.close()
    assert tables == {"story_meta", "story_signatures", "story_groups"}


def test_group_of_and_members_answer_for_the_rows_asked(tmp_path):
    root = corpus_with_stories(tmp_path / "c")
    stories = group_stories(open_index(root))
    story = stories.story_of("s2/b.txt")
    assert story is not None and story.id == "s2/a.txt"
    assert stories.group_of(["loner.txt", "s2/b.txt", "s1/c.txt", "missing.txt"]) == {
        "s2/b.txt": story, "s1/c.txt": stories.story_of("s1/a.txt")}
    assert stories.members("s2/a.txt") == ("s2/a.txt", "s2/b.txt", "s2/c.txt")
    assert stories.members("s2/b.txt") == () and stories.members("loner.txt") == ()
