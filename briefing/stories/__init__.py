"""Stories: near-duplicate articles grouped into one story, and what differs between them.

Core package: it never imports Textual.

Grouping (this module's public API, for the reader and the command line)::

    from briefing.stories import group_stories, Cancelled

    stories = group_stories(corpus, threshold=None, progress=None, cancel=None,
                            *, window_days=None, workers=None, use_cache=True)
    stories.stories            # list[Story], in the order a newest-first list meets them
    stories.story_of(id)       # the Story holding article ``id``, or None (a singleton)
    stories.group_of(ids)      # {id: Story} for those of ``ids`` in a story (rows on screen)
    stories.members(story_id)  # its members' ids in story order, () if no such story
    stories.get(story_id)      # the Story with that id, or None
    stories.grouped, stories.sizes, len(stories), stories.threshold, stories.window_days
    stories.stats              # GroupStats: signed, reused, candidates, from_cache, seconds...
    story.id, story.members, story.scores, story.lead, len(story)

- ``corpus``: an :class:`~briefing.index.IndexedCorpus` (what the reader holds), a
  :class:`~briefing.corpus.Corpus`, or a folder path (opened with ``open_index``).
- ``threshold``: how alike two articles must be, the estimated Jaccard similarity
  of their word 3-shingles (0.05-1; default ``story_threshold`` of config.yaml,
  else 0.2). ``window_days``: dated articles more than this many days from the
  story's lead are not merged (default ``story_window_days``, else 7; 0: no limit;
  undated articles are never kept out by date).
- A :class:`Story` has two or more members; articles in no story are not stories.
  ``members`` are in story order: oldest first, undated last, then id. The first is
  the lead and ``story.id`` is its article id (so a new, older copy of a story
  gives it a new id). ``scores[k]``: member k's estimated similarity to the lead.
- Thread-safe to call from a worker thread; ``progress(done, total)`` counts bodies
  read and signed (``(0, 0)`` when nothing needed reading); ``cancel()`` is polled
  between batches of 200 files and raises :class:`Cancelled` (signatures made so
  far are kept). Bodies are read in two worker processes (subprocess, not fork)
  when there are 600 or more to read.
- Persistence: signatures (by body fingerprint) and the last grouping live in the
  index cache file (:mod:`briefing.stories.store`); when nothing changed (same ids,
  fingerprints, dates and settings) the stories are read back without reading a
  file. A rebuilt or damaged cache is recomputed silently.

At a million articles (issue 20; ``bench/stories_scale.py``):

- The articles are read from the index file as columns (ids in one buffer, 64-bit
  body keys, day numbers: :mod:`~briefing.stories.columns`), never as an
  ``ArticleMeta`` each, so a corpus whose ``articles`` are read by window (the
  reader's list) is not loaded whole. Signatures are stored in packs and loaded
  with numpy; copies of one body and of one signature are one class from the
  start; the stars are split in rounds over every component at once.
- Read back asks the index's record of its last complete walk (one row of its
  ``meta``; with the analyst's dates and the settings, the "quick key") whether
  anything changed since the grouping, and only when there is no such record reads
  every article's id, body key and date to tell. It then reads one row per story.
- What a reader holds: a :class:`Stories` of a few arrays (the members' ids in one
  buffer, their sorted string hashes, story bounds, scores: about 35 bytes and the
  id per grouped article, :mod:`~briefing.stories.held`); a :class:`Story` is made
  when asked for. :meth:`Stories.story_of` and :meth:`Stories.group_of` answer for
  any rows, ``members_at`` for a chunk of ids at once (the list's layout), so a
  windowed list asks only for the rows it shows. Articles in no story cost nothing.
  Read back fills those arrays from the stored rows without an object per member.
- Signing (the first grouping of a corpus whose cache has no signatures): bodies
  are handed to the workers 20,000 at a time, so the reader never holds a job per
  article.
- Files arriving: the watcher's refresh changes the index (and clears its walk
  record); the next grouping reuses every stored signature, signs only the new
  bodies, and regroups from signatures (seconds at a million; not a partial
  update of the stored stories: a new, older copy can change a story's lead).

How: :mod:`~briefing.stories.signature` (features and MinHash),
:mod:`~briefing.stories.lsh` (candidate pairs), :mod:`~briefing.stories.cluster`
(verification, components, stars around a lead), :mod:`~briefing.stories.group`
(the corpus, the cache), :mod:`~briefing.stories.render` (``briefing stories``).
Measured in ``bench/stories.py``.
"""

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from briefing.stories.group import Cancelled, GroupStats, NotStored, Stories, Story, group_signatures, group_stories

# Imported on first use: grouping needs numpy, and the reader imports
# briefing.stories.kinds (plain constants) at start-up.
__all__ = ["Cancelled", "GroupStats", "NotStored", "Stories", "Story", "group_signatures", "group_stories"]
_PUBLIC = frozenset(__all__)


def __getattr__(name: str) -> object:
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module("briefing.stories.group"), name)
    globals()[name] = value
    return value
