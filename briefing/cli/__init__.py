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

from briefing.cli import annotate, corpus, export, index, stories, summarize, team
from briefing.cli import brief as brief
from briefing.cli import lang as lang
from briefing.cli import stats as stats
from briefing.cli import watch as watch
from briefing.cli.app import main

__all__ = ["main"]
_COMMAND_MODULES = (annotate, corpus, export, index, stories, summarize, team, watch, lang)  # imported for their commands
_BRIEF_COMMANDS = (brief,)  # briefing brief ... (issue 17)
_COMMAND_MODULES = (annotate, corpus, export, index, stories, summarize, team, watch, stats)  # imported for their commands
