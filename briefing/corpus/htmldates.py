"""Which of the dates an HTML page states is the day it was published.

A page states dates in many places: the head's metadata (``article:published_time``,
``sailthru.date``, ``dc.date.issued`` …), JSON-LD ``datePublished``, microdata, a
``<time>`` in the article's header, a "Published … / Updated …" line, the URL's path,
and — not the page's own — related articles, comments and update stamps.
:mod:`briefing.corpus.htmlmeta` collects them; this module reads visible dates in
several languages and decides. The rule: an explicitly *published* statement wins;
when the page's published statements contradict each other, a date the page shows or
its URL decides, and when nothing decides there is no date (a wrong date is worse than
none). Update, modification and relative dates ("2 hours ago") are never taken.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from briefing.corpus import dates

if TYPE_CHECKING:
    from briefing.corpus.htmlmeta import Signals

_MONTH_NAMES = {
    # German, French, Spanish, Italian, Portuguese, Dutch, Swedish/Danish/Norwegian, Polish and
    # Czech (genitive), Ukrainian and Russian (genitive), with the usual abbreviations.
    **dict.fromkeys(("januar", "jänner", "jän", "janvier", "janv", "enero", "ene", "gennaio", "gen", "janeiro",
                     "januari", "stycznia", "ledna", "січня", "января", "янв"), 1),
    **dict.fromkeys(("februar", "février", "fevrier", "févr", "fevr", "febrero", "febbraio", "fevereiro", "fev",
                     "februari", "lutego", "února", "лютого", "февраля", "фев"), 2),
    **dict.fromkeys(("märz", "maerz", "mär", "mars", "marzo", "março", "marco", "maart", "marca", "března",
                     "березня", "марта"), 3),
    **dict.fromkeys(("april", "avril", "avr", "abril", "abr", "aprile", "kwietnia", "dubna", "квітня", "апреля", "апр"), 4),
    **dict.fromkeys(("mai", "mayo", "maggio", "mag", "maio", "mei", "maj", "maja", "května", "травня", "мая"), 5),
    **dict.fromkeys(("juni", "juin", "junio", "giugno", "giu", "junho", "czerwca", "června", "червня", "июня"), 6),
    **dict.fromkeys(("juli", "juillet", "juil", "julio", "luglio", "lug", "julho", "lipca", "července", "липня", "июля"), 7),
    **dict.fromkeys(("august", "août", "aout", "agosto", "ago", "augustus", "augusti", "sierpnia", "srpna",
                     "серпня", "августа", "авг"), 8),
    **dict.fromkeys(("september", "septembre", "septiembre", "settembre", "set", "setembro", "września", "září",
                     "вересня", "сентября", "сент"), 9),
    **dict.fromkeys(("oktober", "octobre", "octubre", "ottobre", "ott", "outubro", "okt", "października", "října",
                     "жовтня", "октября", "окт"), 10),
    **dict.fromkeys(("november", "novembre", "noviembre", "novembro", "listopada", "listopadu", "листопада",
                     "ноября", "нояб"), 11),
    **dict.fromkeys(("dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic", "dicembre", "dezembro",
                     "december", "grudnia", "prosince", "грудня", "декабря", "дек"), 12),
}  # fmt: skip
_WORD_DATE = re.compile(r"(?<!\d)(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]+)\.?,?\s+(?:del?\s+)?(\d{4})(?!\d)")
_DOTTED_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?![\d.])")
_CJK_DATE = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
# Labels of a date that is not the first publication's.
MODIFIED = re.compile(
    r"(?i)modif|updat|aktuali[sz]|geändert|bijgewerkt|mis\s+à\s+jour|\bmàj\b|actualiza|atualiza|aggiornat|"
    r"uppdater|oppdater|opdater|güncel|revised|\bedited\b|оновлено|обновлено|оновлення|обновление"
)
# Site-specific names for the first publication date ("govuk:first-published-at",
# "cXenseParse:publishtime", "article.publish_date"): never an updated/modified one.
PUBLISHED_KEY = re.compile(r"(?:^|[:._-])(?:first[-_]?)?publish(?:ed)?(?:[-_]?(?:at|time|date|on))?$")
PUBLISHED_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "pubdate",
    "publishdate",
    "publish-date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "og:pubdate",
    "dcterms.issued",
    "citation_publication_date",
    "prism.publicationdate",
    "originalpublicationdate",
    "article.created",
)
# Dates that are usually the first publication's but not named as such.
WEAK_DATE_KEYS = ("date", "dc.date", "dcterms.date", "dc.date.created", "dcterms.created", "citation_date", "pdate", "created")
# Beyond the article element: the article itself is a teaser in a related list.
TEASER_FRAME = re.compile(
    r"(?i)(?:^|[\s_-])(?:related|recommend\w*|teasers?|more|stories|most-read|popular|trending|also|read-?next|latest|headlines|"
    r"list|feed|ticker|carousel|slider|cards?)(?:$|[\s_-])"
)
# The page's frame above the article: a masthead showing today's date, a top bar.
PAGE_CHROME = re.compile(
    r"(?i)(?:^|[\s_-])(?:today|hoy|heute|oggi|aujourd-?hui|dzisiaj|current-?date|date-?today|masthead|top-?bar|topbar|"
    r"navbar|site-?header|header-?top|utility|ticker|weather)(?:$|[\s_-])"
)
# JSON-LD types whose datePublished is the page's (not a video's, an event's or a product's).
PAGE_TYPE = re.compile(r"Article|Posting|Report|WebPage|Blog|Story|Release", re.IGNORECASE)
# Date paths in a canonical URL: /2024/03/05/, /2024-03-05-, /2024/3/5/.
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?=[/_.-]|$)")


_SLASH_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")


def slash_order(tree: Any) -> str:
    """How the page writes ``05/03/2024``: ``"dmy"`` or ``"mdy"`` from its language
    (``<html lang>``, ``og:locale``), ``""`` when the language does not say (plain ``en``)."""
    lang = tree.get("lang") or tree.get("xml:lang") or ""
    if not lang:
        for meta in tree.iter("meta"):
            if (meta.get("property") or "").lower() == "og:locale" or (meta.get("http-equiv") or "").lower() == "content-language":
                lang = meta.get("content") or ""
                break
    lang = lang.strip().lower().replace("_", "-")
    if not lang or lang == "en":
        return ""
    if lang.startswith("en-us") or lang.startswith("en-ph"):
        return "mdy"
    return "dmy"


def visible_date(text: str, slashes: str = "") -> dt.date | None:
    """A date as a page shows it, in English and the languages above: ``3. März 2024``,
    ``12 janvier 2024``, ``12 de marzo de 2024``, ``3 березня 2024``, ``03.03.2024``,
    ``2024年3月5日``, ``05/03/2024`` in the order ``slashes`` gives. Relative dates ("2 hours ago") are no date."""
    found = dates.search_date(text[:200])
    if found:
        return found
    if m := _WORD_DATE.search(text):
        month = _MONTH_NAMES.get(m.group(2).casefold()) or dates.MONTHS.get(m.group(2).casefold())
        if month:
            return dates.make_date(int(m.group(3)), month, int(m.group(1)))
    if m := _DOTTED_DATE.search(text):
        return dates.make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if m := _CJK_DATE.search(text):
        return dates.make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _SLASH_DATE.search(text):
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if slashes == "dmy" or (a > 12 >= b):
            return dates.make_date(year, b, a)
        if slashes == "mdy" or (b > 12 >= a):
            return dates.make_date(year, a, b)
    return None  # an ambiguous 05/03/2024 on a page that does not say its language


_LABEL_WORDS = frozenset(
    """
    published posted first date dated datum fecha data дата publié publiée publication publicado publicada
    pubblicato pubblicata veröffentlicht erschienen opublikowano gepubliceerd publicerad publisert udgivet
    опубліковано опубликовано the and uhr heure hora ore alle par por von door
    monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun
    montag dienstag mittwoch donnerstag freitag samstag sonntag lundi mardi mercredi jeudi vendredi samedi dimanche
    lunes martes miércoles jueves viernes sábado domingo lunedì martedì mercoledì giovedì venerdì sabato domenica
    min mins read lesezeit lecture lectura lettura
    """.split()
)
_WORD = re.compile(r"[^\W\d_]{3,}")


def date_like(line: str) -> bool:
    """A short line that is mostly a date (``Berlin, 5. März 2024 · 3 min read``), not a
    sentence that mentions one (``On 5 March 2024 the council voted to close …``)."""
    other = [w for w in _WORD.findall(line.casefold()) if w not in _LABEL_WORDS and w not in _MONTH_NAMES and w not in dates.MONTHS]
    return len(other) <= 4


def published_part(text: str) -> str:
    """``text`` up to an update label: ``Published 3 May 2024 | Updated 5 May`` gives
    ``Published 3 May 2024 | ``; a line that starts with the label gives ``""``."""
    m = MODIFIED.search(text)
    return text[: m.start()] if m else text


def url_date(url: str) -> dt.date | None:
    """The date in a URL's path (``/2024/03/05/slug``), else None."""
    path = re.sub(r"(?i)^https?://[^/]+", "", url.strip())
    m = _URL_DATE.search(path.split("?", 1)[0])
    return dates.make_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


