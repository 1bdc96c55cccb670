"""The command line imports a command's module only when the command is looked up
(briefing.cli.app.COMMANDS): the table must name every command, each in the module
that defines it, and a command must run without the others' modules."""

from __future__ import annotations

import subprocess
import sys

from briefing.cli.app import COMMANDS, load_commands, main


def test_the_table_names_every_command_and_its_module():
    load_commands()
    assert set(main.commands) == set(COMMANDS)
    for name, command in main.commands.items():
        assert command.callback is not None
        assert command.callback.__module__ == f"briefing.cli.{COMMANDS[name]}", name


def test_a_command_imports_its_own_module_only(tmp_path):
    code = (
        "import sys\n"
        "from briefing.cli import main\n"
        "try:\n"
        "    main(['tag', '--help'], prog_name='briefing')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('briefing.cli.') or m == 'briefing.summarize'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = out.stdout.strip().splitlines()[-1]
    assert "briefing.cli.annotate" in loaded and "Add tags to an article" in out.stdout
    for other in ("export", "brief", "corpus", "stories", "summarize", "watch", "stats"):
        assert f"briefing.cli.{other}'" not in loaded, loaded
    assert "'briefing.summarize'" not in loaded
