"""User-facing ExportError messages, Japanese first with an English gloss, kept in one place."""

from __future__ import annotations

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


def parent_missing(path: str, parent: str) -> str:
    return f"書き出し先のフォルダーがありません: {parent} ({path}: output directory does not exist)"


def write_failed(path: str, reason: str) -> str:
    return f"書き出せませんでした: {path}: {reason} (export failed)"
