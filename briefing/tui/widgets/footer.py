"""The key hints at the bottom: Textual's Footer, rebuilt only when what it shows changes.

Textual's Footer mounts a new widget per key whenever the bindings may have changed
(every focus change, e.g. enter from the list to the reader), which costs a frame's
worth of work right when an article opens. This one compares what it would show
(keys, labels, enabled state) with what it shows and rebuilds only on a difference.

It also lets go of the keys it removed. Textual 8's Footer binds each key it mounts to
its own ``compact`` value (``data_bind``), which adds the key to the Footer's watchers;
a removed key leaves that list only when ``compact`` changes, which it never does here.
So every rebuild kept the keys it replaced, each with its styles and message queue:
18 widgets per focus change between the list and the text, for the whole session
(found while measuring issue 20: 200 articles opened one after the other took the
reader from 104 to 265 MB; 176 MB once the replaced keys are let go).
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


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

    async def recompose(self) -> None:
        await super().recompose()
        self.forget_removed_keys()

    def forget_removed_keys(self) -> None:
        """Drop the watchers of keys no longer in this footer (see the module's doc),
        so that the keys it replaced can be freed. Textual keeps its watchers in the
        watched object's ``__watchers`` (name -> [(node, callback)]); any other
        shape is left as it is."""
        watchers = getattr(self, "__watchers", None)
        if not isinstance(watchers, dict):
            return
        shown = {id(key) for key in self.query(FooterKey)}
        for entries in watchers.values():
            if isinstance(entries, list):
                entries[:] = [
                    entry for entry in entries
                    if not (isinstance(entry, tuple) and entry and isinstance(entry[0], FooterKey)
                            and id(entry[0]) not in shown)
                ]