class Instant(NamedTuple):
    """A published stamp written with a time zone: the moment, the day as written, and
    whether it was written in UTC (a site's local day is the one its readers saw)."""

    moment: dt.datetime
    day: dt.date
    utc: bool


def note_instant(instants: list[Instant], raw: str, day: dt.date) -> None:
    """Add ``raw`` (an ISO 8601 stamp) to ``instants`` when it carries a time zone."""
    text = raw.strip()[:40]
    if text[-1:] in ("Z", "z"):  # (UTC: read by fromisoformat only from Python 3.11)
        text = text[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return
    offset = moment.utcoffset()
    if offset is not None and moment.date() == day and len(instants) < 20:
        instants.append(Instant(moment, day, offset == dt.timedelta(0)))


def _one_moment(stated: list[dt.date], instants: list[Instant]) -> dt.date | None:
    """The local day when the stated dates are one moment written in several time zones
    (``2024-03-05T23:30-05:00`` and ``2024-03-06T04:30Z``), else None."""
    if {i.day for i in instants} != set(stated):
        return None
    first = instants[0].moment
    if any(abs(i.moment - first) > dt.timedelta(hours=1) for i in instants):
        return None
    local = {i.day for i in instants if not i.utc}
    return local.pop() if len(local) == 1 else None


def choose_date(sig: Signals, found: object) -> dt.date | None:
    """The day the page was published (see the module's docstring). ``found`` is the
    date library's answer, used only when the page's own statements say nothing."""
    library = dates.coerce_date(found) if found else None
    header = sig.header_date if sig.header_date not in sig.skipped_dates else None
    if library is not None and library in sig.skipped_dates:
        library = None  # the library read a comment's or a related article's date
    if library is not None and library in sig.updated and library != header:
        library = None  # the library read the date the page labels as an update
    shown = [d for d in (sig.shown, header) if d]
    stated = list(dict.fromkeys(sig.stated))
    if len(stated) == 1:
        return stated[0]
    if stated:
        # The page's published statements disagree (a related item's markup, a
        # republication, a time zone): what it shows or its URL decides; one moment in
        # two time zones is the site's local day; else nothing.
        for d in (*shown, sig.url_date):
            if d in stated:
                return d
        return _one_moment(stated, sig.instants)
    return sig.shown or sig.weak or sig.url_date or library or header
