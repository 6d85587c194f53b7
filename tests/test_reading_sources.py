"""Finding files: directories, sorting, hidden names, symlink loops, unreadable and missing paths, stdin."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from kb.errors import UnreadableFile
from kb.reading import Source, iter_sources, read_file


def write(path: Path, text: str = "視察報告\n本文です。\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def paths(items: list[Source | UnreadableFile]) -> list[str]:
    return [item.path for item in items]


def test_directory_is_walked_recursively_in_name_order(tmp_path: Path) -> None:
    write(tmp_path / "b.txt")
    write(tmp_path / "a" / "z.md")
    write(tmp_path / "a" / "c" / "deep.html")
    write(tmp_path / "c.txt")
    found = list(iter_sources([str(tmp_path)]))
    assert all(isinstance(s, Source) for s in found)
    assert paths(found) == [
        str(tmp_path / "a" / "c" / "deep.html"),
        str(tmp_path / "a" / "z.md"),
        str(tmp_path / "b.txt"),
        str(tmp_path / "c.txt"),
    ]
    assert paths(found) == paths(list(iter_sources([str(tmp_path)])))  # deterministic


def test_several_paths_keep_their_order(tmp_path: Path) -> None:
    a = write(tmp_path / "x" / "2.txt")
    b = write(tmp_path / "1.txt")
    assert paths(list(iter_sources([str(a), str(b)]))) == [str(a), str(b)]


def test_hidden_names_are_skipped_inside_directories_but_read_when_named(tmp_path: Path) -> None:
    write(tmp_path / ".hidden.txt")
    write(tmp_path / ".git" / "config")
    visible = write(tmp_path / "visible.txt")
    assert paths(list(iter_sources([str(tmp_path)]))) == [str(visible)]
    named = tmp_path / ".hidden.txt"
    assert paths(list(iter_sources([str(named)]))) == [str(named)]


def test_source_size_and_bytes(tmp_path: Path) -> None:
    f = write(tmp_path / "r.txt", "視察")
    (src,) = iter_sources([str(f)])
    assert isinstance(src, Source)
    assert src.size == len("視察".encode())
    assert src.read_bytes() == "視察".encode()


def test_japanese_file_names_with_spaces(tmp_path: Path) -> None:
    f = write(tmp_path / "視察 報告" / "金沢市 視察①.txt", "金沢市視察\n観光客は約1000万人。\n")
    (src,) = iter_sources([str(tmp_path)])
    assert isinstance(src, Source)
    assert src.path == str(f)
    result = read_file(src)
    assert [p.title for p in result.posts] == ["金沢市視察"]
    assert result.posts[0].source == str(f)


def test_missing_path(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    (item,) = iter_sources([missing])
    assert isinstance(item, UnreadableFile)
    assert (item.path, item.reason) == (missing, "no such file or directory")


def test_symlink_loop_terminates(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write(root / "a.txt")
    write(root / "sub" / "b.txt")
    os.symlink(root, root / "sub" / "loop")  # points back up
    os.symlink(".", root / "self")
    found = list(iter_sources([str(root)]))
    assert paths(found) == [str(root / "a.txt"), str(root / "sub" / "b.txt")]


def test_symlinked_file_read_once(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt")
    os.symlink(f, tmp_path / "b.txt")
    assert paths(list(iter_sources([str(tmp_path)]))) == [str(f)]


def test_broken_symlink(tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone.txt", tmp_path / "link.txt")
    (item,) = iter_sources([str(tmp_path)])
    assert isinstance(item, UnreadableFile)
    assert item.reason == "broken symbolic link"


def test_unreadable_file(tmp_path: Path) -> None:
    f = write(tmp_path / "secret.txt")
    write(tmp_path / "open.txt")
    f.chmod(0)
    try:
        if os.access(f, os.R_OK):
            pytest.skip("running with privileges that read any file (root)")
        found = list(iter_sources([str(tmp_path)]))
        assert len(found) == 2
        assert isinstance(found[0], Source)
        assert isinstance(found[1], UnreadableFile)
        assert (found[1].path, found[1].reason) == (str(f), "cannot read: permission denied")
    finally:
        f.chmod(0o644)


def test_unreadable_directory(tmp_path: Path) -> None:
    d = tmp_path / "locked"
    write(d / "a.txt")
    d.chmod(0)
    try:
        if os.access(d, os.R_OK):
            pytest.skip("running with privileges that read any directory (root)")
        (item,) = iter_sources([str(tmp_path)])
        assert isinstance(item, UnreadableFile)
        assert item.reason.startswith("cannot read directory")
    finally:
        d.chmod(0o755)


def test_fifo_inside_a_directory_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (item,) = iter_sources([str(tmp_path)])
    assert isinstance(item, UnreadableFile)
    assert item.reason == "not a regular file, skipped"


def test_file_removed_after_listing_raises_oserror(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt")
    (src,) = iter_sources([str(f)])
    f.unlink()
    assert isinstance(src, Source)
    with pytest.raises(OSError):
        src.read_bytes()


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = "標準入力の視察報告\n本文。\n".encode("cp932")

    class FakeStdin:
        buffer = io.BytesIO(data)

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    found = list(iter_sources(["-", "-"]))
    assert len(found) == 1
    (src,) = found
    assert isinstance(src, Source)
    assert (src.path, src.size, src.read_bytes()) == ("<stdin>", len(data), data)
    assert read_file(src).posts[0].title == "標準入力の視察報告"


def test_streaming_yields_before_walking_everything(tmp_path: Path) -> None:
    for i in range(5):
        write(tmp_path / f"d{i}" / "a.txt")
    it = iter_sources([str(tmp_path)])
    first = next(it)
    assert first.path == str(tmp_path / "d0" / "a.txt")


def test_hard_linked_file_read_once(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt")
    os.link(f, tmp_path / "b.txt")
    other = write(tmp_path / "c.txt")
    assert paths(list(iter_sources([str(tmp_path), str(f)]))) == [str(f), str(other)]
