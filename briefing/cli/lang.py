"""``briefing lang ID... CODE`` / ``briefing lang ID... --clear``: the analyst's
language for articles (ISO 639-1), over the detected one, as a date or title
correction is (saved in annotations.yaml at once)."""

from __future__ import annotations

import click

from briefing.cli.annotate import _apply
from briefing.cli.app import main
from briefing.cli.common import annotations_for, corpus_option, corpus_root, fail, find_or_fail, warn
from briefing.sanitize import clean_line


@main.command("lang")
@click.argument("args", nargs=-1, required=True, metavar="ID... [CODE]")
@click.option("--clear", is_flag=True, help="Take the analyst's language off (the detected one stands).")
@corpus_option
@click.pass_context
def lang_command(ctx: click.Context, args: tuple[str, ...], clear: bool, corpus: str | None) -> None:
    """Set the language of articles (a two-letter ISO 639-1 code such as uk, ru,
    de, or und for undetermined) over the detected one; --clear takes it off.
    Search stems, summaries and `lang:`/`--lang` then follow it."""
    from briefing.lang import check_code, name

    if clear:
        ids, code = args, None
    else:
        if len(args) < 2:
            fail("give the article ids, then the language code (or --clear)")
        ids, typed = args[:-1], args[-1]
        try:
            code = check_code(typed)
        except ValueError as err:
            fail(str(err))
    root = corpus_root(ctx, corpus)
    metas = [find_or_fail(root, article_id, unreadable=2).meta for article_id in ids]
    store = annotations_for(root, writing=True)
    store.attach(metas)
    _apply(lambda: store.set_lang([m.id for m in metas], code))
    for meta in metas:
        detected = name(meta.lang)
        if code is None:
            warn(f"{clean_line(meta.id)}: language back to the detected one: {detected}")
        else:
            warn(f"{clean_line(meta.id)}: language set to {name(code)} (detected: {detected})")
