"""Files to read: paths, directories (recursive, sorted) and standard input, one file at a time.

By default only the formats kb reads are listed (text, Markdown, HTML, Movable Type exports, PDF,
Word .docx; a file with another or no extension is checked by its content when it is read); code,
data, office temp and backup files are skipped with a reason. ``include``/``exclude`` take
ripgrep ``-g`` globs matched against the path relative to the argument.

Pipes, ``<(cmd)`` (``/dev/fd/N``) and character devices named on the command line are read
exactly once, up to MAX_STREAM bytes: ``/dev/zero`` is refused at the cap instead of filling memory.
"""

from __future__ import annotations

import errno
import os
import re
import select
import stat
import sys
import time
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from kb.errors import UnreadableFile
from kb.record import field, record

STDIN = "<stdin>"
MAX_STREAM = 64 * 1024 * 1024  # bytes read at most from a pipe, a device or standard input
FIFO_WAIT = 10.0  # seconds to wait for a writer to open a named pipe that has none yet

# Extensions of the formats kb reads; any other extension is skipped, no extension is sniffed.
READ_EXTENSIONS = frozenset(
    ".txt .text .md .markdown .mdown .mkd .mkdn .html .htm .xhtml .shtml .mt .pdf .docx".split()
)
_KINDS: tuple[tuple[frozenset[str], tuple[str, str]], ...] = (
    (
        frozenset(
            ".py .pyw .js .mjs .cjs .ts .tsx .jsx .c .h .cc .cpp .hpp .cs .java .kt .go .rs .rb .php .pl .pm "
            ".sh .bash .zsh .fish .ps1 .bat .cmd .vbs .lua .r .swift .scala .sql .css .scss .sass .less .vue "
            ".svelte .mk .cmake .gradle .ipynb".split()
        ),
        ("プログラムのソースコード", "source code"),
    ),
    (
        frozenset(
            ".json .jsonl .ndjson .geojson .csv .tsv .xml .yaml .yml .toml .ini .cfg .conf .env .properties .lock".split()
        ),
        ("データや設定のファイル", "data or configuration"),
    ),
    (
        frozenset(".doc .xls .xlsx .xlsm .ppt .pptx .odt .ods .odp .rtf .pages .key .numbers".split()),
        ("kb が読まない文書形式", "unsupported document format"),
    ),
    (frozenset(".log .out .err".split()), ("ログファイル", "log file")),
    (
        frozenset(
            ".png .jpg .jpeg .gif .bmp .webp .heic .heif .tif .tiff .ico .svg .mp3 .wav .m4a .aac .flac .ogg "
            ".mp4 .mov .avi .mkv .webm .zip .gz .tgz .bz2 .xz .7z .rar .tar .exe .dll .so .dylib .bin .iso .dmg "
            ".db .sqlite .sqlite3 .pyc .class .o .a .woff .woff2 .ttf .otf".split()
        ),
        ("画像・音声・圧縮などのバイナリファイル", "binary file"),
    ),
)
_BACKUP = re.compile(r"(?:~|\.(?:bak|backup|orig|old|tmp|temp|swp|swo|swn|part|crdownload|rej))$", re.I)
_OFFICE_TEMP = re.compile(r"^~\$|^\.~lock\.|^\.#")
_URL = re.compile(r"^(?:https?|ftp)://", re.I)
URL_REASON = (
    "URL は読み込めません: kb は保存したページやファイルを読みます "
    "(ブラウザの「名前を付けて保存」で HTML として保存し、そのファイルを指定してください)"
)


@record(frozen=True, slots=True)
class Source:
    """A file to read; its bytes are read only when asked for, and a stream only once."""

    path: str
    size: int
    data: bytes | None = field(default=None, repr=False, compare=False)  # standard input, already read
    stream: bool = field(default=False, compare=False)  # a pipe or a device: read once, capped
    _cache: list[bytes] = field(default_factory=list, repr=False, compare=False)

    def read_bytes(self) -> bytes:
        """The file's bytes. OSError when the file went away or became unreadable since it was
        listed, or a stream is over MAX_STREAM bytes (EFBIG; os_reason gives its message)."""
        if self.data is not None:
            return self.data
        if not self.stream:
            with open(self.path, "rb") as fh:
                return fh.read()
        if not self._cache:  # a pipe gives its bytes once: keep them for a second caller
            try:
                self._cache.append(read_stream(self.path))
            except UnreadableFile as err:  # over the cap: an OSError, as the callers expect here
                raise OSError(errno.EFBIG, err.reason) from None
        return self._cache[0]


