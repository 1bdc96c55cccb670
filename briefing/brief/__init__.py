"""Composed briefings: the document an analyst writes around the articles.

- :mod:`briefing.brief.model`: the document (title, marking, bottom line, judgments,
  sections of items) and the pure operations on it; the confidence scale.
- :mod:`briefing.brief.store`: one YAML file per briefing in ``briefings/`` beside the
  annotations, with the annotations' durability and merge rules, and the git merge
  driver's kind for those files.
- :mod:`briefing.brief.build`: the export model (:class:`briefing.export.model.Briefing`)
  of a composed briefing: sources numbered, story summaries, suggested overview.

Plain Python (never imports textual).
"""
