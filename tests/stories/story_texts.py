"""Made-up articles for the grouping tests (realistic shapes, invented facts)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
REWRITE = "002_779c45f11c9e3794.txt"
ORIGINAL = "003_dd4f2a093bc6ca5d.txt"

# Two different Russian strikes on the Ukrainian grid, three weeks apart: same topic,
# near-identical headlines, one shared background sentence, different events.
GRID_MARCH = """Russia strikes Ukraine's power grid in massive overnight attack

date 2024-03-22 Russia launched one of its largest attacks on Ukraine's energy system overnight, hitting the Dnipro hydroelectric dam and thermal plants in Kharkiv, officials said on Friday.

Ukraine's energy ministry said 88 missiles and 63 drones were fired, and that more than a million homes lost power in the Kharkiv, Odesa and Zaporizhzhia regions.

A trolleybus crossing the dam in Zaporizhzhia was hit and two people were killed, according to the regional governor, Ivan Fedorov. Engineers said the station's turbine hall was on fire for several hours.

Ukrenergo, the grid operator, asked consumers in the east to cut their use of electricity in the evening peak and said emergency imports from Poland and Slovakia had been requested.

Russia has repeatedly targeted Ukraine's energy infrastructure since October 2022.
"""

GRID_APRIL = """Russian strikes hit Ukraine's power grid in massive attack

date 2024-04-11 A barrage of Russian missiles destroyed the Trypilska thermal power plant near Kyiv on Thursday, the largest electricity producer for the capital region, its owner Centrenergo said.

Centrenergo said all of the plant's generating capacity had been lost. Substations in Kharkiv were also damaged, and gas storage sites in the Lviv region were attacked for the first time in months.

The air force said it shot down 57 of the 82 missiles and drones launched during the night. Officials in Kharkiv reported scheduled blackouts for 200,000 residents while repairs continue.

President Volodymyr Zelensky called again for more Patriot air defence systems, saying the country could not protect its power plants without them.

Russia has repeatedly targeted Ukraine's energy infrastructure since October 2022.
"""

# Another outlet's rewrite of GRID_MARCH on the next day: shortened, reworded in places.
GRID_MARCH_REWRITE = """Massive Russian attack on Ukraine's energy system

date 2024-03-23 Russia launched one of its largest attacks on Ukraine's energy system overnight, hitting the Dnipro hydroelectric dam and thermal plants in Kharkiv, officials said on Friday.

Ukraine's energy ministry said 88 missiles and 63 drones were fired. More than a million homes lost power in the Kharkiv, Odesa and Zaporizhzhia regions.

A trolleybus crossing the dam in Zaporizhzhia was hit and two people were killed, according to the regional governor, Ivan Fedorov.

The grid operator Ukrenergo asked consumers in the east to cut their use of electricity in the evening peak, and said emergency imports from Poland and Slovakia had been requested.
"""


def sentence(n: int) -> str:
    """Sentence number ``n``: twelve words drawn for it alone (no two sentences share
    a run of three words, in practice)."""
    rng = random.Random(n)
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "pa", "qu", "do"]
    words = ["".join(rng.choice(syllables) for _ in range(3)) for _ in range(12)]
    return " ".join(words).capitalize() + "."


def sentences_text(first: int, count: int, date: str | None = None, title: str | None = None) -> str:
    """An article of ``count`` distinct sentences numbered from ``first``: articles
    built from overlapping ranges share exactly those sentences."""
    body = " ".join(sentence(n) for n in range(first, first + count))
    head = f"{title}\n\n" if title else ""
    marker = f"date {date} " if date else ""
    return f"{head}{marker}{body}\n"


def copy_seeds(target: Path) -> Path:
    shutil.copytree(SEEDS, target, ignore=shutil.ignore_patterns("formats"))  # the five shared articles (seeds/formats: the format examples)
    return target


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
