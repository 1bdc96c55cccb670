"""The application: settings, themes, keymap and the screens. Thin on purpose.

``run(root)`` opens the reader on a corpus folder (``briefing`` / ``briefing DIR``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from textual import events
from textual.app import App
from textual.theme import Theme

from briefing.annotations.savequeue import SaveQueue
from briefing.config import (
    LoadedSettings,
    Settings,
    config_dir,
    load_settings,
    save_settings,
)
from briefing.resources import builtin_themes
from briefing.sanitize import clean_line
from briefing.tui import bindings
from briefing.tui.commands import KeyCommands
from briefing.tui.keys import known_ids
from briefing.tui.marks import ArticleMarks, StoreMarks
from briefing.tui.messages import PreferencesChanged
from briefing.tui.palette import PALETTE_PROVIDERS
from briefing.tui.screens.help import HelpScreen
from briefing.tui.screens.main import Loader, MainScreen
from briefing.tui.themes import load_themes

FALLBACK_THEME = "briefing-dark"
# Theme variables of our own (the colours of the differences in the comparison
# view), for a theme that does not set them (a user's, or a Textual built-in): taken
# from the theme's own colours.
THEME_DEFAULTS = {
    "story-number": ("error", "#e06c75"),
    "story-date": ("secondary", "#c678dd"),
    "story-name": ("primary", "#56b6c2"),
    "story-only": ("warning", "#e5c07b"),
    "story-wording": ("foreground", "#dddddd"),
}


class BriefingApp(App):
    CSS_PATH = ["styles/app.tcss", "styles/dialogs.tcss", "styles/stories.tcss"]
    TITLE = "briefing"
    COMMANDS = App.COMMANDS | {KeyCommands, *PALETTE_PROVIDERS}  # palette.py: method, theme, tag, article, saved filter
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = bindings.APP

    def __init__(
        self,
        root: Path,
        *,
        settings: LoadedSettings | None = None,
        marks: ArticleMarks | None = None,
        loader: Loader | None = None,
    ) -> None:
        """``loader(root)`` opens the corpus (default ``briefing.corpus.open_corpus``)."""
        super().__init__()
        self.root = Path(root)
        loaded = settings if settings is not None else load_settings()
        self.settings: Settings = loaded.settings
        self._writable = loaded.writable
        self._problems: list[str] = list(loaded.problems)
        # Without ``marks``, the reader opens the corpus's annotations once it is loaded.
        self.marks: ArticleMarks = marks if marks is not None else StoreMarks()
        self.loader = loader
        self.keymap: dict[str, str] = {}
        self.theme_names: list[str] = []
        self._register_themes()
        self._apply_keymap(self.settings.keymap)
        self._settings_live = False
        self.last_key_time = 0.0  # time.monotonic() of the last key pressed
        self.after_exit: list[str] = []  # printed by run() once the screen is given back
        self._quit_warned = False

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.last_key_time = time.monotonic()  # the main screen collects garbage between keypresses
        await super().on_event(event)

    # --- themes -----------------------------------------------------------------

    def _register_themes(self) -> None:
        loaded = load_themes(builtin_themes(), config_dir() / "themes")
        self._problems += loaded.problems
        for theme in loaded.themes:
            self.register_theme(theme)
        self.theme_names = [t.name for t in loaded.themes]
        wanted = self.settings.theme
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            self._problems.append(f"theme {clean_line(wanted)!r} not found; using {FALLBACK_THEME}")
            self.theme = FALLBACK_THEME if FALLBACK_THEME in self.available_themes else "textual-dark"

    def get_theme_variable_defaults(self) -> dict[str, str]:
        try:
            colours = self.current_theme.to_color_system().generate()
        except Exception:  # a theme Textual cannot build has failed elsewhere already
            colours = {}
        ours = {name: colours.get(source) or fallback for name, (source, fallback) in THEME_DEFAULTS.items()}
        return {**super().get_theme_variable_defaults(), **ours}

    def action_cycle_theme(self) -> None:
        names = self.theme_names or [self.theme]
        index = names.index(self.theme) if self.theme in names else -1
        self.theme = names[(index + 1) % len(names)]
        self.notify(f"Theme: {self.theme}", timeout=2, markup=False)

    def _on_theme_changed(self, theme: Theme) -> None:
        if self._settings_live and theme.name != self.settings.theme:
            self.settings.theme = theme.name
            self._save()

    # --- keymap -------------------------------------------------------------------

    def _apply_keymap(self, keymap: dict[str, str]) -> None:
        known = known_ids()
        good = {k: v for k, v in keymap.items() if k in known}
        for unknown in sorted(set(keymap) - set(good)):
            self._problems.append(f"keymap: no binding with id {unknown!r} (see ? for the ids)")
        self.keymap = good
        if good:
            self.set_keymap(good)

    # --- settings -----------------------------------------------------------------

    def on_preferences_changed(self, message: PreferencesChanged) -> None:
        self.settings.summary_method = message.summary_method
        self.settings.summary_length = message.summary_length
        self.settings.group_stories = message.group_stories
        if message.compact_list is not None:
            self.settings.compact_list = message.compact_list
        if message.layout is not None:
            self.settings.layout = message.layout
        if message.timeline_strip is not None:
            self.settings.timeline_strip = message.timeline_strip
        self._save()

    def _save(self) -> None:
        if not self._writable:
            return
        try:
            save_settings(self.settings)
        except OSError as exc:
            self._writable = False
            self.notify(f"Cannot save settings: {clean_line(str(exc))}", severity="warning", markup=False)

    # --- screens ------------------------------------------------------------------

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._on_theme_changed)
        settings = self.settings
        self.push_screen(MainScreen(self.root, self.marks, settings.summary_method, settings.summary_length,
                                    grouping=settings.group_stories, loader=self.loader,
                                    last_key_time=lambda: self.last_key_time, after_exit=self.after_exit))
        for problem in self._problems:
            self.notify(clean_line(problem), title="Settings", severity="warning", timeout=8, markup=False)
        self._settings_live = True

    async def action_quit(self) -> None:
        """Quit; but the first time while changes cannot be saved (the annotation file
        turned invalid under us, its folder went), say so and wait for a second ``q``:
        fixing the file first saves them (they are kept in a backup file otherwise)."""
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        why = main.saving.unsavable() if main is not None else None
        if why and not self._quit_warned:
            self._quit_warned = True
            self.bell()
            self.notify(clean_line(f"Annotations NOT saved: {why} Fix the file and they are saved. Press q again to "
                                   "quit anyway: they will be kept in a file of the backup folder."),
                        title="Unsaved annotations", severity="error", timeout=20, markup=False)
            return
        self.exit()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def run(root: Path) -> None:
    """Open the reader on ``root`` and return when the user quits."""
    from briefing.shutdown import drop_output_if_gone, flush_on_signals

    app = BriefingApp(root)

    def flush() -> None:  # read marks not written yet, and saves still queued
        if isinstance(app.marks, StoreMarks):
            app.marks.flush()
            saver = app.marks.store.saver if app.marks.store is not None else None
            if isinstance(saver, SaveQueue):
                saver.flush(timeout=5)

    def close(signum: int) -> None:
        if not app.is_running:
            raise SystemExit(128 + signum)
        app.exit(return_code=128 + signum)

    # SIGTERM/SIGHUP (kill, a closed terminal): write what is pending, then close.
    restore = flush_on_signals(flush, then=close)
    try:
        app.run()
    finally:  # the screen writes read marks as it closes; this is the backstop
        restore()
        flush()
        for line in app.after_exit:
            print(f"briefing: {clean_line(line)}", file=sys.stderr)
    if (app.return_code or 0) > 128:  # closed by a signal: say so, as the shell expects
        drop_output_if_gone()  # (SIGHUP: the terminal may be gone with output still buffered for it)
        raise SystemExit(app.return_code)
