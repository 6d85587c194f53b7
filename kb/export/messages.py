"""What the exporter tells the user, in Japanese and on one line each, kept in one place.

Messages name the command's options (--sheet-per, --encoding), never the library's parameters, and
say what to do next.
"""

from __future__ import annotations

import errno

XLSX_NEEDS_FILE = "xlsx はファイルに書き出します: -o ファイル名.xlsx を指定してください"
XLSX_NO_ENCODING = "--encoding は xlsx には使えません (xlsx の中は常に UTF-8 です)。無視しました"
NO_FILE_NAME = "書き出すファイルの名前が空です: -o にファイル名を指定してください"

# A file a reader cannot open again after an export replaced it: refused, --force or not.
_SPECIAL_KINDS: dict[str, str] = {
    "fifo": "名前付きパイプ（FIFO）",
    "socket": "ソケット",
    "char": "デバイス",
    "block": "デバイス",
}

# Why a write failed, for the errors a user can do something about.
_REASONS: dict[int, str] = {
    errno.ENOSPC: "ディスクがいっぱいです",
    errno.EDQUOT: "ディスクの割り当て (クォータ) を超えました",
    errno.EACCES: "書き込む権限がありません",
    errno.EPERM: "書き込む権限がありません",
    errno.EROFS: "読み取り専用の場所です",
    errno.ELOOP: "シンボリックリンクが循環しています",
    errno.ENAMETOOLONG: "ファイル名が長すぎます",
    errno.ENOENT: "フォルダーがありません",
    errno.ENOTDIR: "途中にフォルダーでないものがあります",
    errno.EISDIR: "フォルダーです",
    errno.EIO: "入出力エラーです",
}


def unknown_format(fmt: str, formats: tuple[str, ...]) -> str:
    return f"--format に {fmt!r} は指定できません — 指定できる形式: {', '.join(formats)}"


def unknown_option(option: str, given: str, allowed: tuple[str, ...]) -> str:
    return f"{option} に {given!r} は指定できません — 指定できる値: {', '.join(allowed)}"


def unknown_encoding(encoding: str) -> str:
    return f"--encoding に {encoding!r} は指定できません — 例: utf-8-sig, utf-8, cp932"


def file_exists(path: str) -> str:
    return f"ファイルが既にあります: {path} — 上書きするには --force を指定してください"


def is_directory(path: str) -> str:
    return f"フォルダーには書き出せません: {path} — ファイル名を指定してください"


def special_file(path: str, kind: str) -> str:
    what = _SPECIAL_KINDS.get(kind, "通常のファイルではないもの")
    return (
        f"{path} は{what}なので書き出せません (--force でも置き換えません) — "
        "通常のファイル名を指定するか、標準出力なら -o - を使ってください"
    )


def parent_missing(path: str, parent: str) -> str:
    return f"書き出し先のフォルダーがありません: {parent} ({path})"


def reason(err: OSError) -> str:
    """Why an OS call failed, in Japanese when kb knows the error, else as the system says it."""
    known = _REASONS.get(err.errno or 0)
    if known is not None:
        return known
    return err.strerror or str(err)


def write_failed(path: str, why: str) -> str:
    return f"書き出せませんでした: {path}: {why}"


def only_for(option: str, fmt: str, given: str) -> str:
    """--sheet-per は xlsx のときだけ使えます (csv には無視しました)."""
    return f"{option} は {fmt} のときだけ使えます ({given} では無視しました)"


def extension_mismatch(path: str, implied: str, fmt: str) -> str:
    return f"{path} は拡張子が {implied} ですが、{fmt} で書き出しました (形式は --format で選べます)"


def xlsx_controls_removed(count: int) -> str:
    return f"xlsx に入れられない制御文字を {count} 個除きました"


def xlsx_cells_truncated(count: int, limit: int) -> str:
    return f"{limit} 文字を超えるセル {count} 個を {limit} 文字で切りました (Excel の上限)"


def char_lost(where: str, column: str, char: str, encoding: str, replacement: str, count: int) -> str:
    """2 行目「項目」: '◼' U+25FC は cp932 で書けないため「〓」に置き換えました (7 か所)."""
    action = f"「{replacement}」に置き換えました" if replacement else "除きました"
    times = f" ({count} か所)" if count > 1 else ""
    return f"{where}「{column}」: {char} は {encoding} で書けないため{action}{times}"


def chars_lost_rest(chars: int, count: int, encoding: str) -> str:
    return f"ほかに {chars} 種類の文字 ({count} か所) も {encoding} で書けないため置き換えました"
