"""A large corpus's first grouping into stories in a process of its own (issue 20).

The reader groups its corpus once it is listed. When the stories are in the index
cache (every session but the first) they are read back in a fraction of a second;
the first time, every body is signed (in processes of their own already) and the
signatures grouped, and that grouping made and freed hundreds of MB in the reader's
heap at a million articles, while the analyst browsed. For a corpus of more than
:data:`LARGE_CORPUS` articles whose stories are not stored, :func:`group_large` has
``python -m briefing.stories.child ROOT NICE`` do it (the same
:func:`~briefing.stories.group.group_stories`, which stores what it found) and then
reads the stories back. The analyst's corrected titles and dates (they decide a
story's lead and its date window) are sent to the child, so it groups what the
reader shows; should they change meanwhile, the read back misses and the reader
groups in-process from the signatures the child stored.

Protocol (:mod:`briefing.childjob`): parent to child, one first message (the
corrections, ``{id: (title, date)}``, or None for none); then closing stdin asks it
to stop (what it signed stays in the cache). Child to parent: ``("progress", done,
total)``, last ``("done", cancelled)``.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from briefing import childjob

LARGE_CORPUS = 20_000  # articles above which a first grouping runs in a child

Fixes = Mapping[str, tuple[str | None, dt.date | None]]


def group_large(group: Callable[..., Any], source: Any, root: Path, fixes: Fixes | None, *,
                progress: Callable[[int, int], None] | None, cancel: Callable[[], bool], nice: int) -> Any:
    """The stories of ``source`` (the corpus as the reader shows it, from ``root``):
    ``group`` (:func:`~briefing.stories.group.group_stories`) reads them back when
    stored; for a large corpus whose stories are not, a child groups it first. Raises
    :class:`~briefing.stories.group.Cancelled` when ``cancel()`` says so."""
    from briefing.stories.group import Cancelled, NotStored

    if len(source.articles) > LARGE_CORPUS:
        try:
            return group(source, progress=progress, cancel=cancel, nice=nice, stored_only=True)
        except NotStored:
            done = group_in_child(root, fixes, progress=progress, should_stop=cancel, nice=nice)
            if done is False or cancel():
                raise Cancelled() from None
            # Done (read back now) or the child failed (grouped here, from what it signed).
    return group(source, progress=progress, cancel=cancel, nice=nice)


def group_in_child(root: Path, fixes: Fixes | None, *, progress: Callable[[int, int], None] | None,
                   should_stop: Callable[[], bool], nice: int = 0,
                   module: str = "briefing.stories.child") -> bool | None:
    """Group the stories of ``root`` (with ``fixes`` applied) in a child process, which
    stores them in the index cache. True when it did, False when it stopped because
    ``should_stop()`` said so, None when it could not start or died."""

    def on_message(message: tuple[Any, ...]) -> None:
        if message[0] == "progress" and len(message) == 3 and progress is not None:
            progress(int(message[1]), int(message[2]))

    return childjob.run(module, (str(root), str(nice)), on_message=on_message, should_stop=should_stop,
                        first=dict(fixes) if fixes is not None else None)


def serve(root: Path, nice: int) -> None:
    """Child side: read the corrections, group, tell, exit."""
    from briefing.annotations.corrected import CorrectedCorpus, Corrections
    from briefing.index import CorpusIndex
    from briefing.stories.group import Cancelled, group_stories

    side = childjob.ChildSide(first=True)
    corpus = CorpusIndex(root).snapshot()
    source: Any = corpus
    if isinstance(side.first, dict):
        source = CorrectedCorpus(corpus, fix=Corrections.from_fixes(side.first))
    try:
        group_stories(source, progress=lambda done, total: side.send(("progress", done, total)),
                      cancel=side.stop.is_set, nice=nice)
    except Cancelled:
        side.send(("done", True))
        return
    side.send(("done", False))


if __name__ == "__main__":
    serve(Path(sys.argv[1]), int(sys.argv[2]))
