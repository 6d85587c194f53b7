"""CSV and TSV: a header row and one row per fact or hit, written with the csv module.

Every text cell that starts like a formula (=, +, -, @, a tab, a CR) gets a leading "'" so that
Excel and LibreOffice show it instead of running it; cells that hold numbers (値, 行, 投稿) are
numbers, not text, and stay as they are (-5 is still -5).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from kb.export.tabular import FACTS, Layout, cell_text, neutralise
from kb.models import ExportRow


def render_delimited(
    rows: Sequence[ExportRow],
    headers: str,
    *,
    layout: Layout = FACTS,
    delimiter: str = ",",
    lineterminator: str = "\r\n",
    tick: Callable[[], None] | None = None,
) -> str:
    """The table as CSV (or TSV with delimiter "\\t"), quoting only where needed."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(layout.labels(headers))
    columns = layout.columns
    for row in rows:
        writer.writerow(
            [
                neutralise(cell) if isinstance(cell, str) else cell_text(cell, column)
                for cell, column in zip(layout.cells(row, headers), columns, strict=True)
            ]
        )
        if tick is not None:
            tick()
    return buf.getvalue()
