"""Build kb's synonym table (kb/data/synonyms.txt) from the Sudachi synonym dictionary.

    python bench/build_synonyms.py                       # npm pack sudachi-synonyms-dictionary@VERSION
    python bench/build_synonyms.py --from package.tgz    # or an npm tarball / its JSON file

The Sudachi synonym dictionary (WorksApplications/SudachiDict, src/main/text/synonyms.txt,
Apache-2.0; format: docs/synonyms.md there) is published on the npm registry, already parsed into
JSON, as ``sudachi-synonyms-dictionary`` (github.com/azu/sudachi-synonyms-dictionary). This script
turns that JSON into one sorted UTF-8 text file that kb.synonyms reads by binary search over an
mmap, so that a lookup never parses the table:

    #kb-synonyms<TAB>1<TAB><source>@<version><TAB>groups=<n><TAB>keys=<n>
    g<group id><TAB><entry><TAB><entry>...        one line per group, in group order
    k<key><TAB><group id>:<entry>,...             where a word triggers an expansion: group and
                                                  the position of the word's own entry in it

Lines are sorted by the bytes before their first tab. An entry is a 7-character code and the
entry's form: expand flag (0 always expands, 1 is only expanded to), part of speech (n 体言,
v 用言), 語形種別 (0 代表語, 1 対訳, 2 別称, 3 旧称, 4 誤用), 略語 (0 代表語形, 1 alphabetic
abbreviation, 2 other abbreviation), 表記ゆれ (0 代表表記, 1 alphabetic spelling, 2 異表記,
3 誤表記), two digits of the 語彙素 number within the group (00 when the source omits it).

Conversion rules:

* entries with 展開制御フラグ 2 (never used for expansion; kept in the source only so that harmful
  words are not registered again) and entries of the 不快 (offensive) field are dropped;
* groups left with fewer than two entries are dropped;
* a key is kb's fold of the head word (width and case) and, when Sudachi (mode C) reads the head word
  as one dictionary word whose normalized form is itself a head word of the same group, of that
  normalized form too (あいまい -> 曖昧). Only entries with flag 0 make keys: a flag-1 word (バス,
  議会, ICT) is expanded to from its group but never expands itself;
* an entry's form is that normalized form under the same condition, else the folded head word
  (Sudachi reads an isolated えら as 偉い and TOYOTA as 豊田: those stay as written);
* \\u002C-style escapes of the source CSV are decoded.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import subprocess
import tarfile
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from kb.segment import segment
from kb.text.fold import fold

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "kb" / "data"
PACKAGE = "sudachi-synonyms-dictionary"
VERSION = "18.0.0"
FORMAT = "1"

GOKEI = {"代表語": 0, "対訳": 1, "別称": 2, "旧称": 3, "間違い": 4, "未定義": 0}
RYAKU = {"代表語形": 0, "略語・略称/アルファベット": 1, "略語・略称": 2, "未定義": 0}
HYOUKI = {"代表表記": 0, "アルファベット表記": 1, "異表記・表記ゆれ": 2, "間違い表記": 3, "未定義": 0}
POS = {"体言": "n", "用言": "v", "未定義": "n"}
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})")


def fetch(version: str, workdir: Path) -> Path:
    """npm pack the package into workdir; the path of the tarball."""
    out = subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{version}", "--silent"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=True,
    )
    return workdir / out.stdout.strip().splitlines()[-1]


def read_package(path: Path) -> tuple[list[dict[str, Any]], str, str, bytes]:
    """The groups, the package version, a sha256 of the input and the licence text."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if path.suffix == ".json":
        licence = (path.parent / "LICENSE").read_bytes() if (path.parent / "LICENSE").exists() else b""
        version = json.loads((path.parent / "package.json").read_text())["version"]
        return json.loads(raw), version, digest, licence
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:

        def member(name: str) -> bytes:
            f = tar.extractfile(f"package/{name}")
            assert f is not None, name
            return f.read()

        version = json.loads(member("package.json"))["version"]
        return json.loads(member(f"{PACKAGE}.json")), version, digest, member("LICENSE")


def normalized(head: str) -> str | None:
    """Sudachi's normalized form when it reads the head word as exactly one word, else None."""
    tokens = segment(head)
    if len(tokens) != 1 or tokens[0].surface != head:
        return None
    return tokens[0].normalized


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text).strip()


def _code(it: dict[str, Any]) -> str:
    vocab = it["vocabularyNumber"] or 0
    return (
        f"{1 if it['expandControl'] == 1 else 0}{POS[it['taigenYogen']]}{GOKEI[it['gokeiSyubetsu']]}"
        f"{RYAKU[it['ryakusyou']]}{HYOUKI[it['hyoukiYure']]}{min(vocab, 99):02d}"
    )


