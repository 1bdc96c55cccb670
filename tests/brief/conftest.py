"""A small corpus for composed briefings: two versions of one story, an article
with a hostile title and text, and a plain one; annotations with a private note,
a private highlight comment and a cited difference."""

from __future__ import annotations

from pathlib import Path

import pytest

STORY_A = """---
title: "Grid operator cuts power to three regions"
date: 2024-03-01
author: "Ana Lopes"
source: "Wire One"
url: "https://wire.example/grid-cuts"
---
The national grid operator cut power to three regions on Friday after strikes damaged two substations.

Engineers expect repairs to take at least four days, the operator said in a statement.

Hospitals in the affected regions switched to backup generators overnight.
"""

STORY_B = """---
title: "Power cut in three regions after substation strikes"
date: 2024-03-02
source: "Daily Two"
---
The national grid operator cut power to three regions on Friday after strikes damaged two substations.

Engineers expect repairs to take at least four days, the operator said in a statement.

Schools in the capital will stay closed until Tuesday.
"""

HOSTILE = """---
title: "Hostile <script>alert(1)</script> # [x](javascript:alert(1)) **bold**"
date: 2024-03-03
author: "[Evil](http://evil.example)"
source: "<b>Outlet</b>"
url: "javascript:alert(1)"
---
Ports reopened on Saturday <img src=x onerror=alert(1)> after a [link](http://evil.example) two-day strike ended.

Dock workers accepted a new pay offer late on Friday night.
"""

PLAIN = """Fuel prices rise for a third week

Fuel prices rose for the third week in a row as refinery output fell.

Analysts expect prices to stay high through April.
"""

ANNOTATIONS = """articles:
  "a_story.md":
    tags: ["energy"]
    notes:
      - at: "2024-03-05T10:00:00Z"
        text: "Shared note\\nsecond line"
      - at: "2024-03-05T11:00:00Z"
        text: "PRIVATE-NOTE: source is my cousin"
        private: true
      - at: "2024-03-05T12:00:00Z"
        text: "Number differs from \\"Power cut in three regions after substation strikes\\" (2024-03-02, b_story.md): \\"three\\" vs \\"two\\""
    highlights:
      - quote: "Hospitals in the affected regions switched to backup generators overnight."
        note: "PRIVATE-COMMENT: check with health ministry"
        private: true
      - quote: "Engineers expect repairs to take at least four days"
        note: "timeline"
  "c_hostile.md":
    notes:
      - at: "2024-03-05T13:00:00Z"
        text: "# not a heading <script>x</script> [y](javascript:z)"
version: 4
"""


@pytest.fixture
def brief_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a_story.md").write_text(STORY_A, encoding="utf-8")
    (root / "b_story.md").write_text(STORY_B, encoding="utf-8")
    (root / "c_hostile.md").write_text(HOSTILE, encoding="utf-8")
    (root / "d_plain.txt").write_text(PLAIN, encoding="utf-8")
    (root / "annotations.yaml").write_text(ANNOTATIONS, encoding="utf-8")
    return root
