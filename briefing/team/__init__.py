"""A team on one corpus: git carries the analysts' work.

- :mod:`briefing.team.mergefile`: ``briefing merge-file BASE OURS THEIRS [PATH]``,
  the three-way merge of :mod:`briefing.annotations.merge` as a git merge driver,
  dispatching on the kind of file (annotations, watchlists, composed briefings
  in ``briefings/*.yaml``). Never writes conflict markers into YAML.
- :mod:`briefing.team.watchlists`: the keyed three-way merge of a watchlists file.
- :mod:`briefing.team.gitsetup`: ``briefing team init`` (``.gitattributes``, the
  repository's ``merge.briefing`` driver, ignore entries).

Plain Python (never imports textual).
"""
