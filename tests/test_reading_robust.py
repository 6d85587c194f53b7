"""Property tests: whatever the bytes, reading either gives posts or raises UnreadableFile."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.errors import UnreadableFile
from kb.reading import decode_bytes, read_source
from kb.reading.html import read_html
from kb.reading.markdown import read_markdown
from kb.reading.mt import read_mt

PIECES = st.sampled_from(
    [
        "---",
        "--------",
        "-----",
        "BODY:",
        "EXTENDED BODY:",
        "COMMENT:",
        "TITLE: 視察",
        "DATE: 13/45/2018",
        "CATEGORY: 報告",
        "CONVERT BREAKS: 1",
        "# 見出し",
        "title: [",
        "date: 2018-02-30",
        "```",
        "![写真](a.jpg)",
        "<p>",
        "</div>",
        "<article>",
        "<h1>タイトル</h1>",
        "<img src=x>",
        "<time datetime='x'>",
        "■概要",
        "168万人",
        "",
        "\x00",
        "\r",
    ]
)
DOCS = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=30).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_raise_unreadable(data: bytes) -> None:
    try:
        decoded = decode_bytes(data, "x")
    except UnreadableFile:
        return
    assert "\r" not in decoded.text
    assert "\x00" not in decoded.text


@settings(max_examples=300, deadline=None)
@given(DOCS)
def test_readers_never_crash(text: str) -> None:
    for reader in (read_mt, read_html, read_markdown):
        for post in reader(text, "x", []):
            assert isinstance(post.title, str)
            assert all(isinstance(ln.text, str) for ln in post.lines)


@settings(max_examples=200, deadline=None)
@given(DOCS, st.sampled_from(["a.txt", "a.md", "a.html", "a"]))
def test_read_source_never_crashes(text: str, name: str) -> None:
    try:
        result = read_source(name, text.encode("utf-8", errors="surrogatepass"))
    except UnreadableFile:
        return
    assert result.format in ("mt", "html", "markdown", "text")
