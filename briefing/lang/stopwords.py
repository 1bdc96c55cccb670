"""Stopwords per language: sumy's own lists where it has one (read from its
package data, offline), our own short list for Russian (sumy has none)."""

from __future__ import annotations

from functools import lru_cache

# ISO 639-1 -> the name of sumy's list.
SUMY_LISTS = {
    "en": "english", "uk": "ukrainian", "de": "german", "fr": "french", "es": "spanish", "pl": "polish",
    "it": "italian", "pt": "portuguese", "cs": "czech", "sk": "slovak", "sv": "swedish", "el": "greek",
}
# The languages whose summaries, keywords and stories use their own stopwords and
# stems (every other language still gets a summary: by position and centrality).
SUPPORTED = ("en", "ru", "uk", "de", "fr", "es", "pl", "it", "pt")

RUSSIAN = frozenset(
    """
    а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже для до
    его ее её если есть еще ещё же за здесь и из или им их к как ко когда кто ли либо между меня мне
    может мы на над надо наш не него нее неё нет ни них но ну о об однако он она они оно от очень по
    под при с со так также такой там те тем то того тоже той только том ты у уже хотя чего чей чем
    что чтобы чье чья эта эти это этого этой этом этот я будет будут был было который которая
    которые которых котором которого после перед против через около сказал заявил заявила также
    """.split()
)


# sumy's Ukrainian list lacks the commonest prepositions and particles: ours adds them.
UKRAINIAN_EXTRA = frozenset(
    """
    і в у на по за над при після через між біля до від з зі із о об а але й або чи не ні же ж ще вже
    його її їх їм нею ним них цього цієї цих цим тому тим саме лише тільки може можуть буде будуть
    був була були було є який яка які якого якій яких котрий також сказав заявив заявила повідомив
    """.split()
)


@lru_cache(maxsize=32)
def stopwords(lang: str | None) -> frozenset[str]:
    """The lower-case stopwords of ``lang`` (empty when we have none for it)."""
    if lang == "ru":
        return RUSSIAN
    name = SUMY_LISTS.get(lang or "")
    if name is None:
        return frozenset()
    from sumy.utils import get_stop_words

    try:
        found = frozenset(w.lower() for w in get_stop_words(name))
        return found | UKRAINIAN_EXTRA if lang == "uk" else found
    except LookupError:
        return frozenset()
