"""`briefing export`: formats, files, refusals, messages, templates."""

from __future__ import annotations

import datetime as dt
import io
import json
import os

import docx
import pytest
from click.testing import CliRunner

from briefing.cli import main

from .conftest import GOLDEN, HOSTILE, SMOLENSK


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_markdown_to_stdout_is_the_golden_file(corpus_root):
    result = run("export", "--corpus", corpus_root, "--method", "lead", "--title", "Energy week", "--analyst", "A. Analyst")
    assert result.exit_code == 0, result.output
    assert result.stdout == (GOLDEN / "briefing_by_date.md").read_text(encoding="utf-8")
    assert result.stderr == "briefing: 4 items exported (md) to standard output\n"


def test_json_twice_gives_identical_bytes(corpus_root):
    args = ("export", "--corpus", corpus_root, "-m", "lead", "--format", "json")
    first, second = run(*args), run(*args)
    assert first.exit_code == second.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes
    assert json.loads(first.stdout)["item_count"] == 4


def test_file_output_format_from_suffix_and_message(corpus_root, tmp_path):
    target = tmp_path / "week.html"
    result = run("export", "--corpus", corpus_root, "-m", "lead", "-o", target)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"briefing: wrote 4 items (html) to {target}\n"
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert f"<dt>Produced</dt><dd>{dt.date.today().isoformat()}</dd>" in text  # html: today by default


def test_a_format_the_file_name_contradicts_is_said(corpus_root, tmp_path):
    target = tmp_path / "week.pdf"
    result = run("export", "--corpus", corpus_root, "-m", "lead", "-f", "md", "-o", target)
    assert result.exit_code == 0 and target.read_text(encoding="utf-8").startswith("# Briefing")
    assert "week.pdf is named like a pdf file but gets md" in result.stderr
    agreed = run("export", "--corpus", corpus_root, "-m", "lead", "-f", "md", "-o", tmp_path / "week.md")
    assert agreed.exit_code == 0 and "named like" not in agreed.stderr


def test_refuses_to_overwrite_then_force(corpus_root, tmp_path):
    target = tmp_path / "week.md"
    target.write_text("keep me")
    result = run("export", "--corpus", corpus_root, "-m", "lead", "-o", target)
    assert result.exit_code == 2
    assert result.stderr == f"briefing: {target} already exists (use --force to replace it)\n"
    assert target.read_text() == "keep me"
    result = run("export", "--corpus", corpus_root, "-m", "lead", "-o", target, "--force")
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Briefing\n")


