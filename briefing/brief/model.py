"""A composed briefing: what the analyst writes around the articles.

A :class:`BriefDoc` holds the title, the marking (handling) line, the analyst, the
date, the bottom line up front (``bluf``), key judgments (each with a confidence
term from a :class:`ConfidenceScale` and the articles and highlights that support
it) and sections of items (article ids) in the analyst's order, each item with an
optional "why it matters" line.

The operations are methods that change the document in place and never touch a
file (:mod:`briefing.brief.store` saves). Every article id appears at most once in
a document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_SECTION = "Items"
MAX_TEXT = 20_000  # characters in one text field (bottom line, judgment, why)
MAX_NAME = 200  # characters in a section name


class BriefDocError(ValueError):
    """An operation the document refuses; the message says why, in words."""


@dataclass
class BriefItem:
    id: str  # article id (briefing.ids)
    why: str = ""  # "why it matters", one line or a few


@dataclass
class Section:
    name: str
    tag: str | None = None  # a section "by tag": its name is the tag's
    items: list[BriefItem] = field(default_factory=list)


@dataclass
class HighlightRef:
    article: str  # article id
    quote: str  # the highlighted text, as in annotations.yaml


@dataclass
class Judgment:
    text: str
    confidence: str = ""  # a term of the briefing's confidence scale
    cites: list[str] = field(default_factory=list)  # article ids
    highlights: list[HighlightRef] = field(default_factory=list)


def _clean_section(name: str) -> str:
    text = " ".join(name.split())
    if not text:
        raise BriefDocError("a section needs a name")
    if len(text) > MAX_NAME:
        raise BriefDocError(f"a section name is at most {MAX_NAME} characters")
    return text


def check_text(text: str, what: str) -> str:
    """``text`` without surrounding blank space; refuses text over :data:`MAX_TEXT`."""
    if len(text) > MAX_TEXT:
        raise BriefDocError(f"{what} is at most {MAX_TEXT} characters ({len(text)} given)")
    return text.strip()


@dataclass
class BriefDoc:
    name: str  # the file's name in briefings/, without .yaml
    title: str
    marking: str = ""  # handling line, printed on every page
    analyst: str = ""
    date: dt.date | None = None
    bluf: str = ""  # bottom line up front
    judgments: list[Judgment] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    # -- finding
    def item_ids(self) -> list[str]:
        """Every item's article id, sections in order, items in order."""
        return [item.id for section in self.sections for item in section.items]

    def find(self, article_id: str) -> tuple[int, int]:
        """(section index, item index) of ``article_id``; KeyError when absent."""
        for s, section in enumerate(self.sections):
            for i, item in enumerate(section.items):
                if item.id == article_id:
                    return s, i
        raise KeyError(article_id)

    def item(self, article_id: str) -> BriefItem:
        s, i = self.find(article_id)
        return self.sections[s].items[i]

    def section(self, name: str) -> Section | None:
        """The section named ``name`` (blank space folded, case ignored), or None."""
        wanted = " ".join(name.split()).casefold()
        for section in self.sections:
            if section.name.casefold() == wanted:
                return section
        return None

    def _section_for(self, name: str | None, tag: str | None = None) -> Section:
        clean = _clean_section(name if name is not None else (tag or DEFAULT_SECTION))
        found = self.section(clean)
        if found is None:
            found = Section(clean, tag)
            self.sections.append(found)
        return found

    # -- items
    def add(self, ids: Iterable[str], section: str | None = None, *, tag: str | None = None) -> int:
        """Append the ids not already in the document to ``section`` (made if new;
        default: the last section, or "Items" when there is none). With ``tag`` and
        no name, the section is the tag's. Returns how many were added."""
        wanted = [i for i in dict.fromkeys(ids) if i]
        present = set(self.item_ids())
        new = [i for i in wanted if i not in present]
        if not new:
            return 0
        if section is None and tag is None and self.sections:
            target = self.sections[-1]
        else:
            target = self._section_for(section, tag)
        target.items.extend(BriefItem(i) for i in new)
        return len(new)

    def remove(self, ids: Iterable[str]) -> int:
        """Remove these ids; returns how many were there. Empty sections stay (the
        analyst named them); judgments keep their citations (the export says when a
        cited article is no longer an item)."""
        gone = set(ids)
        count = 0
        for section in self.sections:
            before = len(section.items)
            section.items = [item for item in section.items if item.id not in gone]
            count += before - len(section.items)
        return count

    def move(self, article_id: str, *, to: int | None = None, section: str | None = None) -> None:
        """Move an item to the 1-based position ``to`` in ``section`` (default: its
        own section; a named section is made if new). Without ``to`` it goes to the
        end of the section. A position past the end means the end."""
        if to is None and section is None:
            raise BriefDocError("say where to move the item: a position, a section, or both")
        if to is not None and to < 1:
            raise BriefDocError("positions start at 1")
        s, i = self.find(article_id)
        item = self.sections[s].items.pop(i)
        target = self.sections[s] if section is None else self._section_for(section)
        pos = len(target.items) if to is None else min(to - 1, len(target.items))
        target.items.insert(pos, item)

    def move_by(self, article_id: str, step: int) -> None:
        """One place up (``step`` < 0) or down (> 0), |step| times; at the top or
        bottom of a section the item crosses into the neighbouring section (last
        place of the one above, first place of the one below); at the first or
        last place of the document it stays."""
        for _ in range(abs(step)):
            s, i = self.find(article_id)
            items = self.sections[s].items
            if step < 0:
                if i > 0:
                    items[i - 1], items[i] = items[i], items[i - 1]
                elif s > 0:
                    self.sections[s - 1].items.append(items.pop(i))
            elif i < len(items) - 1:
                items[i + 1], items[i] = items[i], items[i + 1]
            elif s < len(self.sections) - 1:
                self.sections[s + 1].items.insert(0, items.pop(i))

    def set_why(self, article_id: str, text: str) -> None:
        self.item(article_id).why = check_text(text, "a why-it-matters line")

    # -- sections
    def add_section(self, name: str, tag: str | None = None) -> Section:
        return self._section_for(name, tag)

    def remove_section(self, name: str) -> int:
        """Remove an empty section (BriefDocError if it holds items); returns its index."""
        found = self.section(name)
        if found is None:
            raise KeyError(name)
        if found.items:
            raise BriefDocError(f"section {found.name!r} still holds {len(found.items)} item(s); move or remove them first")
        index = self.sections.index(found)
        del self.sections[index]
        return index

    # -- judgments
    def add_judgment(self, judgment: Judgment) -> int:
        """Append a judgment; returns its 1-based number."""
        judgment.text = check_text(judgment.text, "a judgment")
        if not judgment.text:
            raise BriefDocError("a judgment needs text")
        self.judgments.append(judgment)
        return len(self.judgments)

    def _judgment_index(self, index: int) -> int:
        if not 0 <= index < len(self.judgments):
            raise IndexError(f"there is no judgment {index + 1} (the briefing has {len(self.judgments)})")
        return index

    def remove_judgment(self, index: int) -> Judgment:
        """Remove the judgment at 0-based ``index``."""
        return self.judgments.pop(self._judgment_index(index))

    def move_judgment(self, index: int, step: int) -> int:
        """Move the judgment at 0-based ``index`` by ``step`` places (clamped);
        returns its new 0-based index."""
        self._judgment_index(index)
        new = max(0, min(len(self.judgments) - 1, index + step))
        self.judgments.insert(new, self.judgments.pop(index))
        return new


