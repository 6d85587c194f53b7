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
        "142万人",
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
    for post in [*read_mt(text, "x", []), *read_html(text, "x"), *read_markdown(text, "x", [])]:
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


# --------------------------------------------------------------------------- fuzz (issue 17): bounded in time

import contextlib  # noqa: E402
import signal  # noqa: E402
from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402
from hypothesis import HealthCheck  # noqa: E402

ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp932", "euc_jp", "utf-16", "utf-16-le", "iso2022_jp"])
NAMES = st.sampled_from(["a.txt", "a.md", "a.html", "a", "a.pdf", "a.docx", "a.mt"])
JAPANESE = st.text(
    alphabet=st.sampled_from(list("視察報告市役所の人口約万円年月日、。「」■◆①\n 0123456789:-|/<>&*#!")),
    max_size=80,
)
YAML_PIECES = st.sampled_from(
    ["title: 視察", "date: 2018-02-30", "a: &a [x, x]", "b: [*a, *a]", "c: *a", "<<: *a", "tags: [", "- x",
     "url: !!binary aGVsbG8=", "x: {y: [1, [2, [3]]]}", "? complex", ": value", "date: 令和5年4月1日", "'k': \"v\""]
)  # fmt: skip
HTML_PIECES = st.sampled_from(
    ["<html>", "<head>", "<title>視察 | ブログ</title>", "<meta property='og:site_name' content='ブログ'>", "<body>",
     "<article>", "</article>", "<h1>", "</h1>", "<h2>報告</h2>", "<p>", "</p>", "<br>", "<div class='sidebar'>",
     "</div>", "<time datetime='2018-13-45'>", "<img src=x>", "<!--", "-->", "<script>", "</script>", "&amp;",
     "&#0;", "<nav>", "</nav>", "<table><tr><td>", "<pre>", "</pre>"]
)  # fmt: skip


@contextlib.contextmanager
def watchdog(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the suite) when one read takes longer than ``seconds``."""

    def fire(_signum: int, _frame: object) -> None:
        raise AssertionError(f"a read took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def read_or_skip(name: str, data: bytes, encoding: str | None = None) -> None:
    with watchdog(30):
        try:
            result = read_source(name, data, encoding)
        except UnreadableFile as err:
            assert err.reason and "\n" not in err.reason
            return
    assert result.format in ("mt", "html", "markdown", "text", "pdf", "docx")
    for post in result.posts:
        assert isinstance(post.title, str) and len(post.title) <= 10_000
        assert all(isinstance(ln.text, str) and ln.lineno >= 0 for ln in post.lines)
    assert all("\n" not in w for w in result.warnings)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, bytes, str | None]:
    shape = draw(st.sampled_from(["front", "html", "mt", "plain"]))
    if shape == "front":
        text = "---\n" + "\n".join(draw(st.lists(YAML_PIECES, max_size=12))) + "\n---\n" + draw(JAPANESE)
    elif shape == "html":
        text = "".join(draw(st.lists(st.one_of(HTML_PIECES, JAPANESE), max_size=30)))
    elif shape == "mt":
        text = "\n".join(draw(st.lists(st.one_of(PIECES, JAPANESE), max_size=30)))
    else:
        text = draw(DOCS)
    encoding = draw(ENCODINGS)
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):  # damage a few bytes
        spots = draw(st.lists(st.integers(0, max(len(data) - 1, 0)), max_size=5))
        buf = bytearray(data)
        for i in spots:
            if buf:
                buf[i] = draw(st.integers(0, 255))
        data = bytes(buf)
    explicit = draw(st.one_of(st.none(), st.just(encoding), st.sampled_from(["utf-8", "cp932"])))
    return draw(NAMES), data, explicit


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_fuzz_readers_only_raise_unreadable_file(doc: tuple[str, bytes, str | None]) -> None:
    read_or_skip(*doc)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000), NAMES)
def test_fuzz_random_bytes_under_any_name(data: bytes, name: str) -> None:
    read_or_skip(name, data)
    read_or_skip(name, b"%PDF-1.4\n" + data)  # a PDF header on garbage
    read_or_skip(name, b"PK\x03\x04" + data)  # a ZIP header on garbage


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_fuzz_readers_long_run(doc: tuple[str, bytes, str | None]) -> None:
    read_or_skip(*doc)
