"""`export --stories`: one item per story of near-duplicates, with its sources, in
every format; hostile headlines stay inert; nothing changes without the option."""

from __future__ import annotations

import io
import json

import docx
import pytest
from click.testing import CliRunner

from briefing.annotations import open_store
from briefing.corpus import open_corpus
from briefing.export import BriefingOptions, Filter, export_briefing
from tests.seedfiles import copy_shared_seeds

from .conftest import BIGGEST, GOLDEN, HOSTILE, HOSTILE_ARTICLE, SOLLY
from .test_html import parse

COPY = "006_hostile_copy.md"
COPY_ARTICLE = HOSTILE_ARTICLE.replace(
    'title: "Hostile <script>document.title=\'pwned\'</script> headline # [x](http://evil.example)"',
    'title: "Copy <b onmouseover=alert(1)>bold</b> | cell | [y](http://evil.example) *star*"',
).replace("date: 2024-05-01", "date: 2024-05-02").replace('source: "![img](http://evil.example/y.png)"', 'source: "Wire <i>x</i>"')
OPTIONS = BriefingOptions(title="Stories", method="lead", sentences=1, stories=True)


@pytest.fixture
def story_loaded(corpus_root):
    """The annotated sample (see conftest) plus a second outlet's copy of the hostile
    article: two stories, (002, 003) and (005, 006)."""
    (corpus_root / COPY).write_text(COPY_ARTICLE, encoding="utf-8")
    corpus = open_corpus(corpus_root)
    store, _ = open_store(corpus_root, corpus.articles)
    return corpus, store


def test_markdown_story_mode_matches_golden(story_loaded):
    corpus, store = story_loaded
    result = export_briefing(corpus, store, Filter(everything=True), "md", OPTIONS)
    assert result.count == 5  # 7 articles, two stories of two
    assert result.text == (GOLDEN / "briefing_stories_all.md").read_text(encoding="utf-8")


def test_json_story_mode_lists_sources_and_follows_the_schema(story_loaded):
    from importlib.resources import files

    corpus, store = story_loaded
    data = json.loads(export_briefing(corpus, store, Filter(everything=True), "json", OPTIONS).text)
    assert data["stories"] is True
    ids = [item["id"] for item in data["items"]]
    assert ids == [HOSTILE, "004_6814731f4ee210d7.txt", BIGGEST, "000_c25f74af4bc17e80.txt", "001_91c4a80b16629b6a.txt"]
    by_id = {item["id"]: item for item in data["items"]}
    assert [s["id"] for s in by_id[BIGGEST]["sources"]] == [BIGGEST, SOLLY]
    assert by_id[BIGGEST]["sources"][0]["date"] == "2023-12-29"  # the analyst's date
    assert by_id[BIGGEST]["sources"][1] == {
        "id": SOLLY,
        "headline": "Russia hits Ukraine energy sites in ‘most powerful blow’ so far this year",
        "date": None,
        "source": None,
    }
    assert [s["id"] for s in by_id[HOSTILE]["sources"]] == [HOSTILE, COPY]
    assert by_id[HOSTILE]["sources"][1]["source"] == "Wire <i>x</i>"  # plain text in JSON
    assert by_id["000_c25f74af4bc17e80.txt"]["sources"] == []

    schema = json.loads(files("briefing.export").joinpath("schema/briefing.schema.json").read_text(encoding="utf-8"))

    def check(value, rule):
        if "const" in rule:
            assert value == rule["const"]
        if isinstance(value, dict) and "properties" in rule:
            optional = {key[1:-1]: sub for key, sub in rule.get("patternProperties", {}).items()}
            assert set(rule["required"]) <= set(value) <= set(rule["properties"]) | set(optional)
            for key, item in value.items():
                check(item, rule["properties"].get(key) or optional[key])
        if isinstance(value, list) and "items" in rule:
            for element in value:
                check(element, rule["items"])

    check(data, schema)


def test_without_the_option_nothing_changes(story_loaded):
    corpus, store = story_loaded
    data = json.loads(export_briefing(corpus, store, Filter(everything=True), "json", BriefingOptions(method="lead")).text)
    assert "stories" not in data and all("sources" not in item for item in data["items"])
    assert data["item_count"] == 7


def test_the_worked_on_member_represents_its_story(tmp_path):


    root = tmp_path / "plain"
    copy_shared_seeds(root)
    corpus = open_corpus(root)
    store, _ = open_store(root, corpus.articles)
    store.add_note(SOLLY, "the BBC version", at="2026-11-21T08:00:00Z")
    # Every article: 002 comes before 003 in the list (both undated), but 003 carries
    # the analyst's work, so it stands for the story.
    data = json.loads(export_briefing(corpus, store, Filter(everything=True), "json", OPTIONS).text)
    ids = [item["id"] for item in data["items"]]
    assert SOLLY in ids and BIGGEST not in ids and data["item_count"] == 4
    item = data["items"][ids.index(SOLLY)]
    assert [s["id"] for s in item["sources"]] == [BIGGEST, SOLLY]
    assert item["notes"][0]["text"] == "the BBC version"
    # Annotated only: the story shows up through its annotated member alone.
    data = json.loads(export_briefing(corpus, store, Filter(), "json", OPTIONS).text)
    assert [item["id"] for item in data["items"]] == [SOLLY]


