"""Finding files: directories, sorting, hidden names, symlink loops, unreadable and missing paths, stdin."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from kb.errors import UnreadableFile
from kb.reading import Source, iter_sources, os_reason, read_source


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
    result = read_source(src.path, src.read_bytes())
    assert [p.title for p in result.posts] == ["金沢市視察"]
    assert result.posts[0].source == str(f)


def test_missing_path(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    (item,) = iter_sources([missing])
    assert isinstance(item, UnreadableFile)
    assert (item.path, item.reason) == (
        missing,
        "ファイルまたはフォルダがありません (no such file or directory)",
    )


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
    assert item.reason == "リンク先のないシンボリックリンク (broken symbolic link) です"


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
        assert (found[1].path, found[1].reason) == (str(f), "読み取る権限がありません (permission denied)")
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
        assert item.reason.startswith("フォルダを読めません (cannot read directory")
    finally:
        d.chmod(0o755)


def test_fifo_inside_a_directory_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (item,) = iter_sources([str(tmp_path)])
    assert isinstance(item, UnreadableFile)
    assert item.reason == "通常のファイルではない (not a regular file) ため読み飛ばしました"


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
    assert read_source(src.path, src.read_bytes()).posts[0].title == "標準入力の視察報告"


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


# --------------------------------------------------------------------------- which files (issue 13, item 5)


def reasons(items: list[Source | UnreadableFile]) -> dict[str, str | None]:
    return {Path(i.path).name: (i.reason if isinstance(i, UnreadableFile) else None) for i in items}


def test_only_the_formats_kb_reads_are_listed_the_rest_say_why(tmp_path: Path) -> None:
    for name in ("報告.txt", "報告.md", "page.html", "export", "notes.memo", "report.pdf", "report.docx"):
        write(tmp_path / name)
    for name in (
        "tool.py",
        "data.json",
        "table.csv",
        "~$report.docx",
        "page.html.bak",
        "draft.txt~",
        ".#lock.txt",
    ):
        write(tmp_path / name)
    write(tmp_path / "photo.png")
    got = reasons(list(iter_sources([str(tmp_path)])))
    assert {k for k, v in got.items() if v is None} == {
        "報告.txt", "報告.md", "page.html", "export", "notes.memo", "report.pdf", "report.docx",
    }  # fmt: skip
    assert got["tool.py"] == "プログラムのソースコード (.py: source code) のため読み飛ばしました"
    assert got["data.json"] == "データや設定のファイル (.json: data or configuration) のため読み飛ばしました"
    assert got["table.csv"] == "データや設定のファイル (.csv: data or configuration) のため読み飛ばしました"
    assert got["~$report.docx"] == "Office などの一時ファイル (temporary file) のため読み飛ばしました"
    assert (
        got["page.html.bak"]
        == got["draft.txt~"]
        == "バックアップファイル (backup file) のため読み飛ばしました"
    )
    assert "photo.png" in got and "binary file" in str(got["photo.png"])
    assert ".#lock.txt" not in got  # a hidden name inside a folder is not listed at all


def test_a_file_named_explicitly_is_still_checked_against_its_format(tmp_path: Path) -> None:
    script = write(tmp_path / "convert.py", "print('視察')\n")
    backup = write(tmp_path / "post.txt.bak")
    first, second = iter_sources([str(script), str(backup)])
    assert isinstance(first, UnreadableFile) and isinstance(second, UnreadableFile)
    assert "source code" in first.reason and "backup" in second.reason


def test_content_decides_for_a_file_without_a_known_extension() -> None:
    from kb.reading import read_source

    with pytest.raises(UnreadableFile, match=r"スクリプト \(script with #!\)"):
        read_source("tools/convert", b"#!/usr/bin/env python3\nprint('x')\n")
    with pytest.raises(UnreadableFile, match=r"JSON のデータ \(JSON document\)"):
        read_source("dump", '{"title": "視察", "body": "本文"}'.encode())
    # a text that only starts with a bracket is a post
    (post,) = read_source("memo", "[報告] 金沢市の視察\n\n観光施策を伺いました。\n".encode()).posts
    assert post.title == "[報告] 金沢市の視察"


@pytest.mark.parametrize(
    ("globs", "expected"),
    [
        (["*.md"], ["a.md", "sub/c.md"]),
        (["!*.md"], ["b.txt", "drafts/d.txt", "sub/e.txt"]),
        (["*.txt", "!drafts/"], ["b.txt", "sub/e.txt"]),
        (["sub/*"], ["sub/c.md", "sub/e.txt"]),
        (["**/e.txt"], ["sub/e.txt"]),
        (["*.{md,txt}", "!sub/**"], ["a.md", "b.txt", "drafts/d.txt"]),
        (["*.txt", "!*.txt", "b.txt"], ["b.txt"]),  # the last matching glob wins, as in ripgrep
    ],
)
def test_include_and_exclude_globs_as_in_ripgrep(
    tmp_path: Path, globs: list[str], expected: list[str]
) -> None:
    for name in ("a.md", "b.txt", "drafts/d.txt", "sub/c.md", "sub/e.txt"):
        write(tmp_path / name)
    found = [
        Path(s.path).relative_to(tmp_path).as_posix() for s in iter_sources([str(tmp_path)], include=globs)
    ]
    assert found == expected


def test_exclude_globs_and_explicit_files(tmp_path: Path) -> None:
    for name in ("a.md", "b.txt", "sub/c.md"):
        write(tmp_path / name)
    found = [Path(s.path).name for s in iter_sources([str(tmp_path)], exclude=["*.md"])]
    assert found == ["b.txt"]
    # globs filter what a folder holds; a file named on the command line is read
    named = [Path(s.path).name for s in iter_sources([str(tmp_path / "a.md")], exclude=["*.md"])]
    assert named == ["a.md"]


@pytest.mark.parametrize("url", ["https://example.jp/blog/2024/10/02/", "http://example.jp/a.html"])
def test_a_url_says_that_kb_reads_saved_pages(url: str) -> None:
    (item,) = iter_sources([url])
    assert isinstance(item, UnreadableFile)
    assert item.path == url
    assert item.reason.startswith("URL は読み込めません: kb は保存したページやファイルを読みます")
    assert "名前を付けて保存" in item.reason


# --------------------------------------------------------------------------- pipes and devices (issue 17, 3 and 7)


def test_a_named_pipe_with_a_live_writer_is_read_once(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    text = "パイプの視察報告\n\n本文です。\n".encode()

    def writer() -> None:
        with open(fifo, "wb") as fh:
            fh.write(text)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    (src,) = iter_sources([str(fifo)])
    assert isinstance(src, Source) and src.stream
    assert src.read_bytes() == text
    assert src.read_bytes() == text  # a second caller gets the same bytes: the pipe is not opened again
    thread.join(5)
    assert read_source(src.path, src.read_bytes()).posts[0].title == "パイプの視察報告"


def test_a_named_pipe_without_a_writer_does_not_hang(tmp_path: Path) -> None:
    from kb.reading.sources import read_stream

    fifo = tmp_path / "nobody"
    os.mkfifo(fifo)
    assert read_stream(str(fifo), wait=0.1) == b""


def test_process_substitution_is_read_once() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, "置換の報告\n本文。\n".encode())
    os.close(write_end)
    try:
        path = f"/dev/fd/{read_end}"
        if not os.path.exists(path):
            pytest.skip("no /dev/fd on this system")
        (src,) = iter_sources([path])
        assert isinstance(src, Source)
        assert src.read_bytes() == "置換の報告\n本文。\n".encode()
    finally:
        os.close(read_end)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_is_refused_at_the_size_cap(device: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from kb.reading.sources import read_stream

    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    with pytest.raises(UnreadableFile, match=r"1 MB を超える入力のため読み飛ばしました \(size limit\)"):
        read_stream(device, cap=1024 * 1024)
    (src,) = iter_sources([device])
    assert isinstance(src, Source) and src.stream and src.size == 0
    monkeypatch.setattr("kb.reading.sources.MAX_STREAM", 1024 * 1024)
    with pytest.raises(OSError) as err:  # what read_bytes callers (the importer) already handle
        src.read_bytes()
    assert os_reason(err.value) == "1 MB を超える入力のため読み飛ばしました (size limit)"


def test_standard_input_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    from kb.reading import sources

    class FakeStdin:
        buffer = io.BytesIO(b"x" * 5000)

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    monkeypatch.setattr(sources, "MAX_STREAM", 4096)
    (item,) = iter_sources(["-"])
    assert isinstance(item, UnreadableFile)
    assert "size limit" in item.reason