def convert(groups: list[dict[str, Any]]) -> tuple[list[str], dict[str, int]]:
    """The table's group and key lines (unsorted) and counts of what was kept and dropped."""
    stats: dict[str, int] = defaultdict(int)
    lines: list[str] = []
    keys: dict[str, list[str]] = defaultdict(list)
    for group in groups:
        gid = int(group["id"])
        items = []
        for it in group["items"]:
            stats["entries"] += 1
            if it["expandControl"] == 2:
                stats["entries dropped: flag 2 (never expand)"] += 1
            elif "不快" in it["bunya"]:
                stats["entries dropped: offensive"] += 1
            else:
                items.append(it)
        heads = {_unescape(it["midashi"]) for it in items}
        entries: list[tuple[str, str]] = []  # (code, form), one per distinct form
        index: dict[str, int] = {}  # form -> position in entries
        triggers: list[tuple[str, str]] = []  # (head, form) of the entries with flag 0
        not_triggers: set[str] = set()  # heads of the entries with flag 1
        for it in items:
            head = _unescape(it["midashi"])
            norm = normalized(head)
            form = fold(norm if norm is not None and norm != head and norm in heads else head)
            if form != fold(head):
                stats["forms taken from Sudachi's normalized form"] += 1
            if form in index:
                stats["entries merged: same form as another entry"] += 1
            else:
                index[form] = len(entries)
                entries.append((_code(it), form))
            if it["expandControl"] == 0:
                triggers.append((fold(head), form))
            else:
                not_triggers.add(fold(head))
        if len(entries) < 2:
            stats["groups dropped: fewer than two forms"] += 1
            continue
        lines.append(f"g{gid}\t" + "\t".join(code + form for code, form in entries))
        stats["groups"] += 1
        stats["entries kept (distinct forms)"] += len(entries)
        for head, form in triggers:
            ref = f"{gid}:{index[form]}"
            for key in (head, form):
                if (key == head or key not in not_triggers) and ref not in keys[key]:
                    keys[key].append(ref)
    lines += [f"k{key}\t" + ",".join(refs) for key, refs in keys.items()]
    stats["keys"] = len(keys)
    return lines, stats


def write(lines: list[str], stats: dict[str, int], version: str, digest: str, licence: bytes) -> Path:
    for line in lines:
        assert "\n" not in line and line.count("\t") >= 1, line
    lines.sort(key=lambda s: s.split("\t", 1)[0].encode("utf-8"))
    keys = [s.split("\t", 1)[0] for s in lines]
    assert len(set(keys)) == len(keys), "duplicate keys"
    header = f"#kb-synonyms\t{FORMAT}\t{PACKAGE}@{version}\tgroups={stats['groups']}\tkeys={stats['keys']}"
    DATA.mkdir(exist_ok=True)
    table = DATA / "synonyms.txt"
    table.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    if licence:
        (DATA / "LICENSE-sudachi-synonyms.txt").write_bytes(licence)
    (DATA / "NOTICE").write_text(
        "kb/data/synonyms.txt is derived from the Sudachi synonym dictionary (Sudachi 同義語辞書),\n"
        "Copyright Works Applications Co., Ltd., https://github.com/WorksApplications/SudachiDict\n"
        "(src/main/text/synonyms.txt; its LEGAL file puts the distribution under the Apache License,\n"
        "Version 2.0). kb/data/LICENSE-sudachi-synonyms.txt is that licence as shipped by the package below.\n\n"
        f"Source: the npm package {PACKAGE}@{version} (https://github.com/azu/sudachi-synonyms-dictionary,\n"
        "Apache-2.0), which publishes synonyms.txt parsed into JSON;\n"
        f"sha256 of the input: {digest}.\n\n"
        "Changed by kb: converted by bench/build_synonyms.py into a sorted lookup table. Entries marked\n"
        "never to be expanded (flag 2) and offensive words (分野 不快) were dropped; spellings that Sudachi's\n"
        "normalized form already unifies were merged into one entry, and groups left with one entry\n"
        "dropped; words were folded for width and case. No word or group was added.\n",
        encoding="utf-8",
    )
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--from", dest="source", type=Path, help="an npm tarball (.tgz) or the package's JSON file"
    )
    ap.add_argument("--version", default=VERSION, help=f"package version to npm pack (default {VERSION})")
    args = ap.parse_args()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source or fetch(args.version, Path(tmp))
        groups, version, digest, licence = read_package(source)
    lines, stats = convert(groups)
    table = write(lines, stats, version, digest, licence)
    for k, v in sorted(stats.items()):
        print(f"{k:42} {v:8}")
    print(f"{table.relative_to(ROOT)}: {table.stat().st_size / 1e6:.2f} MB, {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
