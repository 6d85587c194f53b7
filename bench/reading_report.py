"""How kb reads a corpus: posts, titles, dates, and titles that are really a date or a first sentence.

    python bench/reading_report.py data/ PATH/TO/posts [--list]

For each path argument (a file or a folder, read as ``kb import`` reads it) it prints how many posts
were read, how many got a written title (``title_from`` line or meta), how many are titled by their
first words (``title_from == "text"``), how many got a date, and two counts of mistakes a person
would see at once: titles that are only a date line, and titles that are a long sentence (the first
line of a post that starts straight in). ``--list`` prints every post's title, date and title_from.
The checks here are deliberately simpler than kb's own rules, so that they measure them.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

from kb.errors import UnreadableFile
from kb.reading import Source, iter_sources, read_source
from kb.structure import build_post

_DATE_ONLY = re.compile(
    r"^\W*(?:(?:19|20)\d{2}\s*[年/.\-]\s*\d{1,2}\s*[月/.\-]\s*\d{1,2}日?|\d{8}|[RHS]\d{1,2}\.\d{1,2}\.\d{1,2}"
    r"|(?:令和|平成|昭和)(?:\d{1,2}|元)年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日|\d{1,2}/\d{1,2})"
    r"\s*(?:[(（][月火水木金土日][)）])?\s*(?:\d{1,2}:\d{2})?\s*$"
)


def is_date_title(title: str) -> bool:
    return bool(_DATE_ONLY.match(unicodedata.normalize("NFKC", title)))


def is_sentence_title(title: str) -> bool:
    s = title.strip()
    return s.endswith("。") or "。" in s[:-1] or len(s) > 60


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("paths", nargs="+", help="files or folders (each is reported on its own)")
    parser.add_argument("--list", action="store_true", help="list every post's title, date and title_from")
    args = parser.parse_args(argv)
    for root in args.paths:
        report(root, args.list)
    return 0


def report(root: str, listing: bool) -> None:
    posts = skipped = 0
    titled = from_text = dated = date_titles = sentence_titles = 0
    rows: list[str] = []
    for src in iter_sources([root]):
        if isinstance(src, UnreadableFile):
            skipped += 1
            rows.append(f"  (skipped) {src.path}: {src.reason}")
            continue
        assert isinstance(src, Source)
        try:
            result = read_source(src.path, src.read_bytes())
        except (UnreadableFile, OSError) as err:
            skipped += 1
            rows.append(f"  (skipped) {src.path}: {err}")
            continue
        for raw in result.posts:
            post = build_post(raw)
            posts += 1
            text_title = post.title_from == "text"
            from_text += text_title
            titled += not text_title and bool(post.title)
            dated += post.date is not None
            date_titles += not text_title and is_date_title(post.title)
            sentence_titles += not text_title and is_sentence_title(post.title)
            rows.append(f"  {Path(src.path).name}\t{post.date or '-':10}\t{post.title_from:4}\t{post.title}")
    print(f"{root}: {posts} posts ({skipped} files skipped)")
    print(f"  written title      {titled:4d}")
    print(f"  first-words title  {from_text:4d}   (title_from == 'text')")
    print(f"  dated              {dated:4d}")
    print(f"  title is a date    {date_titles:4d}   (a date line taken for the title)")
    print(f"  title is a sentence{sentence_titles:5d}   (a long first sentence taken for the title)")
    if listing:
        print("\n".join(rows))


if __name__ == "__main__":
    sys.exit(main())
