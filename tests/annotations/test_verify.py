"""Issue 20: a large annotation file never seen before (a fresh clone) opens in the reader
at once, unverified, and is parsed whole in the background; nothing is written before
that check passed, and a broken file ends exactly as a whole parse at open says."""

from __future__ import annotations

import threading

import pytest

from briefing.annotations import AnnotationStore, indexed, verify, yamlio
from briefing.annotations.savequeue import SaveQueue
from briefing.annotations.schema import AnnotationDoc, ArticleNotes

N = indexed.LAZY_MIN + 10


def make_bytes() -> bytes:
    entries = {
        f"{i:05}.txt": ArticleNotes(
            fingerprint=f"sha256:{i:064x}", read=i % 3 == 0, tags=("energy", f"t{i % 40}"),
            title=f"Title {i}" if i % 11 == 0 else None,
        )
        for i in range(N)
    }
    return yamlio.dumps_bytes(AnnotationDoc(entries))


@pytest.fixture
def gated(monkeypatch):
    """The background check waits for ``gate.set()`` before it runs."""
    gate = threading.Event()
    real = verify.run_check

    def run(data: bytes):
        assert gate.wait(30)
        return real(data)

    monkeypatch.setattr(verify, "run_check", run)
    return gate


def whole_parses(parsed: list[int], data: bytes) -> int:
    return sum(1 for size in parsed if size > len(data) // 2)


def test_a_valid_file_opens_without_the_whole_parse_and_is_kept_once_checked(corpus_dir, parsed):
    data = make_bytes()
    path = corpus_dir / "annotations.yaml"
    path.write_bytes(data)
    store = AnnotationStore.open(corpus_dir, check_later=True)
    assert store.checking and not store.read_only
    assert store.get("00003.txt").tags == ("energy", "t3")
    assert "00003.txt" in store.ids_with("read") and "00004.txt" not in store.ids_with("read")
    assert store.corrections("00011.txt")[0] == "Title 11"
    assert store.wait_checked(60) == []
    assert not store.checking and not store.read_only
    assert whole_parses(parsed, data) == 0  # the whole parse ran in the child process
    parsed.clear()
    again = AnnotationStore.open(corpus_dir, check_later=True)  # the kept index: no check, no parse
    assert not again.checking and whole_parses(parsed, data) == 0
    assert again.get("00003.txt").tags == ("energy", "t3")


def test_the_cli_open_checks_at_once(corpus_dir, parsed):
    # What the writer made is recognised without a parse (annotations.fastcheck); a
    # valid file outside that (a hand edit: a comment among the entries) is parsed
    # whole; neither is left to a check later.
    data = make_bytes()
    (corpus_dir / "annotations.yaml").write_bytes(data)
    store = AnnotationStore.open(corpus_dir)
    assert not store.checking and whole_parses(parsed, data) == 0
    assert store.get("00003.txt").tags == ("energy", "t3")
    parsed.clear()
    edited = data.replace(b'  "00005.txt":\n', b'  # looked at again\n  "00005.txt":\n')
    (corpus_dir / "annotations.yaml").write_bytes(edited)
    store = AnnotationStore.open(corpus_dir)
    assert not store.checking and whole_parses(parsed, edited) == 1
    assert store.get("00003.txt").tags == ("energy", "t3")


# A broken entry deep in the file: (text replaced, its replacement).
BROKEN = {
    "bad yaml": (b'  "02000.txt":\n', b'  "02000.txt":\n    tags: ["a", \n'),
    "bad date": (b'  "02001.txt":\n', b'  "02001.txt":\n    date: "2024-13-45"\n'),
    "hostile tag": (b'  "02002.txt":\n', b'  "02002.txt":\n    note: !!python/object:os.system "x"\n'),
}


# The child process is the usual way; the in-process fallback once.
@pytest.mark.parametrize(("kind", "child"), [("bad date", False), *((k, True) for k in sorted(BROKEN))])
def test_a_broken_entry_is_reported_as_a_whole_parse_says_and_nothing_is_written(corpus_dir, gated, monkeypatch, kind, child):
    monkeypatch.setattr(verify, "USE_CHILD", child)
    old, new = BROKEN[kind]
    data = make_bytes()
    assert data.count(old) == 1
    data = data.replace(old, new)
    path = corpus_dir / "annotations.yaml"
    path.write_bytes(data)
    expected = AnnotationStore.open(corpus_dir).error  # the whole parse at open
    assert expected is not None and str(path) in expected and "line " in expected
    store = AnnotationStore.open(corpus_dir, check_later=True)
    assert store.checking and not store.read_only
    queue = SaveQueue(store, first_retry=0.01, max_retry=0.05)
    try:
        store.add_tags("00005.txt", ["asked-before-the-check"])  # returns at once; waits for the check
        assert queue.pending
        gated.set()
        assert store.wait_checked(60)[0].startswith(expected)
        assert not queue.flush(10)  # refused: the file is broken
    finally:
        queue.close(1.0)
    assert store.read_only and store.error == expected
    assert dict(store.document.articles) == {}  # what a broken file shows: no annotations
    assert path.read_bytes() == data


def test_an_entry_read_before_the_check_reports_its_file_and_line(corpus_dir, gated):
    old, new = BROKEN["bad date"]
    data = make_bytes().replace(old, new)
    path = corpus_dir / "annotations.yaml"
    path.write_bytes(data)
    expected = AnnotationStore.open(corpus_dir).error
    store = AnnotationStore.open(corpus_dir, check_later=True)
    assert store.get("02001.txt") == ArticleNotes()  # read as nothing, never raised
    assert store.read_only and store.error == expected
    gated.set()
    store.wait_checked(60)
    assert store.error == expected


def test_a_save_asked_for_before_a_passing_check_is_written_after_it(corpus_dir, gated):
    data = make_bytes()
    path = corpus_dir / "annotations.yaml"
    path.write_bytes(data)
    store = AnnotationStore.open(corpus_dir, check_later=True)
    queue = SaveQueue(store)
    try:
        store.add_tags("00007.txt", ["kept"])
        assert queue.pending and path.read_bytes() == data
        gated.set()
        assert queue.flush(60)
    finally:
        queue.close()
    assert store.wait_checked(1) == [] and not store.read_only
    assert "kept" in AnnotationStore.open(corpus_dir).get("00007.txt").tags


def test_a_synchronous_save_waits_for_the_check(corpus_dir, monkeypatch):
    monkeypatch.setattr(verify, "USE_CHILD", False)
    (corpus_dir / "annotations.yaml").write_bytes(make_bytes())
    store = AnnotationStore.open(corpus_dir, check_later=True)
    store.add_tags("00008.txt", ["sync"])
    assert not store.checking
    assert "sync" in AnnotationStore.open(corpus_dir).get("00008.txt").tags


def test_ids_out_of_order_are_not_opened_lazily(corpus_dir, parsed):
    data = make_bytes()
    a, b = b'  "00100.txt":\n', b'  "00101.txt":\n'
    start_a, start_b = data.index(a), data.index(b)
    end_b = data.index(b'  "00102.txt":\n')
    swapped = data[:start_a] + data[start_b:end_b] + data[start_a:start_b] + data[end_b:]
    (corpus_dir / "annotations.yaml").write_bytes(swapped)
    store = AnnotationStore.open(corpus_dir, check_later=True)
    assert not store.checking and not store.read_only
    assert whole_parses(parsed, swapped) == 1
    assert store.get("00100.txt").tags == ("energy", "t20")


def test_a_valid_file_not_as_the_writer_makes_it_is_read_as_the_whole_parse_reads_it(corpus_dir, monkeypatch):
    monkeypatch.setattr(verify, "USE_CHILD", False)
    data = make_bytes()
    old = b'  "00004.txt":\n'
    edited = data.replace(old, old + b"    read: false\n")  # valid; the writer leaves it out
    path = corpus_dir / "annotations.yaml"
    path.write_bytes(edited)
    store = AnnotationStore.open(corpus_dir, check_later=True)
    assert store.checking
    assert "00004.txt" not in store.ids_with("read")  # only "read: true" counts, before the check too
    assert "00003.txt" in store.ids_with("read")
    assert store.wait_checked(60) == [] and not store.read_only
    assert "00004.txt" not in store.ids_with("read")
    store.add_tags("00004.txt", ["after"])
    assert path.read_bytes() == yamlio.dumps_bytes(yamlio.load(path.read_bytes()))  # canonical once saved


def test_a_file_changed_by_another_program_during_the_check_is_merged_after_it(corpus_dir, monkeypatch):
    monkeypatch.setattr(verify, "USE_CHILD", False)
    data = make_bytes()
    path = corpus_dir / "annotations.yaml"
    path.write_bytes(data)
    store = AnnotationStore.open(corpus_dir, check_later=True)
    theirs = yamlio.load(data)
    changed = theirs.updated({"00009.txt": ArticleNotes(tags=("from-a-pull",))})
    path.write_bytes(yamlio.dumps_bytes(changed))
    messages = store.reload()
    assert not store.checking and not store.read_only
    assert any("another program" in m for m in messages)
    assert store.get("00009.txt").tags == ("from-a-pull",)


def test_a_broken_file_fixed_during_the_check_is_read_again(corpus_dir, monkeypatch):
    monkeypatch.setattr(verify, "USE_CHILD", False)
    good = make_bytes()
    old, new = BROKEN["bad yaml"]
    path = corpus_dir / "annotations.yaml"
    path.write_bytes(good.replace(old, new))
    store = AnnotationStore.open(corpus_dir, check_later=True)
    path.write_bytes(good)
    messages = store.reload()
    assert messages[0].startswith(f"{path}: line ") and "were not saved" in messages[0]
    assert messages[-1] == f"{path} can be read again; annotations can be changed"
    assert not store.read_only and store.get("00003.txt").tags == ("energy", "t3")


def test_tag_counts_asked_for_during_the_check_wait_for_it_and_parse_nothing_here(corpus_dir, parsed, gated):
    data = make_bytes()
    (corpus_dir / "annotations.yaml").write_bytes(data)
    store = AnnotationStore.open(corpus_dir, check_later=True)
    assert store.checking
    counted: list[dict[str, int]] = []
    worker = threading.Thread(target=lambda: counted.append(store.tag_counts([])))  # as the reader's worker asks
    worker.start()
    gated.set()
    worker.join(60)
    assert counted and counted[0]["energy"] == N and counted[0]["t7"] == len(range(7, N, 40))
    assert whole_parses(parsed, data) == 0  # read from the bytes once checked (the whole parse: the child's)


def test_a_worker_awaiting_the_check_resumes_once_it_passed_with_the_index_trusted(corpus_dir, gated):
    (corpus_dir / "annotations.yaml").write_bytes(make_bytes())
    store = AnnotationStore.open(corpus_dir, check_later=True)
    index = store.document.articles.index
    assert not index.verified
    seen: list[bool] = []
    worker = threading.Thread(target=lambda: (index.await_check(), seen.append(index.verified)))  # a search's worker
    worker.start()
    gated.set()
    worker.join(60)
    assert seen == [True]