# ------------------------------------------------------------------ confidence scale


@dataclass(frozen=True)
class ConfidenceScale:
    """The terms a judgment's confidence may take, lowest first. A term may carry
    synonyms after a slash (``"likely / probable"``): any of them is accepted and
    the whole term is what the briefing records."""

    name: str
    terms: tuple[str, ...]

    def parts(self, term: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in term.split("/") if p.strip())


ICD203 = ConfidenceScale(
    "ICD 203",
    (
        "almost no chance / remote",
        "very unlikely / highly improbable",
        "unlikely / improbable",
        "roughly even chance / roughly even odds",
        "likely / probable",
        "very likely / highly probable",
        "almost certain / nearly certain",
    ),
)

SETTING = "confidence_scale"


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s-]", " ", text).split()).casefold()


def check_term(scale: ConfidenceScale, text: str) -> str:
    """The scale's term ``text`` names (the whole term, or one of its synonyms, case
    and spacing ignored); ValueError listing the allowed terms otherwise."""
    wanted = _fold(text)
    if wanted:
        for term in scale.terms:
            if wanted == _fold(term) or any(wanted == _fold(p) for p in scale.parts(term)):
                return term
    allowed = "; ".join(scale.terms)
    raise ValueError(f"{text!r} is not a term of the {scale.name} scale; use one of: {allowed}")


def scale_from_settings(settings: Any) -> ConfidenceScale:
    """The scale ``config.yaml`` sets under ``confidence_scale`` (ICD 203 when it sets
    none). ``settings`` is the parsed file (a mapping) or an object with a
    ``confidence_scale`` attribute. The value is a list of terms (lowest first),
    or a mapping ``{name: ..., terms: [...]}``. A value that is not one of these
    raises ValueError naming the key."""
    if isinstance(settings, Mapping):
        value = settings.get(SETTING)
    else:
        value = getattr(settings, SETTING, None)
    if value is None or value == "" or value == [] or value == ():
        return ICD203
    name = "configured"
    if isinstance(value, ConfidenceScale):
        return value
    if isinstance(value, Mapping):
        name = str(value.get("name") or name)
        value = value.get("terms")
    if not isinstance(value, (list, tuple)) or not value or not all(isinstance(t, str) and t.strip() for t in value):
        raise ValueError(f"{SETTING} in config.yaml must be a list of terms (text), lowest first, or {{name: ..., terms: [...]}}")
    terms = tuple(" ".join(t.split()) for t in value)
    if len({_fold(t) for t in terms}) != len(terms):
        raise ValueError(f"{SETTING} in config.yaml lists a term twice")
    return ConfidenceScale(" ".join(name.split()), terms)


def configured_scale() -> ConfidenceScale:
    """The scale ``config.yaml`` sets (ICD 203 when the file or the key is absent).
    ValueError naming the file when the value is not a scale."""
    from briefing import config, yamlsafe

    path = config.config_file()
    try:
        text = config.read_small_text(path)
    except FileNotFoundError:
        return ICD203
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot be read ({exc})") from None
    try:
        data = yamlsafe.load_plain(text)
    except yamlsafe.YamlError as exc:
        raise ValueError(f"{path}: {exc}") from None
    if not isinstance(data, Mapping):
        return ICD203
    try:
        return scale_from_settings(data)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
