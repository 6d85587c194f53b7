"""CSV and TSV: a header row and one row per fact or hit, written with the csv module."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from kb.export.tabular import FACTS, Layout, text_cells
from kb.models import ExportRow


def render_delimited(
    rows: Sequence[ExportRow],
    headers: str,
    *,
    layout: Layout = FACTS,
    delimiter: str = ",",
    lineterminator: str = "\r\n",
) -> str:
    """The table as CSV (or TSV with delimiter "\\t"), quoting only where needed."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(layout.labels(headers))
    for row in rows:
        writer.writerow(text_cells(layout, row, headers))
    return buf.getvalue()
