"""Every test runs with the user's folders moved into a temporary folder.

For the whole session (each xdist worker has its own), HOME, the XDG base folders
and briefing's own overrides (``BRIEFING_CONFIG_DIR``/``DATA``/``CACHE``) point
under one temporary folder, and ``BRIEFING_CORPUS`` is unset: no test reads the
user's configuration or writes into the real ``~/.config``, ``~/.local/share`` or
``~/.cache`` (subprocesses inherit the environment). Fixtures of the test folders
give single tests folders of their own on top of this.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

USER_FOLDERS = {
    "HOME": "home",
    "XDG_CONFIG_HOME": "home/.config",
    "XDG_DATA_HOME": "home/.local/share",
    "XDG_STATE_HOME": "home/.local/state",
    "XDG_CACHE_HOME": "home/.cache",
    "BRIEFING_CONFIG_DIR": "briefing-config",
    "BRIEFING_DATA_DIR": "briefing-data",
    "BRIEFING_CACHE_DIR": "briefing-cache",
    "BRIEFING_STATE_DIR": "briefing-state",
}


@pytest.fixture(scope="session", autouse=True)
def isolated_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    root = tmp_path_factory.mktemp("user")
    folders = {name: root / rel for name, rel in USER_FOLDERS.items()}
    with pytest.MonkeyPatch.context() as patch:
        for name, folder in folders.items():
            folder.mkdir(parents=True, exist_ok=True)
            patch.setenv(name, str(folder))
        patch.delenv("BRIEFING_CORPUS", raising=False)
        yield folders

