"""Word lists for comparing versions of a story and for picking keywords.

Our own lists, written for English news text. Every entry is lower case; callers
compare folded (lower-cased, diacritics removed) words against them.
"""

from __future__ import annotations

# Function words: never a keyword, never evidence that two sentences say the same thing.
FUNCTION_WORDS = frozenset(
    """
    a about above across after afterwards again against all almost alone along already
    also although always am among amongst an and another any anyhow anyone anything
    anyway anywhere are around as at back be became because become becomes becoming been
    before beforehand behind being below beside besides between beyond both but by can
    cannot could did do does doing done down due during each either else elsewhere enough
    etc even ever every everyone everything everywhere except few for former formerly from
    further had has have having he hence her here hereafter hereby herein hers herself him
    himself his how however i if in indeed into is it its itself just last latter latterly
    least less many may me meanwhile might mine more moreover most mostly much must my
    myself namely neither never nevertheless next no nobody none nor not nothing now
    nowhere of off often on once one only onto or other others otherwise our ours ourselves
    out over own per perhaps please quite rather re same seem seemed seeming seems several
    she should since so some somehow someone something sometime sometimes somewhere still
    such than that the their theirs them themselves then thence there thereafter thereby
    therefore therein thereupon these they this those though through throughout thru thus
    to together too toward towards under until up upon us very via was we well were what
    whatever when whence whenever where whereafter whereas whereby wherein whereupon
    wherever whether which while whither who whoever whole whom whose why will with within
    without would yet you your yours yourself yourselves s t d ll m re ve
    isn aren wasn weren hasn haven hadn doesn don didn won wouldn shouldn couldn can't
    """.split()
)

# Words too common in news reports to describe one: reporting verbs, vague quantities,
# time words, the furniture of an article.
NEWS_WORDS = frozenset(
    """
    said says say saying told tell telling according added adds asked reported reports
    reporting statement statements announced claimed claims stated noted explained
    described confirmed confirm comment comments commented spokesman spokeswoman
    spokesperson
    new news year years month months week weeks day days today yesterday tomorrow time
    times monday tuesday wednesday thursday friday saturday sunday morning afternoon
    evening night overnight weekend recent recently earlier later ago
    people person man woman men women thing things way ways lot lots part parts number
    numbers percent cent per
    first second third two three four five six seven eight nine ten hundred hundreds
    thousand thousands million millions billion billions dozen dozens
    like get got make made take took taken come came go went going gone see seen know
    known want wanted use used using need needed put set give given gave find found look
    looked think thought show shows showed call called try tried keep kept let
    include includes including included
    also just really still even much many more most less least lot good great big small
    large long high low little old young full top bit
    mr mrs ms dr cnn bbc reuters ap afp via photo image video copyright click share
    article articles read continue updated update previous
    """.split()
)

STOP_WORDS = FUNCTION_WORDS | NEWS_WORDS

# Words that precede a name as a title or office ("President Volodymyr Zelensky"): kept
# in the text a reader sees, left out when two mentions of a person are compared.
TITLE_WORDS = frozenset(
    """
    president vice prime minister ministers secretary general secretary-general
    chancellor king queen prince princess pope sir dame lord lady mr mrs ms miss dr
    prof professor gen col lt capt sgt adm maj governor gov senator sen rep
    representative mayor chief judge justice ambassador commander spokesman
    spokeswoman deputy foreign defence defense interior finance state chairman chair
    ceo director head leader officer officials official
    """.split()
)

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
