"""The suite never touches the user's folders (tests/conftest.py moves them)."""

from __future__ import annotations

import os
from pathlib import Path


def test_the_user_folders_are_the_session_s(isolated_user_folders):
    import platformdirs

    from briefing.config import cache_dir, config_dir, data_dir

    home = isolated_user_folders["HOME"]
    assert Path(os.path.expanduser("~")) == home
    for found in (platformdirs.user_cache_dir("briefing"), platformdirs.user_config_dir("briefing"), platformdirs.user_data_dir("briefing")):
        assert Path(found).is_relative_to(home)
    assert (config_dir(), data_dir(), cache_dir()) == (
        isolated_user_folders["BRIEFING_CONFIG_DIR"],
        isolated_user_folders["BRIEFING_DATA_DIR"],
        isolated_user_folders["BRIEFING_CACHE_DIR"],
    )
