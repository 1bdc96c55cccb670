"""Issue 15, command line: dates as people type them, ids by prefix or substring,
tags ignoring case, plain output when piped, removing a tag that is not there.

CliRunner's output is not a terminal, so the default here is the piped path; the
terminal path is forced by replacing ``briefing.cli.common.stdout_is_terminal``.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner

from briefing.annotations import AnnotationStore
from briefing.cli import main
from briefing.ids import item_id, match_typed
from tests.seedfiles import copy_shared_seeds

REWRITE = "002_779c45f11c9e3794.txt"
ORIGINAL = "003_dd4f2a093bc6ca5d.txt"
ANSI = re.compile("\x1b\\[")


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    for var in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"BRIEFING_{var}_DIR", str(tmp_path / f"_{var.lower()}"))
    monkeypatch.delenv("BRIEFING_CORPUS", raising=False)
    monkeypatch.setenv("COLUMNS", "60")


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setattr("briefing.cli.common.stdout_is_terminal", lambda: True)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def ids_of(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [row["id"] for row in json.loads(result.stdout)]


@pytest.fixture
def corpus(tmp_path):
    """Articles dated relative to today, so relative dates have something to find."""
    root = tmp_path / "c"
    root.mkdir()
    today = dt.date.today()

    def article(name: str, title: str, day: dt.date | None, extra: str = "") -> None:
        date = f"date: {day.isoformat()}\n" if day else ""
        (root / name).write_text(f"---\ntitle: {title}\n{date}{extra}---\nBody of {name}. It has two sentences.\n",
                                 encoding="utf-8")

    article("recent.md", "Grid repairs begin", today - dt.timedelta(days=2), "tags: [energy]\n")
    article("month_old.md", "Old grid story", today - dt.timedelta(days=40))
    article("march.md", "March report", dt.date(2024, 3, 15))
    article("feb.md", "February report", dt.date(2024, 2, 29))
    article("a.txt.md", "Prefix twin", dt.date(2024, 1, 1))
    (root / "a.txt").write_text("Exact one\n\ndate 2024-01-02 The exact article. It is short.\n", encoding="utf-8")
    (root / "sub").mkdir()
    article("sub/old_piece.md", "Sub folder piece", dt.date(2020, 5, 5))
    return root


# --- dates typed by people ------------------------------------------------------------------


def test_since_and_until_take_ranges_first_and_last_day(corpus):
    march = ids_of(run("list", "--corpus", corpus, "--json", "--since", "2024-03", "--until", "2024-03"))
    assert march == ["march.md"]  # since: March 1st, until: March 31st
    feb_to_march = ids_of(run("list", "--corpus", corpus, "--json", "--since", "February 2024", "--until", "Mar 2024"))
    assert feb_to_march == ["march.md", "feb.md"]
    assert ids_of(run("list", "--corpus", corpus, "--json", "--since", "7d")) == ["recent.md"]
    assert ids_of(run("list", "--corpus", corpus, "--json", "--until", "2020")) == ["sub/old_piece.md"]
    assert set(ids_of(run("list", "--corpus", corpus, "--json", "--since", "this year", "--until", "today"))) >= {"recent.md"}


@pytest.mark.parametrize(
    "value, said",
    [
        ("2024-02-30", "'2024-02-30': February 2024 has 29 days, not 30"),
        ("lastweek", "'lastweek': not understood as a date"),
        ("3 fortnights", "'fortnights' is not a unit"),
    ],
)
@pytest.mark.parametrize("command", ["list", "export"])
def test_a_date_not_understood_is_a_usage_error_naming_it(corpus, command, value, said):
    result = run(command, "--corpus", corpus, "--since", value)
    assert result.exit_code == 2
    assert "--since" in result.stderr and said in result.stderr
    assert "does not match the format" not in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("command", ["list", "export"])
def test_since_after_until_is_an_error_naming_both(corpus, command):
    result = run(command, "--corpus", corpus, "--since", "2024-03", "--until", "February 2024")
    assert result.exit_code == 2
    assert "--since '2024-03' (2024-03-01) is after --until 'February 2024' (2024-02-29)" in result.stderr
    assert result.stdout == ""


def test_export_takes_human_dates(corpus):
    result = run("export", "--corpus", corpus, "--all", "--format", "json", "--since", "2024-03", "--until", "2024-03")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [item["id"] for item in data["items"]] == ["march.md"]


# --- ids by prefix or substring ------------------------------------------------------------


def test_show_takes_a_unique_prefix():
    data = json.loads(run("show", "002", "--json").stdout)
    assert data["id"] == REWRITE


def test_an_item_of_a_feed_or_a_json_lines_file_is_named_by_a_unique_part_of_its_key():
    # (the sample corpus's formats/: a feed and a JSON-lines file, with no index yet)
    data = json.loads(run("show", "rates", "--json").stdout)
    assert data["id"] == "formats/015_wire_feed.rss#wire-2024-0318-rates"
    assert json.loads(run("show", "dump-001", "--json").stdout)["id"] == "formats/016_archive_dump.jsonl#dump-001"
    whole_file = run("show", "formats/016")  # the file names several articles: they are listed
    assert whole_file.exit_code == 2 and "'formats/016' matches 2 articles" in whole_file.stderr
    assert "formats/016_archive_dump.jsonl#dump-002" in whole_file.stderr


def test_an_ambiguous_prefix_lists_the_candidates():
    result = run("show", "00")
    assert result.exit_code == 2
    assert "'00' matches 5 articles" in result.stderr
    for prefix in ("000", "001", "002", "003", "004"):
        assert re.search(rf"^  {prefix}_\w+\.txt$", result.stderr, re.M), prefix
    assert result.stdout == ""


def test_no_match_says_did_you_mean_by_id_and_by_title():
    typo = run("show", "002_779c45f11c9e3795.txt")
    assert typo.exit_code == 2
    assert "no article with id '002_779c45f11c9e3795.txt'" in typo.stderr
    assert f"did you mean '{REWRITE}'" in typo.stderr
    by_title = run("show", "Russia hits Ukraine energy")
    assert by_title.exit_code == 2 and f"did you mean '{ORIGINAL}' (Russia hits Ukraine energy" in by_title.stderr
    nothing = run("show", "zzzz")
    assert nothing.exit_code == 2 and "did you mean" not in nothing.stderr


def test_an_exact_id_wins_over_a_prefix_and_a_substring_is_enough(corpus):
    assert json.loads(run("show", "a.txt", "--corpus", corpus, "--json").stdout)["id"] == "a.txt"  # not a.txt.md
    assert json.loads(run("show", "a.txt.", "--corpus", corpus, "--json").stdout)["id"] == "a.txt.md"
    assert json.loads(run("show", "old_piece", "--corpus", corpus, "--json").stdout)["id"] == "sub/old_piece.md"
    assert json.loads(run("show", "OLD_PIECE", "--corpus", corpus, "--json").stdout)["id"] == "sub/old_piece.md"
    grid = run("show", "old", "--corpus", corpus)  # month_old.md and sub/old_piece.md
    assert grid.exit_code == 2 and "'old' matches 2 articles" in grid.stderr


def test_prefixes_work_in_every_command_taking_an_id(tmp_path):
    root = tmp_path / "c"
    copy_shared_seeds(root)
    for p in root.iterdir():
        p.chmod(0o644)
    assert json.loads(run("summarize", "003", "--corpus", root, "--json").stdout)["id"] == ORIGINAL
    assert run("tag", "002", "Energy", "--corpus", root).stdout.strip() == f"{REWRITE}: tags: Energy"
    assert run("note", "002", "a note", "--corpus", root).exit_code == 0
    assert run("flag", "000", "001", "--corpus", root).exit_code == 0
    assert run("read", "004", "--corpus", root).stdout.strip() == "004_6814731f4ee210d7.txt: marked read"
    assert run("unread", "004", "--corpus", root).exit_code == 0
    assert run("dismiss", "001", "--corpus", root).exit_code == 0
    store = AnnotationStore.open(root)
    assert store.get(REWRITE).tags == ("Energy",) and len(store.get(REWRITE).notes) == 1
    assert store.get("000_c25f74af4bc17e80.txt").flagged and store.get("001_91c4a80b16629b6a.txt").dismissed
    compared = json.loads(run("compare", "002", "003", "--corpus", root, "--json").stdout)
    assert compared["ids"] == [REWRITE, ORIGINAL]
    assert json.loads(run("keywords", "003", "--corpus", root, "--json").stdout)["id"] == ORIGINAL
    for command in (["tag", "00", "x"], ["note", "00", "x"], ["read", "00"], ["compare", "002", "00"],
                    ["keywords", "00"], ["summarize", "00"]):
        result = run(*command, "--corpus", root)
        assert result.exit_code == 2 and "'00' matches 5 articles" in result.stderr, command


def test_item_ids_of_many_article_files_resolve():
    ids = ["feeds/a.xml#guid-1", "feeds/a.xml#guid-2", item_id("feeds/b.xml", "k#z"), "notes.txt"]
    assert ids[2] == "feeds/b.xml#k\\u0023z"
    assert match_typed("feeds/a.xml#guid-1", ids).id == "feeds/a.xml#guid-1"  # exact
    assert match_typed("a.xml#guid-2", ids).id == "feeds/a.xml#guid-2"  # substring
    assert match_typed("feeds/b.xml#k#z", ids).id == ids[2]  # the key as it is, its # unescaped
    assert match_typed("k#z", ids).id == ids[2]
    ambiguous = match_typed("feeds/a.xml", ids)
    assert ambiguous.id is None and ambiguous.candidates == ("feeds/a.xml#guid-1", "feeds/a.xml#guid-2")
    assert {"feeds/a.xml#guid-1", "feeds/a.xml#guid-2"} <= set(match_typed("feeds/a.xml#guid-3", ids).suggestions)


# --- tags ignoring case ------------------------------------------------------------------------


def test_tag_filters_ignore_case_and_tags_stay_as_typed(corpus):
    assert run("tag", "march.md", "Kyiv", "--corpus", corpus).exit_code == 0
    assert ids_of(run("list", "--corpus", corpus, "--json", "--tag", "ENERGY")) == ["recent.md"]
    listed = run("list", "--corpus", corpus, "--json", "--tag", "kyiv")
    assert ids_of(listed) == ["march.md"] and json.loads(listed.stdout)[0]["tags"] == ["Kyiv"]
    exported = run("export", "--corpus", corpus, "--format", "json", "--tag", "KYIV")
    assert exported.exit_code == 0, exported.output
    assert [item["id"] for item in json.loads(exported.stdout)["items"]] == ["march.md"]


def test_removing_a_tag_that_is_not_there_says_so_and_exits_1(corpus):
    assert run("tag", "march.md", "Kyiv", "grid", "--corpus", corpus).exit_code == 0
    result = run("tag", "march.md", "--remove", "kyiv", "nosuch", "--corpus", corpus)
    assert result.exit_code == 1
    assert "briefing: march.md: no tag 'nosuch' to remove" in result.stderr
    assert result.stdout.strip() == "march.md: tags: grid"  # Kyiv was removed all the same (ignoring case)
    assert AnnotationStore.open(corpus).get("march.md").tags == ("grid",)
    ok = run("tag", "march.md", "--remove", "grid", "--corpus", corpus)
    assert ok.exit_code == 0 and ok.stderr == "" and ok.stdout.strip() == "march.md: tags: (none)"
    again = run("tag", "march.md", "--remove", "grid", "--corpus", corpus)
    assert again.exit_code == 1 and "no tag 'grid' to remove" in again.stderr


# --- output for a pipe, and for a terminal --------------------------------------------------------


def test_piped_list_is_one_tab_separated_line_per_article(corpus):
    (corpus / "odd.md").write_text('---\ntitle: "Tab\\there, line\\nbreak and \\x1b[31m escape"\nsource: "Wire\\tService"\n'
                                   "date: 2024-03-20\n---\nBody. More body.\n", encoding="utf-8")
    long_title = "A very long title " * 10
    (corpus / "long.md").write_text(f"---\ntitle: {long_title.strip()}\ndate: 2024-03-21\n---\nBody.\n", encoding="utf-8")
    assert run("tag", "march.md", "energy", "Kyiv", "--corpus", corpus).exit_code == 0
    assert run("flag", "march.md", "--corpus", corpus).exit_code == 0
    assert run("read", "march.md", "--corpus", corpus).exit_code == 0
    result = run("list", "--corpus", corpus, "--since", "2024-03", "--until", "2024-03")
    assert result.exit_code == 0, result.output
    lines = result.stdout.split("\n")
    assert lines[-1] == "" and len(lines) == 4  # three articles, each one line
    rows = [line.split("\t") for line in lines[:-1]]
    assert all(len(row) == 6 for row in rows)
    by_id = {row[0]: row for row in rows}
    assert by_id["march.md"] == ["march.md", "2024-03-15", "", "March report", "energy,Kyiv", "read,flagged"]
    assert by_id["long.md"][3] == long_title.strip()  # whole, whatever the width (COLUMNS=60)
    odd = by_id["odd.md"]
    assert odd[2] == "Wire Service" and odd[3].startswith("Tab here, line break and ") and "\x1b" not in odd[3]
    assert odd[5] == "unread"
    assert not ANSI.search(result.stdout)


def test_list_on_a_terminal_is_the_table(corpus, terminal):
    result = run("list", "--corpus", corpus)
    assert result.exit_code == 0
    assert "\t" not in result.stdout
    assert re.search(r"^Date\s+Title", result.stdout, re.M) and "Grid repairs begin" in result.stdout


def test_list_json_is_the_same_piped_or_on_a_terminal(corpus, monkeypatch):
    piped = run("list", "--corpus", corpus, "--json").stdout
    monkeypatch.setattr("briefing.cli.common.stdout_is_terminal", lambda: True)
    assert run("list", "--corpus", corpus, "--json").stdout == piped
    assert {row["id"] for row in json.loads(piped)} >= {"march.md", "recent.md"}


def test_piped_summarize_has_no_hard_wraps_and_no_styles():
    result = run("summarize", "001", "--method", "lead", "--sentences", "2")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    bullets = [line for line in lines if line.startswith("• ")]
    assert len(bullets) == 2 and any(len(line) > 60 for line in bullets)  # COLUMNS=60: not wrapped
    assert len(lines) == 4 and lines[-1] == "method: lead"
    assert not ANSI.search(result.stdout)


def test_summarize_on_a_terminal_wraps_at_its_width(terminal):
    result = run("summarize", "001", "--method", "lead", "--sentences", "2")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) > 4 and max(map(len, result.stdout.splitlines())) <= 60


def test_piped_compare_has_no_legend_and_no_wrapping():
    result = run("compare", REWRITE, ORIGINAL)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "marks:" not in out and not ANSI.search(out)
    assert "row 3: date, name, wording change" in out  # the kinds are named in words
    assert any(len(line) > 60 for line in out.splitlines())  # sentences whole on one line
    assert "differences: 2 numbers" in out


def test_compare_on_a_terminal_keeps_its_legend(terminal):
    result = run("compare", REWRITE, ORIGINAL)
    assert result.exit_code == 0
    assert "marks: number  date  name" in result.stdout


def test_did_you_mean_finds_a_typo_among_many_ids():
    ids = [f"2024/{i % 12:02d}/{i:06d}_{(i * 2654435761) % 16**8:08x}.txt" for i in range(20_000)]
    wanted = ids[12_345]
    typo = wanted[:-6] + "x" + wanted[-5:]  # one character wrong
    match = match_typed(typo, ids)
    assert match.id is None and match.suggestions[0] == wanted
    titles = {i: f"Report {n} on the grid" for n, i in enumerate(ids)}
    titles[ids[7]] = "Substations burned near Kharkiv"
    assert ids[7] in match_typed("Substations burnt near Kharkiv", ids, titles).suggestions
