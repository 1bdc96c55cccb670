"""The HTML export opened in a real browser (Debian's headless chromium): no
script runs, no handler fires, and the items are there."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from briefing.export import BriefingOptions, Filter, export_briefing, write_export


def chromium() -> str:
    """The browser; without one the test is skipped, except in CI (``CI`` set, as
    .ci/run's hosts set it, and .ci/run installs the browser) where it fails."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        reason = "headless Chromium is needed for this test: install Debian's package with `apt-get install -y chromium`"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (mandatory in CI: CI={os.environ['CI']!r})", pytrace=False)
        pytest.skip(reason)
    return found


def test_no_script_runs_in_chromium_and_the_items_are_there(loaded, tmp_path):
    corpus, store = loaded
    store.add_note("002_779c45f11c9e3794.txt", "<script>document.title='pwned'</script><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">", at="2026-11-20T12:00:00Z")
    result = export_briefing(corpus, store, Filter(), "html", BriefingOptions(title="Browser check", method="lead"))
    page = write_export(tmp_path / "briefing.html", result.data)
    profile = tmp_path / "chromium-profile"
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=2000",  # give any script or onerror time to run
        "--dump-dom",
        page.as_uri(),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=60)
    dom = run.stdout
    assert run.returncode == 0 and "<body" in dom, run.stderr[-2000:]
    assert "<title>Browser check</title>" in dom  # document.title was not changed
    assert "pwned" not in re.sub(r"&lt;script&gt;document\.title='pwned'&lt;/script&gt;|document\.body\.setAttribute\('data-pwned','1'\)", "", dom)
    assert "data-pwned=" not in dom.replace("setAttribute('data-pwned','1')", "")
    assert "<script" not in dom and "<img" not in dom
    assert len(re.findall(r'<article class="item" id="item-\d+">', dom)) == 4
    assert "The attacks targeted" in dom and "Hostile &lt;script&gt;" in dom
