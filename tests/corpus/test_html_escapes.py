"""An HTML page's text reads as the page wrote it: no Markdown escapes left over.

trafilatura returns the main text as Markdown, escaping the page's own ``[ ] _ * ~ `
<`` and block markers (``\\[sic\\]``, ``snake\\_case``, ``\\*1\\*``). The reader, the
summaries and the exports show the body, so the escapes are undone once the Markdown
structure is read; backslashes that are the page's own, and any backslash in a plain
text or Markdown file, stay.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from briefing.summarize import summarize

from .helpers import load_one

FILLER = "The committee met again on Friday to discuss the findings of the inquiry in detail. "

PAGE = r"""<!doctype html><html><head><title>Inquiry [sic] report</title></head><body><article>
<h1>Inquiry into snake_case [sic] names</h1>
<p>The witness said the figures were [sic] wrong and named the file my_var_name.csv in evidence.
She quoted *1* and 2*3*4 = 24 and ~approx~ and `tick` and 5 &lt; 6 from the draft.</p>
<p>The path C:\new\dir and the share \\server\share and the pattern \d+\.\d and a literal \[ stayed.
An <em>emphasised</em> word and a <b>bold</b> word lost their marks.</p>
<p># is the symbol the clerk used at the start of every numbered line of the ledger he kept.</p>
<p>""" + FILLER * 3 + r"""</p>
<h2>Findings_part [two]</h2>
<p>""" + FILLER * 3 + """</p>
</article></body></html>"""


def test_html_body_title_and_headings_have_no_markdown_escapes(tmp_path):
    article = load_one(tmp_path, "page.html", PAGE)
    body = article.body
    assert article.title == "Inquiry into snake_case [sic] names"
    assert "were [sic] wrong" in body and "my_var_name.csv" in body
    assert "quoted *1* and 2*3*4 = 24 and ~approx~ and `tick` and 5 < 6" in body
    assert "An emphasised word and a bold word" in body  # emphasis marks still go
    assert "# is the symbol the clerk used" in body  # a block marker escape, undone
    assert "Findings_part [two]" in article.headings and "Findings_part [two]" in body
    # The page's own backslashes are untouched.
    assert r"C:\new\dir" in body and r"\\server\share" in body and r"\d+\.\d" in body
    assert r"a literal \[ stayed" in body
    assert "\\_" not in body and "\\[sic" not in body and "\\*" not in body


def test_summaries_and_json_exports_of_an_html_page_show_the_text(tmp_path):
    corpus = tmp_path / "corpus"
    article = load_one(corpus, "page.html", PAGE)
    sentences = summarize(article.body, 10, headings=article.headings)
    joined = " ".join(sentences)
    assert "[sic]" in joined and "\\[sic" not in joined and "\\_" not in joined
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(tmp_path / "cache"),
           "BRIEFING_CONFIG_DIR": str(tmp_path / "config"), "BRIEFING_DATA_DIR": str(tmp_path / "data")}
    out = subprocess.run([sys.executable, "-m", "briefing", "export", "--all", "--format", "json",
                          "--sentences", "10", "--corpus", str(corpus)],
                         capture_output=True, text=True, env=env, timeout=120, check=True).stdout
    text = json.dumps(json.loads(out), ensure_ascii=False)
    assert "were [sic] wrong" in text and "snake_case [sic]" in text
    assert "\\\\[sic" not in text and "\\\\_" not in text  # no escape left (JSON doubles a backslash)


def test_plain_text_and_markdown_files_keep_their_backslashes(tmp_path):
    text = "A regex note\n\nThe pattern \\[sic\\] and snake\\_case and C:\\new and \\1\\ stay as typed here.\n"
    for name in ("note.txt", "note.md"):
        article = load_one(tmp_path, name, text)
        assert "\\[sic\\] and snake\\_case and C:\\new and \\1\\ stay" in article.body


def test_unescape_is_the_inverse_of_trafilaturas_escaping():
    from briefing.corpus.html import unescape_markdown

    assert unescape_markdown(r"a \[b\] c\_d \*e\* \~f\~ \`g\` \<h") == "a [b] c_d *e* ~f~ `g` <h"
    # trafilatura doubles the page's own backslashes before a special character
    assert unescape_markdown(r"x\\\[y") == r"x\[y"
    assert unescape_markdown(r"\\server\share C:\new \d\.") == r"\\server\share C:\new \d\."
    assert unescape_markdown(r"\## head \- item 12\. item \> quote") == "## head - item 12. item > quote"
    assert unescape_markdown(r"code `a\_b` stays, prose c\_d does not") == r"code `a\_b` stays, prose c_d does not"