def test_refuses_a_planted_symlink_even_with_force(corpus_root, tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("secret")
    link = tmp_path / "week.md"
    link.symlink_to(victim)
    result = run("export", "--corpus", corpus_root, "-o", link, "--force")
    assert result.exit_code == 2
    assert "symbolic link" in result.stderr
    assert victim.read_text() == "secret"


def test_unwritable_place_is_a_clear_error(corpus_root, tmp_path):
    from .test_write import unwritable_folder

    target = os.path.join(unwritable_folder(tmp_path), "briefing-export-test.md")
    result = run("export", "--corpus", corpus_root, "-o", target)
    assert result.exit_code == 2
    assert "permission denied" in result.stderr and "briefing-export-test.md" in result.stderr
    missing = tmp_path / "no" / "such" / "week.md"
    result = run("export", "--corpus", corpus_root, "-o", missing)
    assert result.exit_code == 2
    assert result.stderr == f"briefing: cannot write {missing}: the folder {missing.parent} does not exist\n"


def test_docx_needs_a_path_and_reads_back(corpus_root, tmp_path):
    result = run("export", "--corpus", corpus_root, "--format", "docx")
    assert result.exit_code == 2
    assert "give the file to write with -o PATH" in result.stderr
    target = tmp_path / "week.docx"
    result = run("export", "--corpus", corpus_root, "-m", "lead", "-o", target, "--tag", "energy", "--group-by", "tag")
    assert result.exit_code == 0, result.output
    document = docx.Document(io.BytesIO(target.read_bytes()))
    heads = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert heads == ["Timeline", "energy", "kyiv", "russia"]  # the chart's heading first; "Contents" is Word's TOC Heading (not in the contents itself)
    assert [p.text for p in document.paragraphs if p.style.name == "TOC Heading"] == ["Contents"]


def test_filters_are_the_list_filters(corpus_root):
    def items(*args):
        result = run("export", "--corpus", corpus_root, "-m", "lead", "-f", "json", *args)
        assert result.exit_code == 0, result.output
        return [item["id"] for item in json.loads(result.stdout)["items"]]

    assert items("--since", "2024-04-01") == [HOSTILE, SMOLENSK]
    assert items("--tag", "energy,russia") == [SMOLENSK]
    assert items("--search", "Telegram") == [SMOLENSK]
    assert items("--status", "flagged", "--until", "2024-01-01") == ["000_c25f74af4bc17e80.txt"]
    assert len(items("--all")) == 6
    assert run("dismiss", HOSTILE, "--corpus", corpus_root).exit_code == 0  # not relevant: left out
    assert items("--since", "2024-04-01") == [SMOLENSK] and len(items("--all")) == 5
    assert items("--status", "dismissed") == [HOSTILE]
    listed = run("list", "--corpus", corpus_root, "--json", "--tag", "energy,russia")
    assert [row["id"] for row in json.loads(listed.stdout)] == [SMOLENSK]


def test_nothing_selected_says_how_to_include_more(corpus_root):
    result = run("export", "--corpus", corpus_root, "--since", "2030-01-01")
    assert result.exit_code == 0
    assert "*No articles match this selection.*" in result.stdout
    assert "0 items exported" in result.stderr
    assert "--all includes the others" in result.stderr


@pytest.mark.parametrize("indexed", [False, True])
def test_an_unreadable_annotation_file_exports_nothing(corpus_root, tmp_path, indexed):
    # A broken file (a hand edit, a teammate's field this version refuses) is never
    # taken as "no annotations": an export would go out without a tag or a note.
    if indexed:  # (then the export streams its selection from the index)
        assert run("index", "--corpus", corpus_root).exit_code == 0
    path = corpus_root / "annotations.yaml"
    broken = path.read_bytes().replace(b"\nversion:", b'\n  "x.txt":\n    mood: "x"\nversion:')
    path.write_bytes(broken)
    target = tmp_path / "week.md"
    result = run("export", "--corpus", corpus_root, "-m", "lead", "-o", target)
    assert result.exit_code == 1 and not target.exists()
    assert "unknown field 'mood'" in result.stderr
    assert f"nothing exported: the annotations in {path} cannot be read" in result.stderr
    assert path.read_bytes() == broken


def test_bad_date_is_a_usage_error(corpus_root):
    # issue 15: --date takes one day as people type it ("yesterday" was refused before)
    for bad, said in (("2024-02-30", "February 2024 has 29 days, not 30"), ("last week", "a date here is one day"),
                      ("someday", "not understood as a date")):
        result = run("export", "--corpus", corpus_root, "--date", bad)
        assert result.exit_code == 2, bad
        assert "--date" in result.stderr and said in result.stderr
    import datetime as dt

    result = run("export", "--corpus", corpus_root, "--format", "json", "--date", "yesterday")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["produced"] == (dt.date.today() - dt.timedelta(days=1)).isoformat()


def test_user_template_replaces_the_builtin_and_stays_escaped(corpus_root, isolated_dirs):
    templates = isolated_dirs / "_config" / "templates"
    templates.mkdir()
    (templates / "briefing.md.j2").write_text(
        "{% for item in briefing.items %}* {{ item.headline }}\n{% endfor %}", encoding="utf-8"
    )
    result = run("export", "--corpus", corpus_root, "-m", "lead")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "* Hostile \\<script\\>document.title='pwned'\\</script\\> headline \\# \\[x\\](http://evil.example)"
    assert len(result.stdout.splitlines()) == 4
    (templates / "briefing.html.j2").write_text("{% for item in briefing.items %}", encoding="utf-8")
    result = run("export", "--corpus", corpus_root, "-f", "html")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"briefing: template: {templates / 'briefing.html.j2'}, line 1:")
