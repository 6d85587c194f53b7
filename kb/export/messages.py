"""User-facing ExportError messages, Japanese first with an English gloss, kept in one place."""

from __future__ import annotations

import errno

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

XLSX_NEEDS_FILE = "xlsx はファイルに書き出します: -o FILE.xlsx を指定してください (xlsx needs an output file)"


def unknown_format(fmt: str, formats: tuple[str, ...]) -> str:
    return f"未対応の形式です: {fmt!r} — 対応形式: {', '.join(formats)} (unknown export format)"


def unknown_option(option: str, given: str, allowed: tuple[str, ...]) -> str:
    return f"{option} に {given!r} は指定できません — 指定できる値: {', '.join(allowed)} (invalid {option})"


def unknown_encoding(encoding: str) -> str:
    return f"未対応の文字コードです: {encoding!r} — 例: utf-8-sig, utf-8, cp932 (unknown encoding)"


def file_exists(path: str) -> str:
    return (
        f"ファイルが既にあります: {path} — 上書きするには --force を指定してください "
        "(file exists; use --force to overwrite)"
    )


def is_directory(path: str) -> str:
    return f"フォルダーには書き出せません: {path} — ファイル名を指定してください (output path is a directory)"


def special_file(path: str, kind: str) -> str:
    what = _SPECIAL_KINDS.get(kind, "通常のファイルではないもの")
    return (
        f"{path} は{what}なので書き出せません (--force でも置き換えません) — "
        "通常のファイル名を指定するか、標準出力なら -o - を使ってください"
    )


def reason(err: OSError) -> str:
    """Why an OS call failed, in Japanese when kb knows the error, else as the system says it."""
    known = _REASONS.get(err.errno or 0)
    if known is not None:
        return known
    return err.strerror or str(err)


def parent_missing(path: str, parent: str) -> str:
    return f"書き出し先のフォルダーがありません: {parent} ({path}: output directory does not exist)"


def write_failed(path: str, reason: str) -> str:
    return f"書き出せませんでした: {path}: {reason} (export failed)"
