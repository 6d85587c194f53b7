"""The import report counts every file but keeps only the outcomes worth naming, so a 100k-file import
does not hold 100k outcome objects."""

from __future__ import annotations

from pathlib import Path

from conftest import SEED
from kb.importer import import_paths
from kb.store import Store


def test_report_counts_every_file_and_names_only_the_notable_ones(tmp_path: Path) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    posts = text.split("政治家 ブログランキングへ")
    assert len(posts) >= 5
    for i, chunk in enumerate(posts[:5]):
        (folder / f"post{i}.txt").write_text(chunk, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02" * 200)
    with Store(tmp_path / "kb.db") as store:
        report = import_paths(store, [str(folder)], jobs=1)
        counts = store.counts()
    assert report.file_count == 7
    assert report.total("added") == counts["posts"] >= 5
    assert report.total("passages") == counts["passages"]
    assert report.total("facts") == counts["facts"]
    notable = {Path(f.path).name: f.status for f in report.files}
    assert notable == {"empty.txt": "skipped", "broken.txt": "skipped"}
    # the five imported posts left their counts, not their outcomes
    assert len(report.files) == 2
