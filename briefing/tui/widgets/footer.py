"""The key hints at the bottom: Textual's Footer, rebuilt only when what it shows changes.

Textual's Footer mounts a new widget per key whenever the bindings may have changed
(every focus change, e.g. enter from the list to the reader), which costs a frame's
worth of work right when an article opens. This one compares what it would show
(keys, labels, enabled state) with what it shows and rebuilds only on a difference.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None

    @staticmethod
    def _signature(screen: Screen) -> tuple:
        return tuple(
            (key, binding.key_display, binding.description, binding.action, enabled, tooltip, id(binding.group))
            for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show
        )

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = self._signature(screen)
            if shown == self._shown:
                return  # the same keys, labels and states (and shown once already): nothing to rebuild
            self._shown = shown
        super().bindings_changed(screen)
