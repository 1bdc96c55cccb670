"""The corpus on disk while the reader is open: the cache notice at open, and the
folder watcher (articles added, changed, renamed or removed; annotations.yaml
changed by another program; the folder moved away)."""

from __future__ import annotations

from briefing.sanitize import clean_line
from briefing.tui.features.host import Host


class Live:
    def __init__(self, host: Host) -> None:
        self.host = host
        self._cache_said = False

    def loaded(self) -> None:
        """The corpus is loaded: say once if the cache folder could not be used (the
        index and summaries then live in a temporary folder)."""
        from briefing.cachedir import cache_notice

        notice = cache_notice()
        if notice and not self._cache_said:
            self._cache_said = True
            self.host.node.app.notify(clean_line(notice), title="Cache", severity="warning", timeout=12,
                                      markup=False)
