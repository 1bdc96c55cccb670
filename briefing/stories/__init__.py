"""Stories: near-duplicate articles grouped into one story, and what differs between them.

Core package: it never imports Textual.
"""

from briefing.stories.group import Cancelled, GroupStats, Stories, Story, group_signatures, group_stories

__all__ = ["Cancelled", "GroupStats", "Stories", "Story", "group_signatures", "group_stories"]
