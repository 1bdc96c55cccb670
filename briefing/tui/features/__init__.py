"""The reader's features, held by the main screen as objects (composition).

Each feature owns its own state and keys and is typed against what it needs of the
screen (the protocols in :mod:`.host`): annotate (tags, notes, highlights, flag, read
state, date, title, undo), search (the search field and the list filter), summaries
(the summary of the open article and those summarized ahead), stories (grouping,
comparison, citing), keywords (the keywords line and suggested tags), reading
(opening articles, read marks) and export. Workers are ``@work`` functions that only
post the dataclass messages of :mod:`briefing.tui.messages`.
"""
