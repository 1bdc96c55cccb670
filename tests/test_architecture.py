"""The core never imports Textual (DESIGN.md): each package is imported in a fresh
interpreter and ``textual`` must not be in ``sys.modules`` afterwards."""

import subprocess
import sys

import pytest

CORE = [
    "briefing.model",
    "briefing.sanitize",
    "briefing.config",
    "briefing.corpus",
    "briefing.summarize",
    "briefing.annotations",
    "briefing.export",
    "briefing.index",
    "briefing.index.incremental",
    "briefing.watch",
    "briefing.stories",
    "briefing.stories.group",
    "briefing.stories.compare_text",
    "briefing.stories.compare",
    "briefing.annotations.filter",
    "briefing.summarize.render",
    "briefing.cachedir",
    "briefing.annotations.savequeue",
    "briefing.shutdown",
]


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual(module):
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulled in {out.stdout.strip()}"


def test_cli_import_is_light():
    """`briefing list` must not pay for the reader, sumy or numpy at import time."""
    code = (
        "import sys\n"
        "import briefing.cli\n"
        "from briefing.cli.app import load_commands\n"
        "load_commands()  # every command's module (imported when its command is run)\n"
        "heavy = [m for m in ('textual', 'sumy', 'numpy', 'nltk', 'trafilatura') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_comparison_widget_does_not_load_the_grouping():
    """The reader's comparison widget shares the kinds of difference with the core
    (briefing.stories.kinds) without importing grouping's numpy."""
    code = (
        "import sys\n"
        "import briefing.tui.widgets.comparison\n"
        "print(','.join(m for m in ('numpy', 'briefing.stories.group') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
