"""Segmentation from several threads at once: kb import analyses in one thread while its writer
thread streams a big file, and a Sudachi tokenizer refuses concurrent use."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from conftest import SEED
from kb.segment import segment


def test_threads_segment_at_once_and_agree_with_one_thread() -> None:
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()][:300]
    expected = [[(t.surface, t.start, t.end) for t in segment(line)] for line in lines]

    def run(_: int) -> list[list[tuple[str, int, int]]]:
        return [[(t.surface, t.start, t.end) for t in segment(line)] for line in lines]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(run, range(8)))
    assert all(r == expected for r in results)
