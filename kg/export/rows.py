"""Query answers written out: a table for people, CSV, TSV or JSON for programs.

The table fits a width (the terminal's): columns of long text are narrowed first and their
values wrap onto more lines (a "; "-joined list breaks between its items), so every value is
shown whole; only a word wider than its column is cut, and then with an ellipsis. kg's IRIs show
as CURIEs (``meeting:Q324546-sergei-lavrov-2025-09-24``), which kg query accepts back. CSV, TSV
and JSON hold every value in full (IRIs whole), one row per answer, with a header even when
there is no row.

>>> print(format_rows([{"name": "Sergei Lavrov", "meetings": 3}], "table", width=40), end="")
name           meetings
Sergei Lavrov         3
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

#: Formats :func:`format_rows` writes.
FORMATS = ("table", "csv", "tsv", "json")
#: Spaces between two columns of a table.
GAP = 2
ELLIPSIS = "\u2026"

_SPLIT_LIST = re.compile(r"(?<=;) ")


def format_rows(rows: Sequence[dict[str, Any]], fmt: str, *, width: int | None = None,
                columns: Sequence[str] | None = None, notes: list[str] | None = None) -> str:
    """The rows as text in ``fmt`` (``table``, ``csv``, ``tsv`` or ``json``), ending in a newline.

    Args:
        rows: One dict per answer (:class:`kg.rdf.query.Rows` or any list of dicts).
        fmt: One of :data:`FORMATS`.
        width: The table's width in characters (None: as wide as the values).
        columns: The column names when there may be no row (default: ``rows.columns`` or the
            first row's keys).
        notes: Receives the name of each column a table left out to fit ``width``.
    """
    cols = list(columns if columns is not None else getattr(rows, "columns", None) or (rows[0] if rows else []))
    if fmt == "json":
        return json.dumps([{c: _json(r.get(c)) for c in cols} for r in rows], ensure_ascii=False, indent=1) + "\n"
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        w = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        if cols:
            w.writerow(cols)
        w.writerows([_text(r.get(c)) for c in cols] for r in rows)
        return out.getvalue()
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return table(cols, [[_shown(r.get(c)) for c in cols] for r in rows], width=width, notes=notes)


def table(columns: Sequence[str], cells: Sequence[Sequence[str]], *, width: int | None = None,
          notes: list[str] | None = None) -> str:
    """A plain-text table that fits ``width``: numbers right-aligned, long text wrapped.

    To fit, columns of kg IRIs (``meeting:...``, ``person:...``) are left out first, the last
    first (each named in ``notes``; CSV and JSON have them); then columns of text are narrowed
    down to their longest word, their values wrapping onto more lines. When even that is too
    wide, each row is written as lines of "column  value" instead (:func:`records`).

    >>> print(table(["who", "n"], [["Joe Biden; Xi Jinping", "2"]], width=20), end="")
    who         n
    Joe Biden;  2
    Xi Jinping
    """
    if not columns:
        return ""
    keep = list(range(len(columns)))
    numeric = [bool(cells) and all(_is_number(row[i]) or not row[i] for row in cells) for i in keep]
    natural = [max([_width(c), *(_width(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    widths = list(natural)
    if width is not None:
        def total() -> int:
            return sum(widths[i] for i in keep) + GAP * (len(keep) - 1)

        def narrow(floor: list[int]) -> None:
            while total() > width:
                narrowable = [i for i in keep if widths[i] > floor[i]]
                if not narrowable:
                    return
                i = max(narrowable, key=lambda k: (spaced[k], widths[k]))  # text first, widest first
                widths[i] -= 1

        spaced = [any(" " in row[i] for row in cells) for i in range(len(columns))]
        word = [max([_width(columns[i]), *(_width(w) for row in cells for w in row[i].split())])
                for i in range(len(columns))]
        soft = [min(natural[i], max(_width(columns[i]), min(word[i], 20))) if spaced[i] else natural[i]
                for i in range(len(columns))]
        iris = [i for i in range(len(columns)) if cells and all(_is_curie(row[i]) for row in cells)]
        left_out: list[str] = []
        while total() > width and iris and len(keep) > 1:  # columns of ids go first, the last first
            i = iris.pop()
            keep.remove(i)
            left_out.insert(0, columns[i])
        narrow(soft)  # then text wraps, whole words
        if total() > width:  # too narrow for columns: one "column  value" line each, records apart
            return records(columns, cells, width=width)
        if notes is not None:
            notes.extend(left_out)
    wrapped = [[_wrap(row[i], widths[i]) for i in keep] for row in cells]
    shown = [widths[i] for i in keep]
    for j, i in enumerate(keep):  # a narrowed column is as wide as its longest wrapped line
        if widths[i] < natural[i]:
            shown[j] = max([_width(columns[i]), *(_width(part) for row in wrapped for part in row[j])])
    num = [numeric[i] for i in keep]
    lines = [_line([columns[i] for i in keep], shown, num)]
    for row in wrapped:
        for k in range(max(len(p) for p in row)):
            lines.append(_line([p[k] if k < len(p) else "" for p in row], shown, num))
    return "\n".join(lines) + "\n"


def records(columns: Sequence[str], cells: Sequence[Sequence[str]], *, width: int) -> str:
    """Rows as records, for a terminal too narrow for a table: a line per column (the value
    wrapped beside it), a blank line between rows; only a word wider than the room left is cut,
    with an ellipsis.

    >>> print(records(["who", "n"], [["Joe Biden; Xi Jinping", "2"]], width=16), end="")
    who  Joe Biden;
         Xi Jinping
    n    2
    """
    label = max(_width(c) for c in columns)
    room = max(1, width - label - GAP)
    blocks = []
    for row in cells:
        lines = []
        for c, v in zip(columns, row, strict=True):
            parts = _wrap(v, room) or [""]
            lines.append((c + " " * (label - _width(c) + GAP) + parts[0]).rstrip())
            lines += [" " * (label + GAP) + part for part in parts[1:]]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _is_curie(text: str) -> bool:
    from kg.rdf.namespaces import PREFIXES

    return " " not in text and ":" in text and text.split(":", 1)[0] in PREFIXES


def _line(values: Sequence[str], widths: Sequence[int], numeric: Sequence[bool]) -> str:
    parts = []
    for v, w, num in zip(values, widths, numeric, strict=True):
        pad = " " * max(0, w - _width(v))
        parts.append(pad + v if num else v + pad)
    return (" " * GAP).join(parts).rstrip()


def _wrap(value: str, width: int) -> list[str]:
    """``value`` on lines of at most ``width`` columns: items of a "; " list kept whole where they
    fit, words whole, a word wider than the column cut with an ellipsis."""
    if _width(value) <= width:
        return [value]
    out: list[str] = []
    for piece in _pack(_SPLIT_LIST.split(value), width):
        out.extend(_pack(piece.split(" "), width) if _width(piece) > width else [piece])
    return [v if _width(v) <= width else _cut(v, width) for v in out]


def _pack(items: list[str], width: int) -> list[str]:
    lines: list[str] = []
    for item in items:
        if lines and _width(lines[-1]) + 1 + _width(item) <= width:
            lines[-1] += " " + item
        else:
            lines.append(item)
    return lines


def _cut(value: str, width: int) -> str:
    out, used = [], 0
    for ch in value:
        w = _char_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + ELLIPSIS


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide East Asian characters take two).

    >>> _width("abc"), _width("王毅")
    (3, 4)
    """
    return len(text) if text.isascii() else sum(_char_width(c) for c in text)


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", text))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _json(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return _text(value)


def _shown(value: Any) -> str:
    """A value as a table shows it: kg's IRIs as CURIEs, line breaks as spaces.

    >>> _shown("https://w3id.org/kg/id/meeting/Q1-Q2-2024-03"), _shown(dt.date(2024, 3, 1))
    ('meeting:Q1-Q2-2024-03', '2024-03-01')
    """
    text = _text(value)
    return _curie(text) if text.startswith("http") else text.replace("\n", " ")


def _curie(text: str) -> str:
    from kg.rdf.namespaces import PREFIXES

    best, best_ns = "", ""
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns) and len(ns) > len(best_ns) and re.fullmatch(r"[\w.\-%]*", text[len(ns):]):
            best, best_ns = prefix, ns
    return f"{best}:{text[len(best_ns):]}" if best else text


__all__ = ["FORMATS", "format_rows", "table"]