def read_capped(fh: BinaryIO, path: str, cap: int | None = None) -> bytes:
    """At most ``cap`` (MAX_STREAM) bytes of a binary file object; UnreadableFile when there are more."""
    cap = MAX_STREAM if cap is None else cap
    read = fh.read
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = read(min(1 << 20, cap + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > cap:
            raise UnreadableFile(path, too_big(cap))
    return b"".join(chunks)


def too_big(cap: int) -> str:
    return f"{cap // (1024 * 1024)} MB を超える入力のため読み飛ばしました (size limit)"


def read_stream(path: str, cap: int | None = None, wait: float | None = None) -> bytes:
    """Read a pipe or a device once, up to ``cap`` (MAX_STREAM) bytes. A named pipe is opened without
    blocking (no writer yet must not hang kb) and waited on for at most ``wait`` (FIFO_WAIT) seconds
    until one writes."""
    cap = MAX_STREAM if cap is None else cap
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            os.set_blocking(fd, True)
            with os.fdopen(os.dup(fd), "rb", buffering=0) as fh:
                return read_capped(fh, path, cap)
        return _read_fifo(fd, path, cap, FIFO_WAIT if wait is None else wait)
    finally:
        os.close(fd)


def _read_fifo(fd: int, path: str, cap: int, wait: float) -> bytes:
    chunks: list[bytes] = []
    total = 0
    writer = False  # a writer has been seen: an empty read is then the end of the data
    deadline = time.monotonic() + wait
    while True:
        try:
            chunk = os.read(fd, min(1 << 20, cap + 1 - total))
        except BlockingIOError:
            writer = True
            select.select([fd], [], [], 1.0)
            continue
        except OSError as err:
            if err.errno == errno.EINTR:
                continue
            raise
        if chunk:
            writer = True
            chunks.append(chunk)
            total += len(chunk)
            if total > cap:
                raise UnreadableFile(path, too_big(cap))
            continue
        if writer or time.monotonic() >= deadline:
            return b"".join(chunks)
        time.sleep(0.02)  # nobody has opened the pipe for writing yet


def skip_reason(path: str) -> str | None:
    """Why a file is not read, judged by its name alone; None for the formats kb reads and for
    names without an extension (their content decides)."""
    name = os.path.basename(path)
    if _OFFICE_TEMP.search(name):
        return "Office などの一時ファイル (temporary file) のため読み飛ばしました"
    if _BACKUP.search(name):
        return "バックアップファイル (backup file) のため読み飛ばしました"
    ext = os.path.splitext(name)[1].lower()
    if not ext or ext in READ_EXTENSIONS:
        return None
    for extensions, (ja, en) in _KINDS:
        if ext in extensions:
            return f"{ja} ({ext}: {en}) のため読み飛ばしました"
    return None  # an extension kb does not know (.memo, .2018): the content decides


def iter_sources(
    paths: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> Iterator[Source | UnreadableFile]:
    """Every file under ``paths`` in a deterministic order; problems are yielded, not raised.

    Directories are walked recursively in name order, skipping hidden names and symlink loops;
    a file named explicitly is read even when hidden or not matched by the globs, but its name
    is still checked (a backup or a script is skipped). ``-`` is standard input. A URL is
    answered with a reason: kb reads saved pages and files.
    """
    globs = Globs(include, exclude)
    seen_dirs: set[str] = set()
    seen_files: set[int] = set()  # (device, inode) of the files listed: small, and no realpath calls
    stdin_done = False
    for path in paths:
        if path == "-":
            if not stdin_done:
                stdin_done = True
                try:
                    data = read_capped(sys.stdin.buffer, STDIN)
                except UnreadableFile as err:
                    yield err
                    continue
                yield Source(STDIN, len(data), data)
            continue
        if _URL.match(path):
            yield UnreadableFile(path, URL_REASON)
            continue
        try:
            st = os.stat(path)
        except OSError as err:
            yield UnreadableFile(path, os_reason(err))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, seen_dirs, seen_files, globs)
        else:
            yield from _file(path, st, seen_files, explicit=True)


class Globs:
    """ripgrep ``-g`` globs: a pattern that starts with ``!`` excludes; when any pattern includes,
    a file must match one. A pattern without ``/`` matches a name at any depth; ``**`` crosses
    folders; ``{a,b}`` gives alternatives. The last matching pattern wins, as in ripgrep."""

    def __init__(self, include: Sequence[str], exclude: Sequence[str] = ()) -> None:
        rules = [(p[1:], False) if p.startswith("!") else (p, True) for p in include if p and p != "!"]
        rules += [(p[1:] if p.startswith("!") else p, False) for p in exclude if p and p != "!"]
        self.rules = [(_glob_regex(p), p.endswith("/"), keep) for p, keep in rules]
        self.whitelist = any(keep for _, _, keep in self.rules)

    def wants(self, rel: str, is_dir: bool) -> bool:
        """Whether a path (relative to the argument, with ``/``) is read (a file) or walked (a folder)."""
        verdict: bool | None = None
        for regex, dir_only, keep in self.rules:
            if dir_only and not is_dir:
                continue
            if regex.fullmatch(rel):
                verdict = keep
        if verdict is None:  # no pattern says: folders are walked, files read unless some include
            return is_dir or not self.whitelist
        return verdict


def _glob_regex(pattern: str) -> re.Pattern[str]:
    p = pattern.rstrip("/")
    anchored = p.startswith("/") or "/" in p
    p = p.lstrip("/")
    out: list[str] = []
    i = 0
    depth = 0
    while i < len(p):
        ch = p[i]
        if p.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if p.startswith("/**", i) and i + 3 == len(p):
            out.append("/.*")
            i += 3
            continue
        if p.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = p.find("]", i + 1)
            if end == -1:
                out.append(re.escape(ch))
            else:
                body = p[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body.replace(chr(92), chr(92) * 2)}]")
                i = end
        elif ch == "{":
            depth += 1
            out.append("(?:")
        elif ch == "}" and depth:
            depth -= 1
            out.append(")")
        elif ch == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(ch))
        i += 1
    out.extend(")" * depth)
    body = "".join(out)
    return re.compile(body if anchored else f"(?:.*/)?{body}", re.S)


