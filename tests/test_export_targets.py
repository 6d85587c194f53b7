"""Exports onto special files (issue 17 #4): `-o PATH --force` writes through a symlink to its
target and never replaces a FIFO, a socket, a device node or a folder with a regular file.

The real /dev/null is only ever checked: the tests that name it make every way of writing a file
fail first, so that a regression cannot replace it even as root.
"""

from __future__ import annotations

import os
import socket
import stat
import tempfile
from pathlib import Path

import pytest
from export_rows import sample_rows

from kb.errors import ExportError
from kb.export import FORMATS, write_export
from kb.export.atomic import check_target, resolve_target

HEADER = "項目,数値".encode()


def _no_temporaries(*folders: Path) -> None:
    for folder in folders:
        assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_force_writes_through_a_symlink_to_its_target(tmp_path: Path) -> None:
    real, links = tmp_path / "real", tmp_path / "links"
    real.mkdir()
    links.mkdir()
    target = real / "共有.csv"
    target.write_bytes(b"old")
    target.chmod(0o640)
    link = links / "facts.csv"
    link.symlink_to(target)
    result = write_export(sample_rows(), "csv", str(link), force=True)
    assert result.path == str(link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf" + HEADER)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.iterdir()) == ["共有.csv"]  # written next to the target
    assert sorted(p.name for p in links.iterdir()) == ["facts.csv"]


def test_a_symlink_needs_force_like_a_file(tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    target.write_bytes(b"old")
    link = tmp_path / "b.csv"
    link.symlink_to("a.csv")
    with pytest.raises(ExportError, match="^ファイルが既にあります: .*b.csv — 上書きするには --force"):
        write_export(sample_rows(), "csv", str(link))
    assert target.read_bytes() == b"old" and link.is_symlink()


def test_relative_symlink_chain_and_dangling_link(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    target = tmp_path / "sub" / "data.md"
    target.write_text("old", encoding="utf-8")
    (tmp_path / "one.md").symlink_to("sub/data.md")
    (tmp_path / "two.md").symlink_to("one.md")
    assert resolve_target(str(tmp_path / "two.md")) == str(target)
    write_export(sample_rows(), "md", str(tmp_path / "two.md"), force=True)
    assert target.read_text(encoding="utf-8").startswith("## ◼️オンライン申請")
    assert (tmp_path / "two.md").is_symlink() and (tmp_path / "one.md").is_symlink()
    dangling = tmp_path / "later.json"
    dangling.symlink_to("sub/later.json")
    write_export(sample_rows(), "json", str(dangling), force=True)
    assert dangling.is_symlink()
    assert (tmp_path / "sub" / "later.json").read_text(encoding="utf-8").startswith("[")
    _no_temporaries(tmp_path, tmp_path / "sub")


def test_a_symlink_loop_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.csv").symlink_to("b.csv")
    (tmp_path / "b.csv").symlink_to("a.csv")
    with pytest.raises(ExportError) as info:
        write_export(sample_rows(), "csv", str(tmp_path / "a.csv"), force=True)
    assert "シンボリックリンクが循環しています" in str(info.value)
    assert "\n" not in str(info.value)
    assert (tmp_path / "a.csv").is_symlink()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("force", [False, True])
def test_a_fifo_is_refused_and_survives(tmp_path: Path, fmt: str, force: bool) -> None:
    fifo = tmp_path / f"pipe.{fmt}"
    os.mkfifo(fifo)
    with pytest.raises(ExportError) as info:
        write_export(sample_rows(), fmt, str(fifo), force=force)  # never opened: no hang
    message = str(info.value)
    assert message.startswith(f"{fifo} は名前付きパイプ（FIFO）なので書き出せません")
    assert "-o -" in message and "\n" not in message
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == [fifo.name]


def test_a_symlink_to_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.csv"
    link.symlink_to(fifo)
    with pytest.raises(ExportError, match="名前付きパイプ"):
        write_export(sample_rows(), "csv", str(link), force=True)
    assert link.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        with pytest.raises(ExportError, match="ソケットなので書き出せません"):
            write_export(sample_rows(), "csv", str(path), force=True)
        assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_a_symlink_to_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "out.csv").symlink_to("dir")
    with pytest.raises(ExportError, match="^フォルダーには書き出せません"):
        write_export(sample_rows(), "csv", str(tmp_path / "out.csv"), force=True)
    assert list((tmp_path / "dir").iterdir()) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may make a device node")
def test_a_device_node_is_refused_and_survives(tmp_path: Path) -> None:
    node = tmp_path / "null.csv"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a second /dev/null, in tmp_path
    with pytest.raises(ExportError, match="デバイスなので書き出せません"):
        write_export(sample_rows(), "csv", str(node), force=True)
    assert stat.S_ISCHR(os.lstat(node).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == [node.name]


def test_a_path_that_is_a_device_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same for any user: a file the stat call reports as a character device."""
    device = tmp_path / "tty.tsv"
    device.write_bytes(b"untouched")
    real_stat = os.stat

    def fake_stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        st = real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
        if isinstance(path, str | os.PathLike) and os.fspath(path) == str(device):
            return os.stat_result((stat.S_IFCHR | 0o620, *tuple(st)[1:]))
        return st

    monkeypatch.setattr(os, "stat", fake_stat)
    for force in (False, True):
        with pytest.raises(ExportError, match="デバイスなので書き出せません"):
            write_export(sample_rows(), "tsv", str(device), force=force)
    monkeypatch.undo()
    assert device.read_bytes() == b"untouched"


@pytest.fixture
def nothing_is_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every way an export makes or replaces a file fails the test before it happens."""

    def forbidden(*args: object, **_kwargs: object) -> None:
        raise AssertionError(f"an export tried to write: {args}")

    monkeypatch.setattr(os, "replace", forbidden)
    monkeypatch.setattr(os, "rename", forbidden)
    monkeypatch.setattr(tempfile, "mkstemp", forbidden)


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null on this system")
@pytest.mark.usefixtures("nothing_is_written")
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_dev_null_is_refused_even_with_force(tmp_path: Path, fmt: str) -> None:
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    with pytest.raises(ExportError, match="^/dev/null はデバイスなので書き出せません"):
        check_target("/dev/null", True)
    with pytest.raises(ExportError, match="デバイス"):
        write_export(sample_rows(), fmt, "/dev/null", force=True)
    link = tmp_path / f"null.{fmt}"
    link.symlink_to("/dev/null")
    with pytest.raises(ExportError, match="デバイス"):
        write_export(sample_rows(), fmt, str(link), force=True)
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    assert link.is_symlink()


def test_a_target_that_turns_into_a_fifo_while_writing_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "facts.csv"
    out.write_bytes(b"old")
    real_fsync = os.fsync

    def swap(fd: int) -> None:
        real_fsync(fd)
        if out.exists() and not stat.S_ISFIFO(os.lstat(out).st_mode):
            out.unlink()
            os.mkfifo(out)

    monkeypatch.setattr(os, "fsync", swap)
    with pytest.raises(ExportError, match="名前付きパイプ"):
        write_export(sample_rows(), "csv", str(out), force=True)
    assert stat.S_ISFIFO(os.lstat(out).st_mode)
    _no_temporaries(tmp_path)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another user")
def test_force_as_root_keeps_the_owner(tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    out.write_bytes(b"old")
    os.chown(out, 1234, 1234)
    write_export(sample_rows(), "csv", str(out), force=True)
    st = out.stat()
    assert (st.st_uid, st.st_gid) == (1234, 1234)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf" + HEADER)
