"""Who wrote an HTML page: a person's name from what the page says, or None.

trafilatura's author is the first thing it finds: the publisher, "No Author", "View
all posts by …", a list of names joined by ``;``. :func:`choose_author` weighs what
:func:`briefing.corpus.htmlmeta.signals` read from the page (JSON-LD and meta
``author``, the visible byline elements, the article's first and last lines) and
keeps a person's name: never the site, the publisher, an agency list, a job title or
page furniture (a menu taken for a byline); ``None`` rather than a wrong name.

Plain Python; no Textual, no network.
"""

from __future__ import annotations

import re

from briefing.corpus.htmlmeta import Signals, is_site, norm

__all__ = ["choose_author", "reporter_line"]

# Words that make a "name" an organisation, not a writer.
_ORG_WORDS = frozenset(
    """
    news media press magazine journal times post gazette herald tribune daily weekly radio tv television
    channel network agency foundation institute institut fondation stiftung university group company
    corporation inc ltd llc gmbh verlag redaktion rédaction redacción redazione redakcja editorial
    editors staff desk team newsroom online digital publishing publications publisher blog review
    service services ministry council association center centre office bureau programme program department
    portal zeitung tidning tidningen avis avisen krant dagblad gazeta gazzetta diario periódico noviny
    division unit fellow policy project projekt agencia agence agentur agenzia agencja агентство агенція
    stichting fundacja fundación fundação fondazione фонд stiftelse vereniging verein redakcja редакция редакція
    """.split()
)
# Writers that are no writer.
_NON_AUTHORS = re.compile(
    r"(?i)^(?:no\s+author|unknown(?:\s+author)?|anonymous|admin(?:istrator)?|guest|editor|editors|"
    r"staff(?:\s+writer|\s+reporter)?|web\s*desk|news\s*desk|n/?a|none|null|author)$"
)
# German-style compounds that end in an organisation word ("Depeschenagentur").
_ORG_SUFFIXES = ("agentur", "zeitung", "verlag", "stiftung", "redaktion", "presse", "rundfunk", "nachrichten", "institut", "verband", "ministerium")
# Navigation words: a "name" made of them is a menu taken for a byline.
_MENU_WORDS = frozenset(
    """
    home about contact menu search login log sign subscribe subscription newsletter donate share print email
    comments comment posts post archive archives tags tag category categories privacy terms cookies imprint
    impressum kontakt accueil connexion recherche inicio contacto buscar more read follow top previous next
    """.split()
)
# Job titles written after a name ("Jane Doe, Senior Correspondent").
_ROLE_WORDS = frozenset(
    """
    correspondent reporter editor writer columnist contributor analyst senior chief political foreign
    deputy managing associate contributing special investigative economics energy defence defense security
    journalist redakteur redakteurin korrespondent korrespondentin journaliste rédacteur rédactrice correspondant
    correspondante periodista corresponsal redactor giornalista inviato dziennikarz korespondent
    officer communications spokesperson spokesman spokeswoman press producer coordinator manager director
    assistant intern fellow researcher photographer
    """.split()
)
# Agencies credited as if they were writers.
_AGENCIES = frozenset("afp ap dpa reuters ansa efe pap ukrinform tass ria interfax unian epa kna apa sda ats belga anp".split())
_BYLINE_PREFIX = re.compile(
    r"(?i)^\s*(?:(?:view|see)\s+all\s+(?:posts|articles|stories)\s+by|more\s+(?:articles|stories)\s+by|"
    r"posted\s+by|written\s+by|words\s+by|reporting\s+by|article\s+by|story\s+by|by|"
    r"autor(?:in)?\s*:|auteur\s*:|author\s*:|von|par|por|di|door|av|od|от|автор\s*:?|текст\s*:|interview(?:ed)?\s+by|r[ée]dac(?:tion|ción)\s*:|redaktion\s*:|texte?\s*:|texto\s*:|testo\s*:|tekst\s*:|розмовля\w*\s*:|беседовал\w*\s*:|alle\s+artikel\s+von|"
    r"tous\s+les\s+articles\s+de|todos\s+los\s+artículos\s+de)\s+"
)
_NAME_WORD = re.compile(r"^[^\W\d_][\w'’.\-]*$")
_LOWER_PARTICLES = frozenset("de da del der den van von la le al el bin ibn du dos di y und and e".split())

_HONORIFIC = re.compile(
    r"(?i)^(?:dr|prof|mr|mrs|ms|mx|sir|dame|rev|hon|herr|frau|mme|mlle|sr|sra|dott|dottssa|ing|mag|pan|pani|д-р|проф)\.?\s+"
)
_TOKEN_END = re.compile(r"[,;:|·•()\[\]«»\"“”]")


