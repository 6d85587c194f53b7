"""Generate a deterministic benchmark corpus of N unique, realistic Japanese posts from the posts in data/.

    python bench/gen_corpus.py bench/out/c1k --posts 1000
    python bench/gen_corpus.py bench/out/c10k --posts 10000 [--source data/] [--seed 1]
    python bench/gen_corpus.py bench/out/c10k-arch --posts 10000 --per-file 20

The source posts are the plain-text archive pages ``*.txt`` at the top level of ``--source`` (or the one
file given), split with kb's own archive reader (``kb.reading.archive.read_plain``, footer line
and page chrome removed), or with ``--split footer`` by the plain footer rule (a line equal to
``--footer`` closes a post; what follows the last footer is chrome). Each generated post is

* a source post (round robin) whose sections (a heading line and the lines under it) are, with some
  probability, swapped for sections of other posts and shuffled;
* titled with a post number (``…（その12）``, ``【第12回】…``, ``… #12``);
* dated by a line such as ``2018年4月13日`` (a random day of 2015–2023) right under the title;
* with its figures varied: each number gets random digits of the same length (years stay plausible
  years, months and days stay valid), and a 万/億 multiplier after a number is sometimes changed.
  About 20 % of the numbers keep their original digits, so that queries such as ``10786AP`` still
  hit some posts.

Files: one post per ``.txt`` file (title line first, then the body lines), 100 files per folder in
nested folders ``OUT/NN/NN/NNNNNN.txt``. With ``--per-file K`` a file is an archive page of K posts,
each followed by the footer line. The same arguments always write the same bytes. The script prints
the number of files and posts, their UTF-8 bytes and chars.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

FOOTER = "政治家 ブログランキングへ"
FILES_PER_FOLDER = 100
KEEP_FIGURE = 0.2  # share of numbers left as they are
SWAP_SECTION = 0.35  # chance that a section is replaced by one of another post
SHUFFLE_SECTIONS = 0.3  # chance that the sections of a post are shuffled
CHANGE_MULTIPLIER = 0.3  # chance that 万/億 after a number is changed

_NUMBER = re.compile(r"[0-9]+|[０-９]+")
_MULTIPLIER = re.compile(r"(?<=[0-9０-９])(千万|百万|万|億)")
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_WEEKDAYS = "月火水木金土日"


@dataclass
class SourcePost:
    title: str
    intro: list[str]  # body lines before the first heading
    sections: list[list[str]]  # each: heading line, then its lines


def _is_heading(line: str) -> bool:
    from kb.text.lines import is_heading

    return is_heading(line)


def _key(line: str) -> str:
    return " ".join(line.split())


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def _split_footer(text: str, footer: str) -> list[tuple[str, list[str]]]:
    """Posts of an archive page by the footer rule: (title, body lines)."""
    posts: list[tuple[str, list[str]]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if " ".join(line.split()) == footer:
            body = _trim(current)
            if body:
                posts.append((body[0].strip(), _trim(body[1:])))
            current = []
        else:
            current.append(line)
    if not posts:  # no footer: the whole file is one post
        body = _trim(current)
        if body:
            posts.append((body[0].strip(), _trim(body[1:])))
    return posts


def _split_kb(text: str, source: str) -> list[tuple[str, list[str]]]:
    from kb.reading.archive import read_plain

    return [(raw.title, _trim([ln.text.rstrip() for ln in raw.lines])) for raw in read_plain(text, source)]


def load_posts(source: Path, split: str, footer: str) -> list[SourcePost]:
    files = sorted(source.glob("*.txt")) if source.is_dir() else [source]  # top level: plain-text pages only
    posts: list[SourcePost] = []
    for path in files:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        pairs = _split_kb(text, str(path)) if split == "kb" else _split_footer(text, footer)
        for title, body in pairs:
            intro: list[str] = []
            sections: list[list[str]] = []
            for line in body:
                if line.strip() and _is_heading(line.strip()):
                    sections.append([line])
                elif sections:
                    sections[-1].append(line)
                else:
                    intro.append(line)
            posts.append(SourcePost(title, _trim(intro), [_trim(s) for s in sections]))
    if not posts:
        sys.exit(f"gen_corpus: no posts found in {source}")
    return posts


def _vary_number(rng: random.Random, digits: str, after: str) -> str:
    full = digits[0] in "０１２３４５６７８９"
    ascii_digits = digits.translate({ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")})
    n = len(ascii_digits)
    if rng.random() < KEEP_FIGURE:
        return digits
    if n == 4 and after.startswith("年"):
        new = str(rng.randint(1990, 2023))
    elif n <= 2 and after.startswith("月"):
        new = str(rng.randint(1, 12)).zfill(n) if n == 2 else str(rng.randint(1, 9))
    elif n <= 2 and after.startswith("日"):
        new = str(rng.randint(1, 28)).zfill(n) if n == 2 else str(rng.randint(1, 9))
    elif n == 1:
        new = str(rng.randint(1, 9))
    else:
        lead = "0" if ascii_digits[0] == "0" else str(rng.randint(1, 9))
        new = lead + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))
    return new.translate(_FULLWIDTH) if full else new


def vary_figures(rng: random.Random, line: str) -> str:
    """Random digits of the same length for each number; sometimes another 万/億 multiplier."""
    out: list[str] = []
    pos = 0
    for m in _NUMBER.finditer(line):
        out.append(line[pos : m.start()])
        out.append(_vary_number(rng, m.group(), line[m.end() : m.end() + 1]))
        pos = m.end()
    out.append(line[pos:])
    text = "".join(out)

    def swap(m: re.Match[str]) -> str:
        if rng.random() >= CHANGE_MULTIPLIER:
            return m.group()
        return rng.choice([u for u in ("万", "千万", "億") if u != m.group()])

    return _MULTIPLIER.sub(swap, text)


def _title(rng: random.Random, title: str, number: int) -> str:
    pattern = rng.randrange(3)
    if pattern == 0:
        return f"{title}（その{number}）"
    if pattern == 1:
        return f"【第{number}回】{title}"
    return f"{title} #{number}"


def _date_line(rng: random.Random) -> str:
    day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(9 * 365))
    line = f"{day.year}年{day.month}月{day.day}日"
    if rng.random() < 0.3:
        line += f"（{_WEEKDAYS[day.weekday()]}）"
    return line


def make_post(rng: random.Random, posts: list[SourcePost], pool: list[list[str]], number: int) -> list[str]:
    """The lines of post ``number`` (1-based): title, blank, date line, blank, body."""
    base = posts[(number - 1) % len(posts)]
    # a swapped-in section never repeats a heading of the post: kb's archive reader would take a heading
    # that recurs after a blank line for a footer and split the file into several posts
    used = {_key(s[0]) for s in base.sections}
    sections: list[list[str]] = []
    for s in base.sections:
        if pool and rng.random() < SWAP_SECTION:
            other = rng.choice(pool)
            if _key(other[0]) not in used:
                used.add(_key(other[0]))
                s = other
        sections.append(s)
    if len(sections) > 1 and rng.random() < SHUFFLE_SECTIONS:
        rng.shuffle(sections)
    body: list[str] = list(base.intro)
    for s in sections:
        body.extend(["", *s])
    lines = [_title(rng, base.title, number), "", _date_line(rng), ""]
    lines.extend(vary_figures(rng, ln) if ln.strip() else "" for ln in _trim(body))
    return lines


def file_path(out: Path, index: int) -> Path:
    """OUT/NN/NN/NNNNNN.txt: 100 files per leaf folder."""
    leaf = index // FILES_PER_FOLDER
    return out / f"{leaf // 100:02d}" / f"{leaf % 100:02d}" / f"{index:06d}.txt"


def generate(
    out: Path, n_posts: int, source: Path, seed: int, per_file: int, split: str, footer: str
) -> dict[str, int]:
    posts = load_posts(source, split, footer)
    pool = [s for p in posts for s in p.sections]
    rng = random.Random(seed)
    stats: dict[str, int] = {"files": 0, "posts": 0, "bytes": 0, "chars": 0, "source_posts": len(posts)}
    n_files = (n_posts + per_file - 1) // per_file
    for f in range(n_files):
        numbers = range(f * per_file + 1, min(n_posts, (f + 1) * per_file) + 1)
        blocks = [make_post(rng, posts, pool, k) for k in numbers]
        if per_file == 1:
            text = "\n".join(blocks[0]) + "\n"
        else:
            text = "".join("\n".join(b) + "\n\n\n" + footer + "\n\n" for b in blocks)
        path = file_path(out, f)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        stats["files"] += 1
        stats["posts"] += len(blocks)
        stats["bytes"] += len(data)
        stats["chars"] += len(text)
    return stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path, help="output folder (created; existing .txt files are overwritten)")
    ap.add_argument("--posts", type=int, required=True, help="number of posts to write")
    ap.add_argument("--source", type=Path, default=Path("data"), help="folder or file of source posts")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-file", type=int, default=1, help="posts per file (>1: archive pages with footers)")
    ap.add_argument(
        "--split",
        choices=["kb", "footer"],
        default="kb",
        help="split source files with kb's archive reader (default) or by the footer line",
    )
    ap.add_argument("--footer", default=FOOTER, help=f"footer line (default: {FOOTER})")
    args = ap.parse_args(argv)
    if args.posts < 1 or args.per_file < 1:
        ap.error("--posts and --per-file must be at least 1")
    if args.out.exists() and any(args.out.rglob("*.txt")):
        ap.error(f"{args.out} already holds .txt files; remove it first so the corpus is exactly N posts")
    stats = generate(args.out, args.posts, args.source, args.seed, args.per_file, args.split, args.footer)
    print(
        f"corpus {args.out}: {stats['files']} files, {stats['posts']} posts "
        f"(from {stats['source_posts']} source posts, seed {args.seed}), "
        f"{stats['bytes']:,} UTF-8 bytes, {stats['chars']:,} chars"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
