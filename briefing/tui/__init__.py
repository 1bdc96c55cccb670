"""The reader: the only package that imports Textual.

``briefing.tui.app.run(root)`` opens it. The main screen holds a
:class:`~briefing.tui.state.ReaderState` (what the reader shows; pure functions over
it answer "which rows", "which articles", "what do we say") and the features in
``features/`` (annotate, search, summaries, stories, keywords, reading, export) as
objects. Every key is in ``bindings.py``; workers post the dataclass messages of
``messages.py``. Screens live in ``screens/``, widgets in ``widgets/``, styles in
``styles/*.tcss``; ``themes.py`` turns YAML files into Textual themes, ``commands.py``
feeds the command palette from the bindings.
"""

import os

# Textual draws at most TEXTUAL_FPS frames a second (60 by default), so a keypress
# waits up to 17 ms for the frame that shows it. At 120 the wait halves; nothing is
# drawn more often when nothing changes. Read once, when Textual is first imported:
# set here, before any module of this package imports it. A user's value wins.
os.environ.setdefault("TEXTUAL_FPS", "120")
