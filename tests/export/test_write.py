"""Writing the file: never clobber, never through a link, clear errors."""

from __future__ import annotations

import os
import stat

import pytest

from briefing.export import ExportWriteError, write_export


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    return out


def test_writes_a_new_file_and_leaves_no_temp(folder):
    target = write_export(folder / "out.md", "hello\n")
    assert target == folder / "out.md"
    assert target.read_bytes() == b"hello\n"
    assert sorted(os.listdir(folder)) == ["out.md"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_never_overwrites_without_force(folder):
    target = folder / "out.md"
    target.write_text("precious")
    with pytest.raises(ExportWriteError, match="already exists .*--force") as err:
        write_export(target, "new")
    assert err.value.kind == "path"
    assert target.read_text() == "precious"
    assert sorted(os.listdir(folder)) == ["out.md"]
    write_export(target, "new", force=True)
    assert target.read_text() == "new"


def test_refuses_a_symlink_at_the_target_even_with_force(folder):
    victim = folder / "victim.txt"
    victim.write_text("do not touch")
    link = folder / "out.md"
    link.symlink_to(victim)
    for force in (False, True):
        with pytest.raises(ExportWriteError, match="symbolic link"):
            write_export(link, "evil", force=force)
    assert victim.read_text() == "do not touch"
    assert link.is_symlink()
    dangling = folder / "dangling.md"
    dangling.symlink_to(folder / "nowhere.txt")
    with pytest.raises(ExportWriteError, match="symbolic link"):
        write_export(dangling, "evil", force=True)
    assert not (folder / "nowhere.txt").exists()


def test_missing_folder_and_folder_target_are_clear_errors(folder):
    with pytest.raises(ExportWriteError, match=r"the folder .*nope does not exist"):
        write_export(folder / "nope" / "out.md", "x")
    (folder / "dir.md").mkdir()
    with pytest.raises(ExportWriteError, match="it is a folder"):
        write_export(folder / "dir.md", "x", force=True)
    (folder / "file").write_text("")
    with pytest.raises(ExportWriteError, match="is not a folder"):
        write_export(folder / "file" / "out.md", "x")


def unwritable_folder(tmp_path):
    """A folder we cannot create files in: a read-only tmp folder, or (as root,
    who ignores permission bits) sysfs."""
    if os.geteuid() == 0:
        return "/sys"
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    return folder


def test_unwritable_folder_is_a_clear_error(tmp_path):
    folder = unwritable_folder(tmp_path)
    with pytest.raises(ExportWriteError, match="permission denied") as err:
        write_export(os.path.join(folder, "briefing-export-test.md"), "x")
    assert err.value.kind == "path"
    assert not os.path.exists(os.path.join(folder, "briefing-export-test.md"))
