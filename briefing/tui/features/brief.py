"""``B``: the composed briefing (issue 17), the reader's side.

The briefing itself (its model, its file in ``<corpus>/briefings/``, composing it
for export) is the core package :mod:`briefing.brief`. Here:

- :class:`BriefSession`: the open briefing, the stamp of the file it was read from,
  and undo snapshots (plain Python, unit-tested without an app);
- :class:`BriefSaver`: writes the open briefing in a thread, one save at a time,
  newest version first; a failed save keeps the document in memory and says why;
  a file changed by someone else since it was read is never overwritten silently;
- :class:`BriefFeature`: held by the main screen: ``B`` opens the briefing screen
  (choosing or creating a briefing first), ``ctrl+b`` adds the marked articles
  (else the current one) to the open briefing;
- the pure functions that say what the screen and the status messages show.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from briefing.brief.model import ICD203, BriefDoc, ConfidenceScale, scale_from_settings
from briefing.brief.store import BriefError, list_briefs, load_brief, merge_docs, new_brief, save_and_reload
from briefing.model import ArticleMeta
from briefing.sanitize import clean_line
from briefing.tui import state as view
from briefing.tui.brief_rows import plain
from briefing.tui.features.host import AnnotationsHost
from briefing.tui.messages import BriefSaved

if TYPE_CHECKING:
    from briefing.annotations import AnnotationStore

T = TypeVar("T")
UNDO_STEPS = 100
CLOSE_TIMEOUT_S = 5.0


# --- the open briefing ----------------------------------------------------------------


class BriefSession:
    """The open briefing: its document, the stamp of the file as read (or last
    written), and the document as it was before each change (``ctrl+z``).

    Every change goes through :meth:`edit` (or :meth:`set_bluf` for the bottom line,
    whose editor has its own undo); ``generation`` counts the changes, so a save
    names the version it wrote."""

    def __init__(self, root: Path, doc: BriefDoc, stamp: Any) -> None:
        self.root = Path(root)
        self.doc = doc
        self.stamp = stamp
        self.undo_stack: list[BriefDoc] = []
        self.generation = 0
        self.saved_generation = 0
        self.problem: str | None = None  # why the last save failed (None: saved)

    @property
    def name(self) -> str:
        return self.doc.name

    @property
    def dirty(self) -> bool:
        return self.generation != self.saved_generation

    def edit(self, change: Callable[[BriefDoc], T]) -> T:
        """Apply ``change(doc)``; when it changed anything, the document as it was
        is kept for undo."""
        before = copy.deepcopy(self.doc)
        try:
            result = change(self.doc)
        except Exception:
            self.doc = before  # refused part-way: nothing changed
            raise
        if self.doc != before:
            self.undo_stack.append(before)
            del self.undo_stack[:-UNDO_STEPS]
            self.generation += 1
        return result

    def set_bluf(self, text: str) -> bool:
        if text == self.doc.bluf:
            return False
        self.doc.bluf = text
        self.generation += 1
        return True

    def undo(self) -> bool:
        """Back to the document before the last change (the bottom line as it is
        now: its editor undoes its own typing)."""
        if not self.undo_stack:
            return False
        previous = self.undo_stack.pop()
        previous.bluf = self.doc.bluf
        self.doc = previous
        self.generation += 1
        return True

    def take_merge(self, saved: BriefDoc, merged: BriefDoc) -> None:
        """A save found the file changed by someone else and merged: their changes
        come into the document here too (a change made here since that save is kept:
        a three-way merge with the version saved as the base)."""
        self.doc = merge_docs(saved, self.doc, merged)[0]


# --- saving in a thread ---------------------------------------------------------------------


@dataclass(frozen=True)
class SaveJob:
    root: Path
    doc: BriefDoc  # a copy: the UI thread goes on changing its own
    generation: int
    by: str = ""  # who saves (named in a conflict entry of a merge)


@dataclass(frozen=True)
class SaveResult:
    name: str
    generation: int
    stamp: Any
    error: str | None = None
    saved: BriefDoc | None = None  # what this side wrote...
    merged: BriefDoc | None = None  # ...and the file now, when another side's changes were merged in
    conflicts: tuple[str, ...] = ()  # fields both sides changed differently (ours kept)


def run_save(job: SaveJob, stamp: Any) -> SaveResult:
    """One save through the store, based on ``stamp`` (the version read or last
    written): when the file changed since, the store merges both sides' changes."""
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        loaded = save_and_reload(job.root, job.doc, stamp, now=now, by=job.by)
    except BriefError as err:
        return SaveResult(job.doc.name, job.generation, stamp, str(err))
    except OSError as err:
        return SaveResult(job.doc.name, job.generation, stamp, f"Cannot save the briefing: {err.strerror or err}")
    if loaded.doc == job.doc:
        return SaveResult(job.doc.name, job.generation, loaded.stamp, None, job.doc)
    conflicts = tuple(sorted({c.get("field", "") for c in loaded.conflicts if c.get("at") == now}))
    return SaveResult(job.doc.name, job.generation, loaded.stamp, None, job.doc, loaded.doc, conflicts)


