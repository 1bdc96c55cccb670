"""The command line: the only place that parses arguments.

``briefing`` with no command opens the reader; ``briefing DIR`` opens it on DIR.
Every command takes ``--corpus DIR`` (or ``BRIEFING_CORPUS``); without either the
bundled sample corpus is used.

One module per group of commands, each registering its commands on :data:`main`
(:mod:`briefing.cli.app`): ``corpus`` (list, show), ``summarize``, ``annotate``
(tag, note, flag), ``export``, ``index``, ``stories`` (stories, compare, keywords),
``watch`` (watchlists);
what they share is in :mod:`briefing.cli.common`. The commands parse their
arguments and print; the work is done by the core packages.
"""

from __future__ import annotations

from briefing.cli.app import main  # its commands' modules are imported when a command is looked up (app.COMMANDS)

__all__ = ["main"]
