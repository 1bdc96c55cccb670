"""Titles, bylines, furniture, headings, paragraphs, control bytes."""

from __future__ import annotations

from briefing.corpus.parse import parse_text, shorten

from .helpers import load_one


def test_headline_line_is_the_title_and_leaves_the_body(tmp_path):
    a = load_one(tmp_path, "a.txt", "Russia hits energy sites\n\nFirst paragraph of text.\n")
    assert (a.title, a.meta.title_derived, a.body) == ("Russia hits energy sites", False, "First paragraph of text.")


def test_no_headline_gives_a_derived_title_cut_at_a_word(tmp_path):
    text = (
        "The Ministry of Defence has warned of a looming threat that missile strikes against the "
        "energy grid may resume this winter. Second sentence.\n"
    )
    a = load_one(tmp_path, "a.txt", text)
    assert a.meta.title_derived
    assert a.title == "The Ministry of Defence has warned of a looming threat…"  # cut at a clause
    assert len(a.title) <= 80
    assert a.body == text.strip()  # the first sentence stays in the body


def test_derived_title_from_a_short_sentence_keeps_it_whole(tmp_path):
    a = load_one(tmp_path, "a.txt", "Power is back in Kyiv. Crews worked overnight to repair lines.\n")
    assert (a.title, a.meta.title_derived) == ("Power is back in Kyiv", True)


def test_derived_title_skips_abbreviations():
    p = parse_text("Mr. Smith met Dr. Jones in the U.S. capital on Friday. Then he left.")
    assert p.title == "Mr. Smith met Dr. Jones in the U.S. capital on Friday"


def test_shorten_drops_dangling_small_words():
    assert shorten("word " * 15 + "and the rest of a very long sentence goes on", 80).endswith("…")
    assert shorten("Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi of the", 60) == (
        "Alpha beta gamma delta epsilon zeta eta theta iota kappa…"
    )


def test_a_sentence_first_line_is_not_a_headline(tmp_path):
    a = load_one(tmp_path, "a.txt", "Russia launched an attack.\nIt hit the grid.\n")
    assert a.meta.title_derived
    assert a.body == "Russia launched an attack.\n\nIt hit the grid."  # one paragraph per line


def test_hard_wrapped_lines_are_joined(tmp_path):
    text = (
        "Headline of the piece\n\nThe strikes were launched as temperatures\n"
        "dropped below freezing and left more than a\nthousand tower blocks without heat.\n"
    )
    a = load_one(tmp_path, "a.txt", text)
    assert a.body == (
        "The strikes were launched as temperatures dropped below freezing and left more than a "
        "thousand tower blocks without heat."
    )


def test_byline_at_start_and_at_end(tmp_path):
    a = load_one(tmp_path, "a.txt", "A headline\n\nBy Jane Doe\n\nText of the story.\n")
    assert (a.meta.author, a.body) == ("Jane Doe", "Text of the story.")
    b = load_one(tmp_path, "b.txt", "A headline\n\nText of the story.\n\nBy Anthony Solly\n")
    assert (b.meta.author, b.body) == ("Anthony Solly", "Text of the story.")
    c = load_one(tmp_path, "c.txt", "A headline\n\nBy Jane Doe and John van der Berg, Reuters\n\nText.\n")
    assert (c.meta.author, c.meta.source) == ("Jane Doe and John van der Berg", "Reuters")


def test_sentences_starting_with_by_are_not_bylines(tmp_path):
    text = "A headline\n\nBy then it was too late.\n\nBy Monday, the troops had left the city.\n"
    a = load_one(tmp_path, "a.txt", text)
    assert a.meta.author is None
    assert a.body == "By then it was too late.\n\nBy Monday, the troops had left the city."


def test_site_furniture_leaves_the_body(tmp_path):
    text = (
        "Share this article\nA headline\n\nFirst paragraph.\n\nAdvertisement\n\nSecond paragraph.\n\n"
        "Follow us on Twitter\nSubscribe to our newsletter\nRead more: another story\nShare on Facebook\n"
        "Previous articleWhat was the Second Reich\nNext articleWhat is known about drones\n"
    )
    a = load_one(tmp_path, "a.txt", text)
    assert a.title == "A headline"
    assert a.body == "First paragraph.\n\nSecond paragraph."


def test_furniture_words_inside_real_sentences_stay(tmp_path):
    text = "A headline\n\nNext, the article says the grid held.\n\nShare prices fell sharply on Monday.\n"
    a = load_one(tmp_path, "a.txt", text)
    assert a.body == "Next, the article says the grid held.\n\nShare prices fell sharply on Monday."


def test_inner_section_headings_are_kept_and_listed(tmp_path):
    text = (
        "A headline\n\nFirst paragraph of the story, long enough to read as text.\n\n"
        "The Belarus factor\n\nAllies. Putin will meet his Belarusian counterpart on Monday.\n\n"
        "Is a new offensive coming?\n\nAnalysts are divided on what happens next in the war.\n\n"
        "“What now?”\n\nA quoted question is not a heading, it is a quote from someone.\n"
    )
    a = load_one(tmp_path, "a.txt", text)
    assert a.headings == frozenset({"The Belarus factor", "Is a new offensive coming?"})
    assert "The Belarus factor" in a.paragraphs()  # kept in the body