def _person(candidate: str, sites: set[str]) -> str | None:
    """The person's name ``candidate`` starts with, or None when it does not start with one.

    The name is the leading run of capitalised words (with particles like ``de`` or
    ``von`` inside it): ``Kenji Watanabe on 2 November`` gives ``Kenji Watanabe``."""
    text = _BYLINE_PREFIX.sub("", candidate).strip(" ,;:|·-–—")
    while (m := _HONORIFIC.match(text)) is not None:
        text = text[m.end() :]
    words: list[str] = []
    for token in text.split():
        cut = _TOKEN_END.search(token)
        word = token[: cut.start()] if cut else token
        if not word or not _NAME_WORD.match(word) or (word[0].islower() and word.lower() not in _LOWER_PARTICLES):
            break
        if word.endswith(".") and len(word) > 3:
            break  # a sentence ends here ("… in Ouahigouya. Data …"); "N." is an initial
        words.append(word)
        if cut:
            break
    while words and words[-1].lower() in _LOWER_PARTICLES:
        words.pop()
    proper = [w for w in words if w.lower() not in _LOWER_PARTICLES]
    if not 2 <= len(proper) <= 5 or len(words) > 8 or words[0].lower() in _LOWER_PARTICLES:
        return None
    name = " ".join(words)
    if len(name) > 60 or _NON_AUTHORS.match(name) or is_site(name, sites):
        return None
    lowered = [norm(w) for w in words]
    if any(w in _ORG_WORDS or w in _AGENCIES or w in _MENU_WORDS or w in _ROLE_WORDS or w.endswith(_ORG_SUFFIXES) for w in lowered):
        return None
    if all(w.isupper() and len(w) > 1 for w in words) and len(words) > 3:
        return None  # a shouted line, not a name
    if name.isupper() and all(len(w) > 1 for w in words):
        name = " ".join("-".join(part.capitalize() for part in w.split("-")) for w in words)  # "JANE ROE"
    return name


_CO_WRITERS = re.compile(r"\s+(?:and|und|et|y|e|i|и|і|en|och|og)\s+|\s*&\s*")


def _split_names(value: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s*(?:;|,|\band\b|\bund\b|\bet\b|\by\b|&|/|\|)\s*", value) if p.strip()]


def _persons(values: list[str], sites: set[str]) -> list[str]:
    found: list[str] = []
    for value in values:
        if len(value) > 80:  # a credit sentence: only its first clause names writers
            value = re.split(r",\s+(?:with|who|and\s+with)\b|(?<=\w{3})\.\s", value)[0]
        for part in _split_names(_BYLINE_PREFIX.sub("", value)):
            person = _person(part, sites)
            if person and norm(person) not in {norm(p) for p in found}:
                found.append(person)
    return found


def choose_author(sig: Signals, found: str | None, text_head: str = "", text_tail: str = "") -> str | None:
    """A writer's name (several joined by ", "), or None (see the module's docstring).

    Best: a name the page's metadata gives that its visible byline or first lines also
    carry; then the first byline element's names; then the metadata's persons; then a
    closing "— X reported from …" line."""
    sites = {norm(s) for s in sig.sites if norm(s)}
    stated = _persons(sig.authors, sites)
    visible = norm(text_head + " " + " ".join(" ".join(parts) for parts in sig.byline_parts[:3]))
    confirmed = [p for p in stated if norm(p) in visible]
    if confirmed:
        for parts in sig.byline_parts[:3]:
            # The visible byline that carries them may name co-writers the metadata left
            # out, joined by "and" ("By Jane Roe and John Smith"; not "— São Paulo").
            pieces = _CO_WRITERS.split(_BYLINE_PREFIX.sub("", " ".join(parts)))
            shown = [p for p in (_person(piece, sites) for piece in pieces) if p]
            if len(shown) > len(confirmed) and {norm(p) for p in confirmed} <= {norm(p) for p in shown}:
                return ", ".join(shown[:3])
        return ", ".join(confirmed[:3])
    groups = sig.byline_groups if len(sig.byline_groups) == len(sig.byline_parts) else list(range(len(sig.byline_parts)))
    for index, parts in enumerate(sig.byline_parts):
        persons = _persons(parts, sites)
        if persons:
            # Writers credited side by side (one element each under one parent) all count.
            for other, more in zip(groups[index + 1 :], sig.byline_parts[index + 1 :], strict=True):
                if other == groups[index]:
                    persons += [p for p in _persons(more, sites) if norm(p) not in {norm(q) for q in persons}]
            return ", ".join(persons[:3])
    stated += [p for p in _persons([found] if found else [], sites) if p not in stated]
    if stated:
        return ", ".join(stated[:3])
    for parts in sig.side_bylines[:2]:
        persons = _persons(parts, sites)
        if persons:
            return ", ".join(persons[:3])
    return reporter_line(text_tail)


_REPORTED = re.compile(
    r"^\s*[—–-]+\s*(?P<names>.{4,80}?)\s+(?:reported|contributed|wrote)\b"
    r"|^\s*(?:reporting|additional\s+reporting|editing)\s+by\s+(?P<names2>.{4,80}?)\s*[;.]"
)


def reporter_line(tail: str) -> str | None:
    """The writer a closing line names: ``— Anna Weber reported from Berlin.``"""
    for line in reversed([x for x in tail.split("\n") if x.strip()][-3:]):
        m = _REPORTED.match(line)
        if m:
            names = m.group("names") or m.group("names2") or ""
            persons = [p for p in (_person(part, set()) for part in _split_names(names)) if p]
            if persons:
                return ", ".join(persons[:3])
    return None

