"""CSV exports every module writes alike: cells a spreadsheet will not run as formulas, a BOM, no caching."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralized(value: object) -> str:
    """A CSV cell a spreadsheet will not run: text starting with =, +, -, @, TAB or CR gets a quote first."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Iterable[object], rows: Iterable[Iterable[object]]) -> str:
    """The rows as CSV text (CRLF lines), every cell neutralized."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralized(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralized(cell) for cell in row])
    return out.getvalue()


def csv_response(body: str, filename: str) -> Response:
    """An attachment (the file name is ASCII, with no user text) that spreadsheets read as UTF-8."""
    return Response(
        "\ufeff" + body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
