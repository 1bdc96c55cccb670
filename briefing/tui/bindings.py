"""Every key binding of the reader, in one place.

A leaf module: it imports nothing from the screens or widgets, which read their
``BINDINGS`` from here; :mod:`briefing.tui.keys` lists the same tables for the help
screen and the command palette. Every binding has an ``id``, so the keymap in the
config file can remap it.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

APP: list[BindingType] = [
    Binding("q", "quit", "Quit", id="quit"),
    Binding("question_mark", "help", "Keys", id="help"),
    Binding("ctrl+t", "cycle_theme", "Theme", id="cycle-theme", show=False),
]

MAIN: list[BindingType] = [
    Binding("tab", "switch_pane", "Pane", id="switch-pane"),
    Binding("space", "page(1)", "Page down", id="page-down"),
    Binding("b", "page(-1)", "Page up", id="page-up", show=False),
    Binding("n", "step_article(1)", "Next", id="next-article"),
    Binding("p", "step_article(-1)", "Previous", id="previous-article"),
    Binding("slash", "search", "Search", id="search"),
    Binding("escape", "clear_search", "Clear search, marks, filter", id="clear-search", show=False),
    Binding("s", "cycle_method", "Method", id="cycle-method"),
    Binding("plus,equals_sign", "length(1)", "Longer", id="longer"),
    Binding("minus", "length(-1)", "Shorter", id="shorter"),
    Binding("full_stop", "jump_mark(1)", "Next summary sentence", id="next-mark", show=False),
    Binding("comma", "jump_mark(-1)", "Previous summary sentence", id="previous-mark", show=False),
    Binding("right_square_bracket", "jump_match(1)", "Next search match in the article", id="next-match", show=False),
    Binding("left_square_bracket", "jump_match(-1)", "Previous search match in the article", id="previous-match", show=False),
]

ANNOTATION: list[BindingType] = [
    Binding("t", "add_tags", "Tag", id="tag-add"),
    Binding("T", "remove_tag", "Remove tag", id="tag-remove", show=False),
    Binding("a", "note", "Note", id="note"),
    Binding("h", "highlight", "Highlight", id="highlight", show=False),
    Binding("f", "toggle_flag", "Flag", id="flag"),
    Binding("u", "toggle_read", "Read/unread", id="read-toggle", show=False),
    Binding("D", "dismiss_articles", "Dismiss", id="dismiss", show=False),
    Binding("H", "toggle_dismissed", "Show/hide dismissed", id="show-dismissed", show=False),
    Binding("d", "set_date", "Set date", id="date", show=False),
    Binding("e", "edit_title", "Edit title", id="title", show=False),
    Binding("O", "set_language", "Set language", id="language", show=False),
    Binding("ctrl+z", "undo", "Undo", id="undo", show=False),
    Binding("F", "filter", "Filter", id="filter"),
    Binding("C", "clear_filter", "Clear filter", id="clear-filter", show=False),
    Binding("x", "export", "Export", id="export"),
    Binding("exclamation_mark", "conflicts", "Open conflicts", id="conflicts", show=False),
    Binding("Y", "copy_url", "Copy source URL", id="copy-url", show=False),
    Binding("P", "toggle_private", "Private note/comment on/off", id="private-toggle", show=False),
]

STORY: list[BindingType] = [
    Binding("c", "compare", "Compare", id="compare"),
    Binding("g", "toggle_grouping", "Group stories", id="group-stories", show=False),
    Binding("A", "accept_tags", "Accept suggested tags", id="tag-suggested", show=False),
]

WATCH: list[BindingType] = [
    Binding("w", "toggle_watchlists", "Watchlists", id="watchlists", show=False),
]

# Keys of the watchlists panel (active while it has the focus; run on the screen).
WATCHLISTS_PANEL: list[BindingType] = [
    Binding("delete", "screen.watchlist_untag", "Remove the watchlist's automatic tags", id="watchlist-untag", show=False),
    Binding("backspace", "screen.article_untag_auto", "Remove the open article's automatic tags", id="article-untag-auto",
            show=False),
    Binding("escape", "screen.toggle_watchlists", "Close watchlists", id="watchlists-close", show=False),
]

LAYOUT: list[BindingType] = [
    Binding("v", "toggle_compact", "Compact list", id="compact-list", show=False),
    Binding("z", "cycle_layout", "Layout", id="cycle-layout", show=False),
    Binding("i", "details", "Details", id="details", show=False),
]

ARTICLE_LIST: list[BindingType] = [
    Binding("down,j", "cursor_down", "Down", id="list-down", show=False),
    Binding("up,k", "cursor_up", "Up", id="list-up", show=False),
    Binding("enter,l", "select", "Open", id="open"),
    Binding("pagedown", "page(1)", "Page down in list", id="list-page-down", show=False),
    Binding("pageup", "page(-1)", "Page up in list", id="list-page-up", show=False),
    Binding("home", "first", "First article", id="list-first", show=False),
    Binding("end", "last", "Last article", id="list-last", show=False),
    Binding("m,space", "toggle_mark", "Mark", id="mark", tooltip="Mark or unmark, then move down"),
    Binding("right", "expand", "Expand story", id="story-expand", show=False),
    Binding("left", "collapse", "Collapse story", id="story-collapse", show=False),
    Binding("J,shift+down", "extend_marks(1)", "Mark and move down", id="mark-extend-down", show=False),
    Binding("K,shift+up", "extend_marks(-1)", "Mark and move up", id="mark-extend-up", show=False),
]

READER: list[BindingType] = [
    Binding("down,j", "scroll_down", "Scroll down", id="reader-down", show=False),
    Binding("up,k", "scroll_up", "Scroll up", id="reader-up", show=False),
]

SEARCH_BAR: list[BindingType] = [
    Binding("escape", "close", "Close search", id="search-close"),
    Binding("down", "done", "To results", id="search-done", show=False),
]

COMPARE_SCREEN: list[BindingType] = [
    Binding("n,full_stop", "step(1)", "Next difference", id="compare-next"),
    Binding("p,comma", "step(-1)", "Previous difference", id="compare-previous"),
    Binding("a", "cite", "Cite in notes", id="compare-cite"),
    Binding("o", "next_own", "Cite into: next version", id="compare-own", show=False),
    Binding("escape,q", "close", "Back", id="compare-close"),
]

COMPARISON_VIEW: list[BindingType] = [
    Binding("down,j", "scroll_down", "Scroll down", id="compare-down", show=False),
    Binding("up,k", "scroll_up", "Scroll up", id="compare-up", show=False),
]

# Bulk marks, redo and highlights (issue 15): on the main screen.
SELECT: list[BindingType] = [
    Binding("ctrl+a", "mark_all", "Mark all in view", id="mark-all", show=False),
    Binding("asterisk", "invert_marks", "Invert marks", id="mark-invert", show=False),
    Binding("R", "read_all", "Mark all in view (or the marked) read", id="read-all", show=False),
    Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", id="redo", show=False),
    Binding("V", "select_text", "Select text to highlight", id="select-text", show=False),
    Binding("L", "list_highlights", "List highlights", id="highlights", show=False),
    Binding("greater_than_sign", "jump_highlight(1)", "Next highlight", id="next-highlight", show=False),
    Binding("less_than_sign", "jump_highlight(-1)", "Previous highlight", id="previous-highlight", show=False),
]

# Selection mode in the reading pane (V): its own keys, listed in its hint line and in help;
# priority bindings (they act before the screen's while the mode's hint line has the focus).
SELECTION_MODE: list[BindingType] = [
    Binding("w,ctrl+right", "move('word', 1)", "Next word", priority=True, id="select-word-next"),
    Binding("b,ctrl+left", "move('word', -1)", "Previous word", priority=True, id="select-word-previous"),
    Binding("right", "move('char', 1)", "Next character", priority=True, id="select-char-next", show=False),
    Binding("left", "move('char', -1)", "Previous character", priority=True, id="select-char-previous", show=False),
    Binding("down,j", "move('line', 1)", "Next line", priority=True, id="select-line-next", show=False),
    Binding("up,k", "move('line', -1)", "Previous line", priority=True, id="select-line-previous", show=False),
    Binding("right_parenthesis", "move('sentence', 1)", "Next sentence", priority=True, id="select-sentence-next"),
    Binding("left_parenthesis", "move('sentence', -1)", "Previous sentence", priority=True, id="select-sentence-previous"),
    Binding("right_curly_bracket", "move('paragraph', 1)", "Next paragraph", priority=True, id="select-paragraph-next"),
    Binding("left_curly_bracket", "move('paragraph', -1)", "Previous paragraph", priority=True, id="select-paragraph-previous"),
    Binding("v,space", "toggle_extend", "Start/stop extending", priority=True, id="select-extend"),
    Binding("s", "select_sentence", "Select the sentence", priority=True, id="select-sentence", show=False),
    Binding("enter", "save", "Save highlight", priority=True, id="select-save"),
    Binding("escape", "leave", "Leave", priority=True, id="select-leave"),
]

# The dialogs' own keys (not listed in help: each dialog says them in its hint line).
HELP_SCREEN: list[BindingType] = [Binding("escape,q,question_mark", "dismiss", "Close", id="help-close")]
DIALOG: list[BindingType] = [Binding("escape", "cancel", "Cancel", id="dialog-cancel")]
EXPORT_DIALOG: list[BindingType] = [Binding("ctrl+s", "export", "Export", id="export-run")]
FILTER_DIALOG: list[BindingType] = [Binding("ctrl+s", "apply", "Apply", id="filter-apply")]
NOTE_DIALOG: list[BindingType] = [Binding("ctrl+s", "save", "Save", id="note-save")]
HIGHLIGHTS_DIALOG: list[BindingType] = [
    Binding("e", "act('edit')", "Edit comment", id="highlights-edit"),
    Binding("d,delete", "act('delete')", "Delete", id="highlights-delete"),
]
DETAILS_SCREEN: list[BindingType] = [Binding("escape,q,i", "dismiss", "Close", id="details-close")]
TAG_INPUT: list[BindingType] = [Binding("tab", "complete", "Complete", id="tag-complete", show=False)]
CONFLICTS_SCREEN: list[BindingType] = [
    Binding("o", "take_ours", "Keep the kept value", id="conflict-ours"),
    Binding("t", "take_theirs", "Take the other value", id="conflict-theirs"),
    Binding("q", "cancel", "Close", id="conflict-close"),
]

# The composed briefing (issue 17): B and ctrl+b on the main screen; the briefing screen's own keys.
BRIEF: list[BindingType] = [
    Binding("B", "briefing", "Briefing: open or create", id="brief-open", show=False),
    Binding("ctrl+b", "brief_add", "Add the marked (else the current) articles to the briefing", id="brief-add",
            show=False),
]
BRIEF_SCREEN: list[BindingType] = [
    Binding("escape", "close", "Back", id="brief-close", tooltip="Back to the list (the briefing stays open)"),
    Binding("K,shift+up", "move(-1)", "Up", id="brief-up", tooltip="Move the item (or the judgment) up"),
    Binding("J,shift+down", "move(1)", "Down", id="brief-down", tooltip="Move the item (or the judgment) down"),
    Binding("m", "to_section", "Section", id="brief-to-section", tooltip="Move the item to a section (pick or type)"),
    Binding("d,delete", "remove", "Remove", id="brief-remove", tooltip="Remove the item (or the judgment)"),
    Binding("w", "why", "Why", id="brief-why", tooltip="Edit the item's why-it-matters line"),
    Binding("N", "new_section", "New section", id="brief-new-section", show=False),
    Binding("r", "rename_section", "Rename the section", id="brief-rename-section", show=False),
    Binding("b", "edit_bluf", "Bottom line", id="brief-bluf", tooltip="Write the bottom line (tab leaves the editor)"),
    Binding("a", "add_judgment", "Judgment", id="brief-judgment", tooltip="Add a key judgment"),
    Binding("o", "overview", "Overview", id="brief-overview",
            tooltip="Suggested overview: pick sentences for the bottom line"),
    Binding("e", "edit_header", "Title, marking, analyst", id="brief-header", show=False),
    Binding("p", "preview", "Preview", id="brief-preview", tooltip="Preview the briefing as it will print"),
    Binding("x", "export", "Export", id="brief-export", tooltip="Export the briefing (format and file)"),
    Binding("B", "switch", "Open another or a new briefing", id="brief-switch", show=False),
    Binding("ctrl+s", "save", "Save now (again, after a failed save)", id="brief-save", show=False),
    Binding("ctrl+z", "undo", "Undo", id="brief-undo", show=False, tooltip="Undo the last change to the briefing"),
]
BRIEF_PREVIEW: list[BindingType] = [
    Binding("escape,q,p", "close", "Close the preview", id="brief-preview-close"),
]
JUDGMENT_DIALOG: list[BindingType] = [Binding("ctrl+s", "save", "Save", id="judgment-save")]
OVERVIEW_DIALOG: list[BindingType] = [Binding("ctrl+s", "accept", "Accept the chosen", id="overview-accept")]


# Statistics and the timeline strip (issue 23): on the main screen.
STATS: list[BindingType] = [
    Binding("S", "statistics", "Statistics", id="statistics", show=False),
    Binding("G", "toggle_timeline", "Show/hide (and focus) the timeline", id="timeline-toggle", show=False),
]

# Keys of the timeline strip while it has the focus (its own bindings).
TIMELINE_STRIP: list[BindingType] = [
    Binding("left,h", "move(-1)", "Earlier", id="timeline-earlier", show=False),
    Binding("right,l", "move(1)", "Later", id="timeline-later", show=False),
    Binding("home", "move_to(0)", "First", id="timeline-first", show=False),
    Binding("end", "move_to(-1)", "Last", id="timeline-last", show=False),
    Binding("enter", "narrow", "Narrow the list to the day/week/month (or the range)", id="timeline-narrow"),
    Binding("d", "narrow_day", "Narrow the list to the day (day buckets) or first day", id="timeline-day", show=False),
    Binding("space,v", "anchor", "Start/clear a range", id="timeline-range"),
    Binding("backspace,ctrl+z", "undo_narrow", "Undo the last narrowing", id="timeline-undo"),
    Binding("s", "stack", "Stack by tag / watchlist / none", id="timeline-stack"),
    Binding("escape", "leave", "Back to the list", id="timeline-leave", show=False),
]

STATS_SCREEN: list[BindingType] = [
    Binding("escape,q,S", "close", "Close", id="stats-close"),
]


@dataclass(frozen=True)
class Area:
    """A group of bindings as help and the palette list them."""

    target: str  # where an action runs: "app", "screen", "list", "reader", "search" or "compare"
    title: str  # the heading on the help screen
    bindings: list[BindingType]


AREAS = [
    Area("list", "Article list", ARTICLE_LIST),
    Area("reader", "Reading pane", READER),
    Area("screen", "Everywhere", MAIN),
    Area("screen", "Annotations", ANNOTATION),
    Area("screen", "Stories", STORY),
    Area("screen", "Marks, redo, highlights", SELECT),
    Area("selection", "Selection mode (V)", SELECTION_MODE),
    Area("screen", "Layout", LAYOUT),
    Area("compare", "Comparison (c)", [*COMPARE_SCREEN, *COMPARISON_VIEW]),
    Area("screen", "Watchlists (w)", [*WATCH, *WATCHLISTS_PANEL]),
    Area("search", "Search field", SEARCH_BAR),
    Area("screen", "Statistics and timeline", STATS),
    Area("timeline", "Timeline strip (G)", TIMELINE_STRIP),
    Area("app", "Application", APP),
    Area("screen", "Briefing", BRIEF),
    Area("brief", "Briefing screen (B)", [*BRIEF_SCREEN, *BRIEF_PREVIEW]),
]