class BriefSaver:
    """Saves in a thread of its own, one at a time; a newer version replaces one
    still waiting. It keeps each briefing's stamp (the file's version the next save
    is based on): set by :meth:`reset` when a briefing is read, moved on by each
    save. ``start(fn)`` runs ``fn`` in a thread (a worker); ``post(result)`` hands a
    result to the UI thread (a message)."""

    def __init__(self, start: Callable[[Callable[[], None]], None], post: Callable[[SaveResult], None]) -> None:
        self._start = start
        self._post = post
        self._cond = threading.Condition()
        self._pending: SaveJob | None = None
        self._running = False
        self._stamps: dict[str, Any] = {}

    def reset(self, name: str, stamp: Any) -> None:
        with self._cond:
            self._stamps[name] = stamp

    def submit(self, job: SaveJob) -> None:
        with self._cond:
            self._pending = job
            start = not self._running
            self._running = True
        if start:
            self._start(self._drain)

    def save_now(self, job: SaveJob) -> SaveResult:
        """One save on the calling thread (after :meth:`wait`: leaving, quitting)."""
        with self._cond:
            stamp = self._stamps.get(job.doc.name)
        return self._done(run_save(job, stamp))

    def _done(self, result: SaveResult) -> SaveResult:
        if result.error is None:
            with self._cond:
                self._stamps[result.name] = result.stamp
        return result

    def _drain(self) -> None:
        while True:
            with self._cond:
                job, self._pending = self._pending, None
                if job is None:
                    self._running = False
                    self._cond.notify_all()
                    return
                stamp = self._stamps.get(job.doc.name)
            result = self._done(run_save(job, stamp))
            with self._cond:
                if result.merged is not None and result.saved is not None:
                    waiting = self._pending  # a newer version waiting: the other side's changes go into it too
                    if waiting is not None and waiting.doc.name == result.name:
                        self._pending = replace(waiting, doc=merge_docs(result.saved, waiting.doc, result.merged)[0])
                last = self._pending is None
                if last:  # idle before the result is handed over: the screen it redraws says "saved", not "saving…"
                    self._running = False
                    self._cond.notify_all()
                self._post(result)  # under the lock: a save started after this one reports after it
            if last:
                return

    @property
    def busy(self) -> bool:
        with self._cond:
            return self._running

    def wait(self, timeout: float = CLOSE_TIMEOUT_S) -> bool:
        """Wait (at most ``timeout``) until nothing is being written."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._running, timeout)


# --- what the feature says (pure) -------------------------------------------------------------------


def added_text(added: int, asked: int, title: str) -> str:
    """What ``ctrl+b`` says: how many went in, how many were there already."""
    there = asked - added
    name = f"“{plain(title)}”"
    if added == 0:
        return (f"Already in the briefing {name}: {'the article' if asked == 1 else f'all {asked} articles'}."
                " Nothing added.")
    text = f"Added {added} article{'s' if added != 1 else ''} to the briefing {name}"
    if there:
        text += f"; {there} {'was' if there == 1 else 'were'} already there"
    return text + "."


def compose_options(doc: BriefDoc, produced: dt.date | None, settings: Any, include_private: bool = False) -> Any:
    """The export options a composed briefing is rendered with (as ``briefing brief
    export`` does): the document's title and analyst; ``produced`` for HTML/Word (else
    the briefing's own date); each article's summary as the reader shows it; private
    notes and comments only with ``include_private`` (the dialog's box, the command's
    ``--include-private``)."""
    from briefing.export import BriefingOptions

    return BriefingOptions(title="", analyst=None, produced=produced if produced is not None else doc.date,
                           settings=settings, include_private=include_private)


# --- the feature the main screen holds ------------------------------------------------------------


class BriefFeature:
    """``B`` and ``ctrl+b`` on the main screen; the open briefing and its saves."""

    def __init__(self, host: AnnotationsHost) -> None:
        self.host = host
        self.session: BriefSession | None = None
        self.saver = BriefSaver(self._start, self._post)
        self.listeners: list[Callable[[bool], None]] = []  # redraw the briefing screen after a save

    # --- the saver's hooks ---

    def _start(self, drain: Callable[[], None]) -> None:
        self.host.node.run_worker(drain, thread=True, group="brief-save", exit_on_error=False,
                                  description="save briefing")

    def _post(self, result: SaveResult) -> None:  # in the saver's thread
        self.host.node.post_message(BriefSaved(result))

    # --- opening ---

    @property
    def root(self) -> Path:
        return self.host.state.root

    def briefs(self) -> list[Any]:
        try:
            return list_briefs(self.root)
        except BriefError as err:
            self.host.refuse(str(getattr(err, "message", err)))
            return []
        except OSError as err:
            self.host.refuse(f"Cannot list the briefings in {self.root / 'briefings'}: {err.strerror or err}")
            return []

    def load(self, name: str) -> BriefSession | None:
        try:
            loaded = load_brief(self.root, name)
        except BriefError as err:
            self.host.refuse(str(getattr(err, "message", err)))
            return None
        except OSError as err:
            self.host.refuse(f"Cannot read the briefing {name}: {err.strerror or err}")
            return None
        return self.set_session(BriefSession(self.root, loaded.doc, loaded.stamp))

    def create(self, name: str, title: str, marking: str, analyst: str) -> BriefSession | str:
        """A new briefing (written at once); a message when it cannot be made."""
        try:
            new_brief(self.root, name, title=title, marking=marking, analyst=analyst)
            loaded = load_brief(self.root, name)
        except (BriefError, OSError, ValueError) as err:
            return str(err)
        return self.set_session(BriefSession(self.root, loaded.doc, loaded.stamp))

    def set_session(self, session: BriefSession) -> BriefSession:
        if self.session is not None and self.session is not session:
            self.flush()
        self.session = session
        self.saver.reset(session.name, session.stamp)
        return session

    def choose(self, then: Callable[[BriefSession], None]) -> None:
        """Pick a briefing (or make one), then ``then(session)``."""
        from briefing.tui.screens.brief_dialogs import BriefChooser, BriefHeaderDialog, HeaderValues

        app = self.host.node.app

        def made(values: HeaderValues | None) -> None:
            if values is None:
                return
            result = self.create(values.name, values.title, values.marking, values.analyst)
            if isinstance(result, str):
                self.host.refuse(result)
                return
            then(result)

        def chosen(name: str | None) -> None:
            if name is None:
                return
            if name == "":
                app.push_screen(BriefHeaderDialog(existing=[b.name for b in infos]), made)
                return
            if self.session is not None and name == self.session.name:
                then(self.session)  # the open one: kept as it is (its undo steps too)
                return
            session = self.load(name)
            if session is not None:
                then(session)

        infos = self.briefs()
        if not infos:
            app.push_screen(BriefHeaderDialog(existing=[]), made)
            return
        app.push_screen(BriefChooser(infos, current=self.session.name if self.session else None), chosen)

    def open(self) -> None:
        """``B``: the briefing screen (after choosing one when none is open)."""
        if self.session is not None:
            self.show()
            return
        self.choose(lambda session: self.show())

    def show(self) -> None:
        from briefing.tui.screens.brief import BriefScreen

        if self.session is not None:
            self.host.node.app.push_screen(BriefScreen(self))

    def add_selected(self) -> None:
        """``ctrl+b``: the marked articles, else the one in focus, into the open briefing
        (after choosing or making one when none is open)."""
        selection = self.host.selection()
        ids = list(selection.marked_ids)
        if not ids:
            one = view.focused_id(selection, self.host.state.current_id)
            ids = [one] if one is not None else []
        if not ids:
            self.host.refuse("No article to add: mark rows (m) or open an article first.")
            return

        def add(session: BriefSession) -> None:
            added = session.edit(lambda doc: doc.add(ids))
            self.save()
            self.host.node.app.notify(added_text(added, len(ids), session.doc.title or session.name),
                                      title="Briefing", timeout=5, markup=False)
            self.changed()

        if self.session is not None:
            add(self.session)
        else:
            self.choose(add)

    # --- what the screens use ---

    def meta(self, article_id: str) -> ArticleMeta | None:
        corpus = self.host.state.corpus
        if corpus is None:
            return None
        try:
            meta = corpus.get(article_id)
        except (KeyError, LookupError):
            return None
        return self.host.shown_meta(meta)

    @property
    def store(self) -> AnnotationStore | None:
        return self.host.store

    def save(self) -> None:
        """Write the open briefing (in the saver's thread) when it changed."""
        session = self.session
        if session is None or not session.dirty:
            return
        self.saver.submit(SaveJob(session.root, copy.deepcopy(session.doc), session.generation, self._author()))

    def _author(self) -> str:
        store = self.host.store
        try:
            return store.author if store is not None else ""
        except Exception:  # who saves is only named in a merge's conflict entry
            return ""

    def saved(self, message: BriefSaved) -> None:
        """A save's result, on the UI thread."""
        result, session = message.result, self.session
        if session is None or result.name != session.name:
            return
        app = self.host.node.app
        if result.error is None:
            session.stamp = result.stamp
            session.saved_generation = max(session.saved_generation, result.generation)
            session.problem = None
            if result.merged is not None and result.saved is not None:
                session.take_merge(result.saved, result.merged)
                text = ("Someone else changed this briefing meanwhile (another reader, or git pull): their changes"
                        " are merged in.")
                if result.conflicts:
                    text += (f" Both sides changed {', '.join(result.conflicts)}: yours is kept, theirs is listed"
                             " under conflicts in the file.")
                app.notify(clean_line(text), title="Briefing merged", severity="warning", timeout=12, markup=False)
                self.changed(bluf=True)
                if session.dirty:
                    self.save()  # a change made here while that save ran: written on top of the merge
                return
            if session.dirty:
                self.save()  # a change made while this one was written
        else:
            told = session.problem == result.error
            session.problem = result.error
            if not told:
                app.notify(clean_line(result.error) + " Your changes are kept while the reader is open; ctrl+s on the"
                           " briefing screen tries again.", title="Briefing NOT saved", severity="error", timeout=15,
                           markup=False)
        self.changed()

    def scale(self) -> ConfidenceScale:
        """The confidence scale of config.yaml (ICD-203's by default)."""
        try:
            return scale_from_settings(getattr(self.host.node.app, "settings", None))
        except (ValueError, TypeError, AttributeError) as err:
            self.host.refuse(f"The confidence scale in config.yaml cannot be used ({err}); using {ICD203.name}.")
            return ICD203

    def _sources(self) -> tuple[Any, AnnotationStore] | None:
        corpus, store = self.host.state.corpus, self.host.store
        if corpus is None or store is None or self.session is None:
            self.host.refuse("The corpus and its annotations are not loaded yet: wait a moment.")
            return None
        return corpus, copy.copy(store)  # the store's document is replaced on change: a snapshot

    def renderer(self) -> Callable[[str, dt.date | None, bool], tuple[bytes, int]] | None:
        """``render(fmt, produced, include_private=False) -> (bytes, item count)`` of the
        open briefing as it is now (a copy), to call in a worker; None (and said) when it
        cannot be made yet."""
        sources = self._sources()
        if sources is None or self.session is None:
            return None
        corpus, store = sources
        doc = copy.deepcopy(self.session.doc)
        settings = getattr(self.host.node.app, "settings", None)
        scale = self.scale()

        def render(fmt: str, produced: dt.date | None, include_private: bool = False) -> tuple[bytes, int]:  # in a worker
            from briefing.brief.build import compose  # summaries, stories: loaded when first used
            from briefing.export import render as render_format

            options = compose_options(doc, produced, settings, include_private)
            briefing = compose(corpus, store, doc, options, scale=scale)
            return render_format(briefing, fmt, paper=getattr(settings, "paper", "a4")), briefing.item_count

        return render

    def suggester(self) -> Callable[[], list[Any]] | None:
        """``suggest()`` of the open briefing as it is now, to call in a worker."""
        sources = self._sources()
        if sources is None or self.session is None:
            return None
        if not self.session.doc.item_ids():
            self.host.refuse("The briefing has no items yet: ctrl+b in the list adds articles.")
            return None
        corpus, store = sources
        doc = copy.deepcopy(self.session.doc)
        settings = getattr(self.host.node.app, "settings", None)
        options = compose_options(doc, None, settings)

        def suggest() -> list[Any]:  # in a worker
            from briefing.brief.build import suggest_overview

            return list(suggest_overview(corpus, doc, store=store, options=options))

        return suggest

    def export_folder(self) -> Path:
        return Path.cwd()

    def changed(self, *, bluf: bool = False) -> None:
        """Redraw the briefing screen (``bluf``: its editor too, after a merge)."""
        for listener in list(self.listeners):
            listener(bluf)

    def status_text(self) -> str:
        session = self.session
        if session is None:
            return ""
        if session.problem:
            return "NOT saved: " + plain(session.problem)
        if session.dirty or self.saver.busy:
            return "saving…"
        return "saved"

    def flush(self, timeout: float = CLOSE_TIMEOUT_S) -> None:
        """Write what is pending now (leaving, quitting), at most ``timeout``."""
        session = self.session
        if session is None:
            return
        self.saver.wait(timeout)
        if session.dirty:
            self.saved(BriefSaved(self.saver.save_now(SaveJob(session.root, copy.deepcopy(session.doc),
                                                                session.generation, self._author()))))

    def close(self) -> None:
        """The reader is closing: what is pending is written (the screens are going)."""
        self.listeners.clear()
        self.flush()
