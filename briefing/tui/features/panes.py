"""Density and layout: the compact list (v), the panes shown (z), the details (i).

``v`` switches the list between two lines per article under day headings and one
line per article (marks, date, source, title, tags; no headings: the date is in
each row). ``z`` cycles split (the list beside the reading pane) → the list only →
the reading pane only, as newsboat does. Both are saved in config.yaml through the
one preferences route (:class:`~briefing.tui.messages.PreferencesChanged`) and in
the corpus's session. In the list-only layout, opening an article shows the reading
pane alone; ``z`` then goes back to the list.
"""

from __future__ import annotations

from briefing.config import LAYOUTS
from briefing.tui.features.host import Host
from briefing.tui.messages import PreferencesChanged

LAYOUT_NAMES = {"split": "list and reading pane", "list": "list only", "reader": "reading pane only"}


class Panes:
    def __init__(self, host: Host) -> None:
        self.host = host
        self._back_to_list = False  # the reading pane was shown alone by opening from the list-only layout

    def start(self, compact: bool, layout: str) -> None:
        """The saved preferences, applied before the list is first drawn (not saved again)."""
        self.set(compact, layout, save=False)

    def set(self, compact: bool | None = None, layout: str | None = None, *, save: bool = True) -> None:
        state = self.host.state
        if compact is not None:
            state.compact = compact
        if layout is not None and layout in LAYOUTS:
            state.layout = layout
        self._apply()
        if save:
            self._save()

    def _apply(self) -> None:
        state, node = self.host.state, self.host.node
        node.set_class(state.compact, "-compact")
        for name in LAYOUTS:
            node.set_class(state.layout == name, f"-layout-{name}")
        self.host.articles.set_compact(state.compact)
        self.refocus()

    def refocus(self) -> None:
        """The focus in a pane that is shown (the list takes it once loaded). Focus
        moves after the current message (Textual defers it): always asked for, never
        judged from ``has_focus`` now."""
        state, articles, reader = self.host.state, self.host.articles, self.host.reader
        if state.layout == "list" and articles.display:
            articles.focus()
        elif state.layout == "reader":
            reader.focus()

    def _save(self) -> None:
        state = self.host.state
        self.host.node.post_message(PreferencesChanged(state.method, state.length, state.grouping,
                                                       compact_list=state.compact, layout=state.layout))

    def toggle_compact(self) -> None:
        self.set(compact=not self.host.state.compact)
        self._say("Compact list: one line per article" if self.host.state.compact
                  else "Comfortable list: two lines per article, by day")

    def cycle(self) -> None:
        state = self.host.state
        if self._back_to_list and state.layout == "reader":
            target = "list"
        else:
            target = LAYOUTS[(LAYOUTS.index(state.layout) + 1) % len(LAYOUTS)] if state.layout in LAYOUTS else "split"
        self._back_to_list = False
        self.set(layout=target)
        self._say(f"Layout: {LAYOUT_NAMES[target]} (z changes it)")

    def opened(self) -> None:
        """An article was opened: in the list-only layout the reading pane is shown alone."""
        if self.host.state.layout == "list":
            self.set(layout="reader", save=False)
            self._back_to_list = True

    def switch(self) -> bool:
        """tab with one pane shown: the other pane alone (not saved; z goes on from
        there). False in the split layout (tab moves the focus, as before)."""
        state = self.host.state
        if state.layout == "list":
            self.set(layout="reader", save=False)
            self._back_to_list = True
            return True
        if state.layout == "reader":
            self._back_to_list = False
            self.set(layout="list", save=False)
            return True
        return False

    def _say(self, text: str) -> None:
        self.host.node.app.notify(text, timeout=2, markup=False)

    def details(self) -> None:
        from briefing.tui.screens.details import DetailsScreen

        content = self.host.reader.details()
        if content is None:
            app = self.host.node.app
            app.bell()
            app.notify("No article is shown: choose one in the list to see its details.", severity="warning",
                       timeout=4, markup=False)
            return
        self.host.node.app.push_screen(DetailsScreen(content))