def _walk(
    root: str, seen_dirs: set[str], seen_files: set[int], globs: Globs
) -> Iterator[Source | UnreadableFile]:
    """Depth-first in name order; a stack of listings keeps deep trees off the call stack."""
    stack: list[Iterator[str]] = []
    listing = _list(root, seen_dirs)
    if isinstance(listing, UnreadableFile):
        yield listing
        return
    stack.append(iter(listing))
    while stack:
        path = next(stack[-1], None)
        if path is None:
            stack.pop()
            continue
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        try:
            st = os.stat(path)
        except OSError as err:
            if not globs.wants(rel, False):
                continue
            broken = os.path.islink(path) and isinstance(err, FileNotFoundError)
            yield UnreadableFile(
                path,
                "リンク先のないシンボリックリンク (broken symbolic link) です" if broken else os_reason(err),
            )
            continue
        if not stat.S_ISDIR(st.st_mode):
            if globs.wants(rel, False):
                yield from _file(path, st, seen_files, explicit=False)
            continue
        if not globs.wants(rel, True):
            continue
        listing = _list(path, seen_dirs)
        if isinstance(listing, UnreadableFile):
            yield listing
        else:
            stack.append(iter(listing))


def _list(directory: str, seen_dirs: set[str]) -> list[str] | UnreadableFile:
    """The visible entries of a directory in name order; none when it was visited already (a loop)."""
    real = os.path.realpath(directory)
    if real in seen_dirs:
        return []
    seen_dirs.add(real)
    try:
        names = sorted(os.listdir(directory))
    except OSError as err:
        return UnreadableFile(directory, f"フォルダを読めません (cannot read directory: {_strerror(err)})")
    return [os.path.join(directory, name) for name in names if not name.startswith(".")]


def _file(
    path: str, st: os.stat_result, seen: set[int], *, explicit: bool
) -> Iterator[Source | UnreadableFile]:
    regular = stat.S_ISREG(st.st_mode)
    if not regular and not explicit:
        yield UnreadableFile(path, "通常のファイルではない (not a regular file) ため読み飛ばしました")
        return
    if regular or not explicit:
        reason = skip_reason(path)
        if reason is not None:
            yield UnreadableFile(path, reason)
            return
    # the same file reached twice (a symlink, a hard link, overlapping arguments) is read once
    identity = st.st_dev << 64 | st.st_ino
    if regular and identity in seen:
        return
    seen.add(identity)
    if not os.access(path, os.R_OK):
        yield UnreadableFile(path, "読み取る権限がありません (permission denied)")
        return
    yield Source(path, st.st_size if regular else 0, stream=not regular)


def os_reason(err: OSError) -> str:
    """A one-line Japanese reason for an OSError met while listing or reading a file."""
    if isinstance(err, PermissionError):
        return "読み取る権限がありません (permission denied)"
    if isinstance(err, FileNotFoundError):
        return "ファイルまたはフォルダがありません (no such file or directory)"
    if isinstance(err, IsADirectoryError):
        return "フォルダです (is a directory)"
    if err.errno == errno.EFBIG and err.strerror:
        return str(err.strerror)  # the size cap of a stream, already in words
    if err.errno == errno.ELOOP:
        return "シンボリックリンクが循環しています (symbolic link loop)"
    return f"読み取れません (cannot read: {_strerror(err)})"


def _strerror(err: OSError) -> str:
    return str(err.strerror or err)
