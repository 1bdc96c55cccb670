"""User configuration: where it lives and what it holds.

The config file is YAML at ``<user config dir>/briefing/config.yaml``; the folder can
be moved with ``BRIEFING_CONFIG_DIR`` (tests and portable installs use this).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "briefing"


def config_dir() -> Path:
    override = os.environ.get("BRIEFING_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP))


def data_dir() -> Path:
    override = os.environ.get("BRIEFING_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP))


def cache_dir() -> Path:
    override = os.environ.get("BRIEFING_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir(APP))


def config_file() -> Path:
    return config_dir() / "config.yaml"
