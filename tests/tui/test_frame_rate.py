"""The reader asks Textual for 120 frames a second unless the user set TEXTUAL_FPS."""

import os
import subprocess
import sys


def _max_fps(env: dict) -> int:
    code = "import briefing.tui.app, textual.constants as c; print(c.MAX_FPS)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def test_the_reader_draws_up_to_120_frames_a_second():
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    assert _max_fps(env) == 120


def test_a_frame_rate_set_by_the_user_wins():
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    env["TEXTUAL_FPS"] = "30"
    assert _max_fps(env) == 30
