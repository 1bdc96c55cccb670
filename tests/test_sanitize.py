from briefing.sanitize import REPLACEMENT, clean_line, clean_text


def test_escape_sequences_are_removed():
    hostile = "a\x1b]0;pwned\x07b\x1b]52;c;ZXZpbA==\x07c\x1b[31mred\x1b[0m"
    out = clean_text(hostile)
    assert "\x1b" not in out and "\x07" not in out
    assert "pwned" not in out and "ZXZpbA" not in out
    assert "red" in out


def test_c0_c1_and_nul_become_visible_replacements():
    out = clean_text("x\x00y\x85z\x9bq\x7f")
    assert out == f"x{REPLACEMENT}y{REPLACEMENT}z{REPLACEMENT}q{REPLACEMENT}"


def test_bidi_overrides_are_dropped_newlines_kept():
    out = clean_text("abc\u202edcba\u2066x\u2069\r\nnext\rline\ttab")
    assert out == "abcdcbax\nnext\nline\ttab"


def test_markup_is_left_as_text():
    # Markup is not our business here: it is shown literally by the renderers.
    assert clean_text("[bold red]x[/]") == "[bold red]x[/]"


def test_clean_line_has_no_newlines():
    assert clean_line("a\nb\tc") == "a b c"


def test_shorten_makes_one_clean_line_and_cuts_with_an_ellipsis():
    from briefing.sanitize import shorten

    assert shorten("  a\n\tb   c ", 10) == "a b c"
    assert shorten("abcdefghij", 10) == "abcdefghij"
    assert shorten("abcd efghijk", 6) == "abcd…"  # cut, trailing space dropped, then the ellipsis
    assert len(shorten("x" * 100, 20)) == 20
    assert "\x1b" not in shorten("title \x1b]0;pwned\x07 end", 40)