def test_html_story_mode_sources_are_escaped(story_loaded):
    corpus, store = story_loaded
    page_text = export_briefing(corpus, store, Filter(everything=True), "html", OPTIONS).text
    page = parse(page_text)
    names = [tag for tag, _ in page.tags]
    assert "script" not in names and "b" not in names and "i" not in names
    sources = [attrs for tag, attrs in page.tags if tag == "li" and attrs.get("class") == "story-source"]
    assert len(sources) == 4
    assert "Copy <b onmouseover=alert(1)>bold</b> | cell | [y](http://evil.example) *star*" in page.text["headline"]
    assert "&lt;b onmouseover=alert(1)&gt;" in page_text


def test_markdown_story_sources_are_inert(story_loaded):
    corpus, store = story_loaded
    text = export_briefing(corpus, store, Filter(everything=True), "md", OPTIONS).text
    line = next(line for line in text.splitlines() if COPY in line)
    assert line.startswith("  - 2024-05-02: ")
    assert "\\[y\\](http://evil.example)" in line and "\\<b onmouseover" in line  # escaped: no link, no tag
    assert "[y](" not in line.replace("\\[y\\](", "") and " <b " not in line


def test_docx_story_mode_lists_sources(story_loaded):
    corpus, store = story_loaded
    result = export_briefing(corpus, store, Filter(everything=True), "docx", OPTIONS)
    document = docx.Document(io.BytesIO(result.data))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Normal", "Sources: 2") in paragraphs
    bullets = [text for style, text in paragraphs if style == "List Bullet"]
    assert f"undated: Russia hits Ukraine energy sites in ‘most powerful blow’ so far this year — {SOLLY}" in bullets
    assert any(b.startswith("2024-05-02: Copy <b onmouseover=alert(1)>bold</b>") and b.endswith(COPY) for b in bullets)
    assert [t for s, t in paragraphs if s == "Heading 2"][0].startswith("1. Hostile")


def test_cli_export_stories_flag(corpus_root):
    from briefing.cli import main

    result = CliRunner().invoke(main, ["export", "--corpus", str(corpus_root), "--all", "--stories", "-f", "json", "-m", "lead"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["stories"] is True and data["item_count"] == 5


def test_every_annotated_version_of_a_story_keeps_its_notes_tags_and_flag(story_loaded):
    corpus, store = story_loaded
    store.add_note(BIGGEST, "NOTE-ON-THE-LEAD")
    store.add_note(SOLLY, "NOTE-ON-THE-REWRITE")
    store.add_tags(SOLLY, ["only-on-rewrite"])
    store.add_highlight(SOLLY, "most powerful blow", "QUOTE-NOTE")
    store.set_flagged(SOLLY, True)
    store.set_read(SOLLY, True)
    data = json.loads(export_briefing(corpus, store, Filter(everything=True), "json", OPTIONS).text)
    story = [item for item in data["items"] if item["id"] in (BIGGEST, SOLLY)]
    assert len(story) == 1  # still one item for the story
    item = story[0]
    assert item["id"] == BIGGEST  # the newest version worked on (the analyst dated it)
    texts = [n["text"] for n in item["notes"]]
    other = SOLLY
    assert any("NOTE-ON-THE-LEAD" in t for t in texts) and any("NOTE-ON-THE-REWRITE" in t for t in texts)
    assert any(t.startswith(f"On {other}: ") for t in texts)  # says which version the note was made on
    assert "only-on-rewrite" in item["tags"]
    assert any(h["quote"] == "most powerful blow" and h["note"] == f"On {SOLLY}: QUOTE-NOTE" for h in item["highlights"])
    assert item["status"] == "flagged"
    markdown = export_briefing(corpus, store, Filter(everything=True), "md", OPTIONS).text
    assert "NOTE-ON-THE-LEAD" in markdown and "NOTE-ON-THE-REWRITE" in markdown


def test_cli_export_stories_keeps_the_grouping_for_the_next_export(corpus_root):
    from briefing.cli import main
    from tests.brief.test_cli import kept_grouping

    result = CliRunner().invoke(main, ["export", "--corpus", str(corpus_root), "--all", "--stories", "-f", "json", "-m", "lead"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    stats = kept_grouping(corpus_root)
    assert (stats.from_cache, stats.signed) == (True, 0)
