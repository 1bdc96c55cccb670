"""`briefing tag`, `note`, `read`, `unread`, `flag`, `dismiss` and the annotation side of
`briefing list` (`--status`, `--json`)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from briefing.annotations import AnnotationStore, yamlio
from briefing.cli import main
from briefing.resources import sample_corpus
from tests.seedfiles import copy_shared_seeds

FIRST = "000_c25f74af4bc17e80.txt"  # dated 2023-11-06 in the sample corpus
UNDATED = "001_91c4a80b16629b6a.txt"


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    copy_shared_seeds(root)
    for p in root.iterdir():
        p.chmod(0o644)
    (root / "fm.md").write_text(
        "---\ntitle: Front matter piece\ndate: 2021-05-04\ntags: [alpha, beta]\n---\n\nBody of the piece. It has words.\n",
        encoding="utf-8",
    )
    return root


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def listing(corpus, *args):
    result = run("list", "--corpus", corpus, "--json", *args)
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.stdout)}


def test_tag_adds_and_removes(corpus):
    result = run("tag", FIRST, "energy", "no,1e3", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{FIRST}: tags: 1e3, energy, no"
    assert AnnotationStore.open(corpus).get(FIRST).tags == ("1e3", "energy", "no")
    result = run("tag", FIRST, "energy", "--remove", "--corpus", corpus)
    assert result.exit_code == 0
    assert listing(corpus)[FIRST]["tags"] == ["1e3", "no"]


def test_a_tag_in_another_case_is_the_same_tag(corpus):
    assert run("tag", FIRST, "energy", "--corpus", corpus).exit_code == 0
    result = run("tag", FIRST, "Energy", "ENERGY", "grid", "GRID", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert AnnotationStore.open(corpus).get(FIRST).tags == ("energy", "grid")  # the first spelling stays
    # a file holding several spellings (written before, or by hand): one removal takes them all
    path = corpus / "annotations.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('      - "grid"\n', '      - "Grid"\n      - "grid"\n'), encoding="utf-8")
    assert AnnotationStore.open(corpus).get(FIRST).tags == ("energy", "Grid", "grid")
    result = run("tag", FIRST, "GRID", "--remove", "--corpus", corpus)
    assert result.exit_code == 0 and result.stdout.strip() == f"{FIRST}: tags: energy"


def test_a_line_break_inside_a_tag_is_stored_as_the_space_it_is_shown_as(corpus):
    result = run("tag", FIRST, "nl\nhere", "tab\tbed", "--corpus", corpus)
    assert result.exit_code == 0 and result.stdout.strip() == f"{FIRST}: tags: nl here, tab bed"
    assert AnnotationStore.open(corpus).get(FIRST).tags == ("nl here", "tab bed")
    assert [row for row in listing(corpus, "--tag", "nl here")] == [FIRST]
    # one stored with its break (an older file) is removed by the name shown
    path = corpus / "annotations.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"nl here"', '"nl\\nhere"'), encoding="utf-8")
    assert AnnotationStore.open(corpus).get(FIRST).tags == ("nl\nhere", "tab bed")
    result = run("tag", FIRST, "nl here", "--remove", "--corpus", corpus)
    assert result.exit_code == 0 and AnnotationStore.open(corpus).get(FIRST).tags == ("tab bed",)


def test_show_and_json_say_which_notes_and_comments_are_private(corpus):
    assert run("note", FIRST, "shared words", "--corpus", corpus).exit_code == 0
    assert run("note", FIRST, "my source is my cousin", "--private", "--corpus", corpus).exit_code == 0
    shown = run("show", FIRST, "--corpus", corpus)
    assert shown.exit_code == 0
    assert "Note: (private) my source is my cousin" in shown.stdout and "Note: shared words" in shown.stdout
    notes = {n["text"]: n for n in listing(corpus)[FIRST]["notes"]}
    assert notes["my source is my cousin"]["private"] is True and "private" not in notes["shared words"]


def test_front_matter_tags_are_listed_and_stay(corpus):
    assert listing(corpus)["fm.md"]["tags"] == ["alpha", "beta"]
    result = run("tag", "fm.md", "alpha", "--remove", "--corpus", corpus)
    assert result.exit_code == 0
    assert "front matter" in result.stderr
    assert listing(corpus)["fm.md"]["tags"] == ["alpha", "beta"]


def test_note_from_the_argument_and_from_stdin(corpus):
    assert run("note", FIRST, "first thought", "--corpus", corpus).exit_code == 0
    result = run("note", FIRST, "-", "--corpus", corpus, input="line one\nline two\n")
    assert result.exit_code == 0 and "2 notes" in result.stdout
    notes = listing(corpus)[FIRST]["notes"]
    assert [n["text"] for n in notes] == ["first thought", "line one\nline two\n"]
    assert all(n["at"].endswith("Z") for n in notes)


def test_flag_and_unflag(corpus):
    # Format version 2: `flag --off` leaves read/unread alone (version 1 made it read).
    assert run("flag", FIRST, "--corpus", corpus).exit_code == 0
    result = run("flag", FIRST, "--corpus", corpus)  # idempotent
    assert result.exit_code == 0 and "already flagged" in result.stdout
    assert listing(corpus)[FIRST]["flagged"] is True
    assert list(listing(corpus, "--status", "flagged")) == [FIRST]
    result = run("flag", FIRST, "--off", "--corpus", corpus)
    assert result.exit_code == 0 and "flag taken off" in result.stdout
    assert (listing(corpus)[FIRST]["flagged"], listing(corpus)[FIRST]["read"]) == (False, False)
    result = run("flag", FIRST, "--off", "--corpus", corpus)
    assert result.exit_code == 0 and "not flagged" in result.stdout


@pytest.mark.parametrize("command", [["tag", "nope.txt", "x"], ["note", "nope.txt", "x"], ["flag", "nope.txt"]])
def test_unknown_id_exits_2(corpus, command):
    result = run(*command, "--corpus", corpus)
    assert result.exit_code == 2
    assert "nope.txt" in result.stderr and "no article" in result.stderr
    assert not (corpus / "annotations.yaml").exists()


@pytest.mark.parametrize("command", [["tag", FIRST, "x"], ["note", FIRST, "x"], ["flag", FIRST]])
def test_a_read_only_store_exits_2_naming_file_and_line(corpus, command):
    path = corpus / "annotations.yaml"
    data = b"version: 1\narticles:\n  x.txt:\n    tags: !!python/object/apply:os.system ['echo hi']\n"
    path.write_bytes(data)
    result = run(*command, "--corpus", corpus)
    assert result.exit_code == 2
    assert str(path) in result.stderr and "line 4" in result.stderr
    assert path.read_bytes() == data


def test_list_still_works_with_a_bad_annotation_file_and_says_so(corpus):
    path = corpus / "annotations.yaml"
    path.write_bytes(b"\x00\x01garbage")
    result = run("list", "--corpus", corpus, "--json")
    assert result.exit_code == 0
    assert str(path) in result.stderr and "line 1" in result.stderr
    assert len(json.loads(result.stdout)) == 6


def test_list_filters(corpus):
    run("tag", FIRST, "energy", "--corpus", corpus)
    run("tag", "fm.md", "energy", "--corpus", corpus)
    run("note", UNDATED, "undated but noted", "--corpus", corpus)
    assert list(listing(corpus, "--tag", "energy")) == [FIRST, "fm.md"]
    assert list(listing(corpus, "--tag", "energy", "--tag", "alpha")) == ["fm.md"]
    assert list(listing(corpus, "--status", "annotated")) == [FIRST, "fm.md", UNDATED]
    assert list(listing(corpus, "--since", "2021-01-01", "--until", "2021-12-31")) == ["fm.md"]
    assert run("list", "--corpus", corpus, "--since", "someday").exit_code == 2
    assert run("list", "--corpus", corpus, "--status", "done").exit_code == 2


def test_a_date_override_moves_an_undated_article_in_the_list(corpus):
    store = AnnotationStore.open(corpus)
    store.set_date(UNDATED, "2021-05-05")
    rows = listing(corpus)
    assert rows[UNDATED]["date"] == "2021-05-05" and rows[UNDATED]["date_overridden"]
    order = list(rows)
    assert order.index("fm.md") == order.index(UNDATED) + 1  # 2021-05-05 just before 2021-05-04
    assert list(listing(corpus, "--since", "2021-05-05", "--until", "2021-05-05")) == [UNDATED]


def test_the_sample_corpus_is_annotated_in_the_data_dir(tmp_path):
    seeds = sample_corpus()
    before = sorted(p.name for p in seeds.iterdir())
    result = run("tag", FIRST, "seen")
    assert result.exit_code == 0, result.output
    assert "sample corpus" in result.stderr and str(tmp_path / "_data") in result.stderr
    assert sorted(p.name for p in seeds.iterdir()) == before
    saved = list((tmp_path / "_data" / "annotations").glob("*/annotations.yaml"))
    assert len(saved) == 1 and yamlio.load(saved[0].read_bytes()).get(FIRST).tags == ("seen",)
    assert "seen" in listing(seeds)[FIRST]["tags"]


def test_a_search_does_not_take_other_annotations_for_orphans(corpus):
    run("tag", FIRST, "energy", "--corpus", corpus)
    result = run("list", "--corpus", corpus, "--json", "--search", "Smolensk")
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in json.loads(result.stdout)] == ["004_6814731f4ee210d7.txt"]
    assert "not in the corpus" not in result.stderr
    assert AnnotationStore.open(corpus).get(FIRST).tags == ("energy",)


def test_list_tag_filter_takes_comma_separated_tags_with_spaces(corpus):
    """`--tag "energy, kyiv"` means both tags; the space after the comma used to make
    the second tag " kyiv", which matched nothing."""
    assert run("tag", FIRST, "energy", "kyiv", "--corpus", corpus).exit_code == 0
    ids = list(listing(corpus, "--tag", "energy, kyiv"))
    assert ids == [FIRST]


# --- read, unread, flag, dismiss (format version 2: each changes only its own state) ---

SECOND = "002_779c45f11c9e3794.txt"


def _state(corpus, article_id):
    row = listing(corpus, "--status", "dismissed")[article_id] if _dismissed(corpus, article_id) else listing(corpus)[article_id]
    return (row["read"], row["flagged"], row["dismissed"])


def _dismissed(corpus, article_id) -> bool:
    return article_id in listing(corpus, "--status", "dismissed")


def test_list_json_carries_the_three_booleans_for_every_article(corpus):
    rows = listing(corpus)
    assert len(rows) > 3
    for row in rows.values():
        assert (row["read"], row["flagged"], row["dismissed"]) == (False, False, False)
    run("read", FIRST, "--corpus", corpus)
    rows = listing(corpus)
    assert rows[FIRST]["read"] is True and all(r["read"] is False for i, r in rows.items() if i != FIRST)


def test_read_and_unread_several_ids_idempotent(corpus):
    result = run("read", FIRST, UNDATED, "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert f"{FIRST}: marked read" in result.stdout and f"{UNDATED}: marked read" in result.stdout
    assert "mark read: 2 articles changed" in result.stdout
    result = run("read", FIRST, "--corpus", corpus)
    assert result.exit_code == 0 and result.stdout.strip() == f"{FIRST}: already read"
    assert _state(corpus, FIRST) == (True, False, False)
    result = run("unread", FIRST, "--corpus", corpus)
    assert result.exit_code == 0 and result.stdout.strip() == f"{FIRST}: marked unread"
    assert run("unread", FIRST, "--corpus", corpus).stdout.strip() == f"{FIRST}: already unread"
    assert _state(corpus, FIRST) == (False, False, False) and _state(corpus, UNDATED) == (True, False, False)


def test_flag_then_flag_off_leaves_an_unread_article_unread(corpus):
    assert run("flag", FIRST, "--corpus", corpus).exit_code == 0
    assert _state(corpus, FIRST) == (False, True, False)
    result = run("flag", FIRST, "--off", "--corpus", corpus)
    assert result.exit_code == 0 and result.stdout.strip() == f"{FIRST}: flag taken off"
    assert _state(corpus, FIRST) == (False, False, False)


def test_flag_keeps_read_and_unread_keeps_the_flag(corpus):
    run("read", FIRST, "--corpus", corpus)
    run("flag", FIRST, SECOND, "--corpus", corpus)
    assert _state(corpus, FIRST) == (True, True, False) and _state(corpus, SECOND) == (False, True, False)
    run("unread", FIRST, "--corpus", corpus)
    assert _state(corpus, FIRST) == (False, True, False)
    result = run("flag", FIRST, SECOND, "--corpus", corpus)
    assert "already flagged" in result.stdout and "nothing changed (2 articles already so)" in result.stdout


def test_dismiss_hides_from_list_and_undo_brings_it_back(corpus):
    result = run("dismiss", FIRST, "--corpus", corpus)
    assert result.exit_code == 0 and result.stdout.strip() == f"{FIRST}: dismissed"
    assert run("dismiss", FIRST, "--corpus", corpus).stdout.strip() == f"{FIRST}: already dismissed"
    assert FIRST not in listing(corpus)
    assert list(listing(corpus, "--status", "dismissed")) == [FIRST]
    assert listing(corpus, "--status", "dismissed")[FIRST]["dismissed"] is True
    text = run("list", "--corpus", corpus)
    assert text.exit_code == 0 and FIRST not in text.stdout
    result = run("dismiss", FIRST, "--undo", "--corpus", corpus)
    assert result.exit_code == 0 and result.stdout.strip() == f"{FIRST}: no longer dismissed"
    assert run("dismiss", FIRST, "--undo", "--corpus", corpus).stdout.strip() == f"{FIRST}: not dismissed"
    assert _state(corpus, FIRST) == (False, False, False)


def test_list_status_is_repeatable_and_all_must_hold(corpus):
    run("read", FIRST, "--corpus", corpus)
    run("flag", FIRST, SECOND, "--corpus", corpus)
    run("tag", SECOND, "energy", "--corpus", corpus)
    assert sorted(listing(corpus, "--status", "flagged")) == sorted([FIRST, SECOND])
    assert list(listing(corpus, "--status", "flagged", "--status", "unread")) == [SECOND]
    assert list(listing(corpus, "--status", "flagged", "--status", "read")) == [FIRST]
    assert list(listing(corpus, "--status", "annotated", "--status", "flagged")) == [SECOND]
    assert listing(corpus, "--status", "read", "--status", "unread") == {}
    assert FIRST not in listing(corpus, "--status", "unread")
    result = run("list", "--corpus", corpus, "--status", "done")
    assert result.exit_code == 2


@pytest.mark.parametrize("command", [["read"], ["unread"], ["flag"], ["flag", "--off"], ["dismiss"], ["dismiss", "--undo"]])
def test_an_unknown_id_exits_2_and_writes_nothing(corpus, command):
    result = run(*command, FIRST, "nope.txt", "--corpus", corpus)
    assert result.exit_code == 2 and "nope.txt" in result.stderr
    assert not (corpus / "annotations.yaml").exists()


@pytest.mark.parametrize("command", [["read"], ["unread"], ["flag"], ["dismiss"]])
def test_a_newer_file_is_never_rewritten_by_a_command(corpus, command):
    path = corpus / "annotations.yaml"
    data = b"articles: {}\nversion: 5\n"
    path.write_bytes(data)
    result = run(*command, FIRST, "--corpus", corpus)
    assert result.exit_code == 2 and "format version 5" in result.stderr and str(path) in result.stderr
    assert path.read_bytes() == data