def test_padding_blank_lines_collapse_to_one_blank_line(tmp_path):
    a = load_one(tmp_path, "a.txt", "\n\n\nA headline\n\n\n\n\nOne.\n\n\n\n   \n\t\nTwo.\n\n\n\n\n")
    assert a.body == "One.\n\nTwo."
    assert "\n\n\n" not in a.body


def test_control_bytes_are_removed_from_title_and_body(tmp_path):
    text = (
        "Head\x1b]0;pwned\x07line \x1b[31mred\x1b[0m \u202eevil\u202c\n\n"
        "Body \x1b[2J with \x85 C1, a \x00 NUL and a \u2066bidi\u2069 isolate.\n"
    )
    a = load_one(tmp_path, "a.txt", text)
    for s in (a.title, a.body, *a.paragraphs()):
        assert not any(c in s for c in "\x1b\x07\x00\x85\u202e\u202c\u2066\u2069")
    assert "red" in a.title and "evil" in a.title
    assert "bidi isolate" in a.body


def test_markup_like_text_is_kept_as_text(tmp_path):
    a = load_one(tmp_path, "a.txt", "[bold red]Not markup[/] headline\n\nBody [link=x]text[/link].\n")
    assert a.title == "[bold red]Not markup[/] headline"
    assert a.body == "Body [link=x]text[/link]."


def test_markdown_headings(tmp_path):
    text = "# The real title\n\nIntro paragraph here.\n\n## First section\n\nMore text here.\n\nSetext\n------\n\nLast text here.\n"
    a = load_one(tmp_path, "a.md", text)
    assert (a.title, a.meta.title_derived) == ("The real title", False)
    assert a.headings == frozenset({"First section", "Setext"})
    assert a.body == "Intro paragraph here.\n\nFirst section\n\nMore text here.\n\nSetext\n\nLast text here."


def test_markdown_hard_wrapped_paragraph_is_joined(tmp_path):
    a = load_one(tmp_path, "a.md", "# T\n\nline one of a\nparagraph that wraps\n\n- item one\n- item two\n")
    assert a.paragraphs() == ["line one of a paragraph that wraps", "- item one", "- item two"]


def test_fingerprint_is_sha256_of_the_clean_body(tmp_path):
    import hashlib

    a = load_one(tmp_path, "a.txt", "A headline\r\n\r\nBody text.\r\n")
    b = load_one(tmp_path, "b.txt", "A headline\n\n\n\nBody text.\n\n")
    assert a.fingerprint == "sha256:" + hashlib.sha256(b"Body text.").hexdigest()
    assert a.fingerprint == b.fingerprint


def test_word_count(tmp_path):
    a = load_one(tmp_path, "a.txt", "A headline\n\nOne two three.\n\nFour five.\n")
    assert a.meta.words == 5


def test_a_line_above_the_date_marker_is_the_headline_even_with_a_full_stop(tmp_path):
    a = load_one(tmp_path, "a.txt", '(cnn) "hamlet."\n\ndate 2022-07-02 (cnn) "hamlet." "romeo and juliet."\n\nMore.\n')
    assert (a.title, a.meta.title_derived) == ('(cnn) "hamlet."', False)
    assert a.date is not None and a.date.isoformat() == "2022-07-02"
    assert a.body.startswith('(cnn) "hamlet." "romeo')


def test_lone_questions_are_not_headings_without_other_headings(tmp_path):
    text = "A headline\n\nThe interview began with small talk about the team.\n\nHave you looked at their team?\n\nYes, and they look strong in every position this year.\n"
    assert load_one(tmp_path, "a.txt", text).headings == frozenset()


def test_url_and_source_lines_become_the_source(tmp_path):
    a = load_one(tmp_path, "a.txt", "https://www.example.org/news/1\nA headline\n\nBody text.\n")
    assert (a.meta.source, a.title, a.body) == ("example.org", "A headline", "Body text.")
    b = load_one(tmp_path, "b.txt", "A headline\n\nBody text.\n\nSource: WBUR.\n")
    assert (b.meta.source, b.body) == ("WBUR", "Body text.")


def test_lowercase_first_line_standing_alone_is_a_headline(tmp_path):
    a = load_one(tmp_path, "a.txt", "(cnn) the grid went dark across the region\n\n(cnn) the grid went dark. More text.\n")
    assert (a.title, a.meta.title_derived) == ("(cnn) the grid went dark across the region", False)


def test_glued_furniture_variants(tmp_path):
    text = "A headline\n\nPrevious post-war governments kept the grid.\n\nPrevious article(cnn) x\nNext article’ since 2009\n"
    a = load_one(tmp_path, "a.txt", text)
    assert a.body == "Previous post-war governments kept the grid."
