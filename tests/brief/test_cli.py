"""`briefing brief ...` and `briefing note --private` through click's CliRunner (issue 17)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from briefing.brief.store import load_brief
from briefing.cli import main


def run(root, *args, input=None):
    return CliRunner().invoke(main, ["brief", "--corpus", str(root), *[str(a) for a in args]], input=input, catch_exceptions=False)


def test_new_list_show(brief_corpus):
    result = run(brief_corpus, "new", "weekly", "--title", "Weekly <b>", "--marking", "TEAM", "--analyst", "Ana")
    assert result.exit_code == 0, result.output
    assert (brief_corpus / "briefings" / "weekly.yaml").is_file()
    assert run(brief_corpus, "new", "weekly").exit_code == 2
    assert run(brief_corpus, "new", "../escape").exit_code == 2
    listed = run(brief_corpus, "list")
    assert listed.output.splitlines() == ["weekly\t0 items\tWeekly <b>"]
    shown = json.loads(run(brief_corpus, "show", "weekly", "--json").output)
    assert (shown["title"], shown["marking"], shown["analyst"], shown["sections"]) == ("Weekly <b>", "TEAM", "Ana", [])
    assert shown["date"] is None
    assert run(brief_corpus, "new", "dated", "--date", "2024-03-06").exit_code == 0
    assert json.loads(run(brief_corpus, "show", "dated", "--json").output)["date"] == "2024-03-06"
    assert "- **Date:** 2024-03-06" in run(brief_corpus, "export", "dated", "-f", "md").stdout
    bad = run(brief_corpus, "new", "bad", "--date", "someday")
    assert bad.exit_code == 2 and not (brief_corpus / "briefings" / "bad.yaml").exists()


def test_add_remove_move_why_with_typed_prefixes(brief_corpus):
    run(brief_corpus, "new", "w")
    result = run(brief_corpus, "add", "w", "a_st", "d_pl", "--section", "Energy")
    assert result.exit_code == 0 and "2 items added" in result.output
    assert run(brief_corpus, "add", "w", "c_h").exit_code == 0
    assert "already in it" in run(brief_corpus, "add", "w", "a_story.md").output
    nope = run(brief_corpus, "add", "w", "zzz")
    assert nope.exit_code == 2 and "no article with id 'zzz'" in nope.stderr
    doc = load_brief(brief_corpus, "w").doc
    assert [(s.name, [i.id for i in s.items]) for s in doc.sections] == [("Energy", ["a_story.md", "d_plain.txt", "c_hostile.md"])]
    assert run(brief_corpus, "move", "w", "c_h", "--to", "1").exit_code == 0
    assert run(brief_corpus, "move", "w", "d_", "--section", "Other").exit_code == 0
    assert run(brief_corpus, "move", "w", "d_").exit_code == 2
    assert run(brief_corpus, "why", "w", "a_", "It matters").exit_code == 0
    doc = load_brief(brief_corpus, "w").doc
    assert [(s.name, [i.id for i in s.items]) for s in doc.sections] == [("Energy", ["c_hostile.md", "a_story.md"]), ("Other", ["d_plain.txt"])]
    assert doc.item("a_story.md").why == "It matters"
    assert run(brief_corpus, "remove", "w", "c_h", "d_").exit_code == 0
    assert load_brief(brief_corpus, "w").doc.item_ids() == ["a_story.md"]
    assert run(brief_corpus, "remove", "w", "b_story").exit_code == 2  # in the corpus, not in the briefing


def test_bluf_judge_and_scale(brief_corpus, tmp_path, monkeypatch):
    run(brief_corpus, "new", "w")
    assert run(brief_corpus, "bluf", "w", "-", input="Line one\nline two\n").exit_code == 0
    assert load_brief(brief_corpus, "w").doc.bluf == "Line one\nline two"
    bad = run(brief_corpus, "judge", "w", "X", "--confidence", "maybe")
    assert bad.exit_code == 2 and "almost certain / nearly certain" in bad.stderr
    good = run(brief_corpus, "judge", "w", "Outages spread", "--confidence", "highly probable", "--cite", "a_st", "--cite", "b_st")
    assert good.exit_code == 0, good.output
    (j,) = load_brief(brief_corpus, "w").doc.judgments
    assert (j.text, j.confidence, j.cites) == ("Outages spread", "very likely / highly probable", ["a_story.md", "b_story.md"])
    config = tmp_path / "cfg"
    config.mkdir()
    (config / "config.yaml").write_text('confidence_scale:\n  name: "House"\n  terms: ["low", "moderate", "high"]\n')
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", str(config))
    assert run(brief_corpus, "judge", "w", "Y", "--confidence", "likely").exit_code == 2
    assert run(brief_corpus, "judge", "w", "Y", "--confidence", "High").exit_code == 0
    assert load_brief(brief_corpus, "w").doc.judgments[1].confidence == "high"


def test_suggest_prints_numbered_sentences_and_bluf_accepts_chosen_ones(brief_corpus):
    run(brief_corpus, "new", "w")
    run(brief_corpus, "add", "w", "a_st", "d_pl")
    before = (brief_corpus / "briefings" / "w.yaml").read_bytes()
    offered = run(brief_corpus, "suggest", "w", "-n", "2")
    assert offered.exit_code == 0
    lines = offered.output.splitlines()
    assert len(lines) == 2 and lines[0].startswith("1. ") and lines[0].endswith("]")
    assert (brief_corpus / "briefings" / "w.yaml").read_bytes() == before  # suggesting changes nothing
    assert run(brief_corpus, "bluf", "w", "--from-suggestion", "2").exit_code == 0
    sentence, number = lines[1].split(". ", 1)[1].rsplit(" ", 1)
    bluf = load_brief(brief_corpus, "w").doc.bluf
    # the source is kept by its article id; the number is worked out at each export
    assert bluf.startswith(sentence + " [source: ") and bluf.endswith("]")
    source = bluf.removeprefix(sentence + " [source: ")[:-1]
    assert source in ("a_story.md", "d_plain.txt")
    assert ["a_story.md", "d_plain.txt"].index(source) + 1 == int(number.strip("[]"))
    assert run(brief_corpus, "bluf", "w", "--from-suggestion", "9").exit_code == 2


def _exported(root):
    result = run(root, "export", "w", "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def test_the_bottom_line_source_follows_its_article_when_items_move(brief_corpus):
    run(brief_corpus, "new", "w")
    run(brief_corpus, "add", "w", "a_st", "b_st", "d_pl")
    assert run(brief_corpus, "bluf", "w", "Grid: [source: d_plain.txt]; and [source: a_story.md].").exit_code == 0

    def bluf_and_numbers():
        got, told = _exported(brief_corpus)
        return got["bluf"], {c["id"]: c["number"] for c in got["cited"]}, told

    bluf, numbers, _ = bluf_and_numbers()
    assert numbers == {"a_story.md": 1, "b_story.md": 2, "d_plain.txt": 3}
    assert bluf == "Grid: [3]; and [1]."
    assert run(brief_corpus, "move", "w", "d_pl", "--to", "1").exit_code == 0
    bluf, numbers, _ = bluf_and_numbers()
    assert numbers["d_plain.txt"] == 1 and bluf == f"Grid: [1]; and [{numbers['a_story.md']}]."
    # removed from the items, still the bottom line's source: listed after the items
    assert run(brief_corpus, "remove", "w", "a_st").exit_code == 0
    bluf, numbers, _ = bluf_and_numbers()
    assert numbers == {"d_plain.txt": 1, "b_story.md": 2, "a_story.md": 3} and bluf == "Grid: [1]; and [3]."
    # gone from the corpus: its mark is left out, and the export says so
    (brief_corpus / "a_story.md").unlink()
    bluf, numbers, told = bluf_and_numbers()
    assert bluf == "Grid: [1]; and." and "a_story.md" not in numbers
    assert "the bottom line names 'a_story.md' as a source; it is no longer in the corpus" in told


def test_export_formats_and_refusals(brief_corpus, tmp_path):
    run(brief_corpus, "new", "w", "--marking", "TEAM ONLY")
    run(brief_corpus, "add", "w", "a_st")
    md = run(brief_corpus, "export", "w", "-f", "md")
    assert md.exit_code == 0 and md.stdout.startswith("**TEAM ONLY**") and "PRIVATE" not in md.stdout
    out = tmp_path / "w.json"
    assert run(brief_corpus, "export", "w", "-o", out).exit_code == 0
    assert json.loads(out.read_text())["schema"] == "briefing-composed/1"
    again = run(brief_corpus, "export", "w", "-o", out)
    assert again.exit_code == 2  # exists: --force to replace
    assert run(brief_corpus, "export", "w", "-o", out, "--force").exit_code == 0
    assert run(brief_corpus, "export", "w", "-f", "docx").exit_code == 2  # binary needs -o
    pdf = run(brief_corpus, "export", "w", "-f", "pdf", "-o", tmp_path / "w.pdf")
    from briefing.export import FORMATS

    if "pdf" not in FORMATS:
        assert pdf.exit_code == 2 and "pdf renderer is not available" in pdf.stderr
    private = run(brief_corpus, "export", "w", "--include-private")
    assert "PRIVATE-NOTE" in private.stdout and "PRIVATE-COMMENT" in private.stdout
    missing = run(brief_corpus, "export", "nope")
    assert missing.exit_code == 2 and "no briefing named 'nope'" in missing.stderr


def test_export_refuses_when_the_annotations_cannot_be_read(brief_corpus, tmp_path):
    run(brief_corpus, "new", "w")
    run(brief_corpus, "add", "w", "a_st")
    path = brief_corpus / "annotations.yaml"
    path.write_bytes(path.read_bytes().replace(b"\nversion:", b"\nversion: [\n"))  # a hand edit gone wrong
    out = tmp_path / "w.md"
    result = CliRunner().invoke(main, ["brief", "--corpus", str(brief_corpus), "export", "w", "-o", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert f"nothing exported: the annotations in {path} cannot be read" in result.stderr


def test_note_private_is_stored_and_kept_out_of_plain_export(brief_corpus):
    runner = CliRunner()
    result = runner.invoke(main, ["note", "d_plain.txt", "SECRET-D", "--private", "--corpus", str(brief_corpus)])
    assert result.exit_code == 0 and "private note added" in result.output
    assert "private: true" in (brief_corpus / "annotations.yaml").read_text()
    plain = runner.invoke(main, ["export", "--corpus", str(brief_corpus), "-f", "json"])
    assert plain.exit_code == 0 and "SECRET-D" not in plain.stdout
    shared = runner.invoke(main, ["export", "--corpus", str(brief_corpus), "-f", "json", "--include-private"])
    assert "SECRET-D" in shared.stdout


def test_add_by_tag_makes_a_section_for_the_tag(brief_corpus):
    from briefing.annotations import open_store

    store, _ = open_store(brief_corpus)
    store.add_tags(["b_story.md", "d_plain.txt"], ["Grid-Watch"])
    run(brief_corpus, "new", "w")
    assert run(brief_corpus, "add", "w").exit_code == 2  # neither ids nor a tag
    result = run(brief_corpus, "add", "w", "--tag", "grid-watch")
    assert result.exit_code == 0 and "2 items added" in result.output, result.output
    doc = load_brief(brief_corpus, "w").doc
    assert [(s.tag, [i.id for i in s.items]) for s in doc.sections] == [("grid-watch", ["b_story.md", "d_plain.txt"])]
    none = run(brief_corpus, "add", "w", "--tag", "no-such-tag")
    assert none.exit_code == 2 and "no article is tagged" in none.stderr


def test_judge_links_highlights_by_article_and_number(brief_corpus):
    run(brief_corpus, "new", "w")
    run(brief_corpus, "add", "w", "a_st")
    result = run(brief_corpus, "judge", "w", "Repairs drag on", "--confidence", "likely", "--cite", "a_st", "--highlight", "a_st:2")
    assert result.exit_code == 0 and "1 highlight" in result.output and not result.stderr, result.output
    (j,) = load_brief(brief_corpus, "w").doc.judgments
    assert [(h.article, h.quote) for h in j.highlights] == [("a_story.md", "Engineers expect repairs to take at least four days")]
    shown = run(brief_corpus, "show", "w")
    assert "rests on “Engineers expect repairs to take at least four days” (a_story.md)" in shown.output
    assert json.loads(run(brief_corpus, "show", "w", "--json").output)["judgments"][0]["highlights"] == [
        {"article": "a_story.md", "quote": "Engineers expect repairs to take at least four days"}]
    md = run(brief_corpus, "export", "w", "-f", "md").stdout
    assert "“Engineers expect repairs to take at least four days” \\[1\\]" in md  # the quote with its source number
    too_far = run(brief_corpus, "judge", "w", "X", "--confidence", "likely", "--highlight", "a_st:3")
    assert too_far.exit_code == 2 and "has 2 highlights: 1. “Hospitals" in too_far.stderr
    for bad in ("a_st", "a_st:0", "a_st:x", ":1"):
        refused = run(brief_corpus, "judge", "w", "X", "--confidence", "likely", "--highlight", bad)
        assert refused.exit_code == 2 and "ID:N" in refused.stderr, bad
    none = run(brief_corpus, "judge", "w", "X", "--confidence", "likely", "--highlight", "d_plain:1")
    assert none.exit_code == 2 and "'d_plain.txt' has 0 highlights" in none.stderr
    assert len(load_brief(brief_corpus, "w").doc.judgments) == 1  # nothing saved by a refused judgment


def test_pdf_paper_from_the_option_else_the_config_else_a4(brief_corpus, tmp_path, monkeypatch):
    import pypdf

    def size(path):
        box = pypdf.PdfReader(str(path)).pages[0].mediabox
        return round(float(box.width)), round(float(box.height))

    a4, letter = (595, 842), (612, 792)  # points
    config = tmp_path / "config"
    config.mkdir()
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", str(config))
    run(brief_corpus, "new", "w")
    run(brief_corpus, "add", "w", "a_st")

    def brief_pdf(name, *extra):
        result = run(brief_corpus, "export", "w", "-f", "pdf", "-o", tmp_path / name, *extra)
        assert result.exit_code == 0, result.output
        return size(tmp_path / name)

    assert brief_pdf("default.pdf") == a4
    assert brief_pdf("letter.pdf", "--paper", "Letter") == letter
    (config / "config.yaml").write_text("paper: letter\n", encoding="utf-8")
    assert brief_pdf("configured.pdf") == letter
    assert brief_pdf("override.pdf", "--paper", "a4") == a4
    plain = CliRunner().invoke(main, ["export", "--corpus", str(brief_corpus), "--all", "-f", "pdf", "-o", str(tmp_path / "plain.pdf")])
    assert plain.exit_code == 0 and size(tmp_path / "plain.pdf") == letter  # `briefing export` follows the config too
    md = run(brief_corpus, "export", "w", "-f", "md", "--paper", "letter")
    assert md.exit_code == 0 and "--paper applies to PDF only" in md.stderr
    assert run(brief_corpus, "export", "w", "-f", "pdf", "-o", tmp_path / "x.pdf", "--paper", "a5").exit_code == 2
    (config / "config.yaml").write_text("paper: tabloid\n", encoding="utf-8")
    wrong = run(brief_corpus, "export", "w", "-f", "pdf", "-o", tmp_path / "wrong.pdf")
    assert wrong.exit_code == 0 and "paper must be one of a4, letter; using a4" in wrong.stderr and size(tmp_path / "wrong.pdf") == a4


def kept_grouping(root):
    """The stats of grouping ``root`` again as an export does (the analyst's dates):
    ``from_cache`` when the export before kept its grouping in the index."""
    from briefing.annotations import open_store
    from briefing.annotations.corrected import CorrectedCorpus
    from briefing.index import open_index
    from briefing.stories import group_stories

    corpus = open_index(root)
    store, _ = open_store(root, corpus.articles)
    return group_stories(CorrectedCorpus(corpus, store)).stats


def test_export_keeps_its_story_grouping_for_the_next_one(brief_corpus, tmp_path):
    """A corpus never indexed: the export groups through the index it builds, so the
    next export reads the grouping back instead of signing every body again."""
    run(brief_corpus, "new", "w")
    run(brief_corpus, "add", "w", "a_st", "d_pl")
    first = run(brief_corpus, "export", "w", "-f", "json", "-m", "lead")
    assert first.exit_code == 0, first.output
    stats = kept_grouping(brief_corpus)
    assert (stats.from_cache, stats.signed) == (True, 0)
    again = run(brief_corpus, "export", "w", "-f", "json", "-m", "lead")
    assert again.stdout == first.stdout  # same stories (and the rest) from the kept grouping


def test_highlight_refs_resolve_like_cite_and_keep_same_words_apart(brief_corpus):
    text = (brief_corpus / "annotations.yaml").read_text(encoding="utf-8")
    (brief_corpus / "annotations.yaml").write_text(text.replace(
        '        note: "timeline"\n',
        '        note: "timeline"\n      - quote: "Engineers expect repairs to take at least four days"\n'
        '        note: "said again later"\n'), encoding="utf-8")
    (brief_corpus / "a_story.md").write_bytes(b"\xff\xfe\x00\x00 not text \x00" * 50)  # only the annotations are read
    run(brief_corpus, "new", "w")
    result = run(brief_corpus, "judge", "w", "Slow", "--confidence", "likely", "--highlight", "a_st:2",
                 "--highlight", "a_st:3", "--highlight", "a_story.md:2")
    assert result.exit_code == 0 and "2 highlights" in result.output, result.output + result.stderr
    (j,) = load_brief(brief_corpus, "w").doc.judgments
    assert [(h.article, h.quote) for h in j.highlights] == [("a_story.md", "Engineers expect repairs to take at least four days")] * 2
    unknown = run(brief_corpus, "judge", "w", "X", "--confidence", "likely", "--cite", "zz_none")
    missing = run(brief_corpus, "judge", "w", "X", "--confidence", "likely", "--highlight", "zz_none:1")
    assert unknown.exit_code == missing.exit_code == 2
    assert len(load_brief(brief_corpus, "w").doc.judgments) == 1


def test_export_through_the_index_makes_no_meta_per_article(brief_corpus, monkeypatch):
    """At a million articles a meta per article is a gigabyte: the export reads the
    items', its stories' and the renamed files' rows only (and the same text)."""
    from briefing.index.rows import ArticleRows

    run(brief_corpus, "new", "w")
    run(brief_corpus, "add", "w", "a_st", "d_pl")
    assert CliRunner().invoke(main, ["index", "--corpus", str(brief_corpus)]).exit_code == 0
    first = run(brief_corpus, "export", "w", "-f", "json", "-m", "lead")
    assert first.exit_code == 0, first.output

    def refused(*_args, **_kwargs):
        raise AssertionError("every article's meta was made")

    monkeypatch.setattr(ArticleRows, "__iter__", refused)
    again = run(brief_corpus, "export", "w", "-f", "json", "-m", "lead")
    assert again.exit_code == 0 and again.stdout == first.stdout


def test_removing_an_item_prints_its_why_it_matters_so_it_is_not_lost(brief_corpus):
    run(brief_corpus, "new", "w")
    run(brief_corpus, "add", "w", "a_st", "d_pl")
    assert run(brief_corpus, "why", "w", "a_st", "First strike on the west this winter").exit_code == 0
    removed = run(brief_corpus, "remove", "w", "a_st", "d_pl")
    assert removed.exit_code == 0
    assert "a_story.md: its 'why it matters' was 'First strike on the west this winter'" in removed.stdout
    assert "d_plain.txt" not in removed.stdout  # (no words of its own to keep)


def test_a_new_briefing_under_a_name_in_use_says_so_plainly(brief_corpus):
    assert run(brief_corpus, "new", "w").exit_code == 0
    again = run(brief_corpus, "new", "w")
    assert again.exit_code == 2 and "a briefing named 'w' exists already" in again.stderr
