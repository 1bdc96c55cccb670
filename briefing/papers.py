"""The page sizes a PDF export can take: config.yaml's ``paper``, the command
line's ``--paper``, the reader's export dialogs and the PDF renderer all use
this one list (names as fpdf2 takes them). No imports: the command line reads
it while it starts."""

from __future__ import annotations

PAPERS = ("a4", "letter")
DEFAULT_PAPER = "a4"
