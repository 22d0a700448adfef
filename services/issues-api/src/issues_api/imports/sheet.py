"""Reading a ledger spreadsheet (Excel .xlsx, CSV, or tab-separated rows pasted from Excel) into rows keyed by
field name.

Headers may be Chinese or English (问题/title, 责任单位/lead_unit, 整改时限/deadline, …), with a `*` or a note
in brackets after them as the template writes them (`问题*`, `外部编号（可选）`); unknown columns are ignored.
A row whose 序号 is 示例 (the template's sample) is skipped. Values stay text here; the import service
validates them. The template names its campaign in the workbook's keywords (`rectify-campaign:<code>`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rectify_kit.uploads import check_archive

# An .xlsx is a zip: its parts may expand to at most this much, checked before openpyxl opens it.
MAX_EXPANDED_BYTES = 100 * 1024 * 1024

HEADERS: dict[str, str] = {
    "问题": "title",
    "标题": "title",
    "title": "title",
    "问题描述": "description",
    "描述": "description",
    "description": "description",
    "原因": "cause",
    "cause": "cause",
    "措施": "measures",
    "measures": "measures",
    "要求": "requirements",
    "requirements": "requirements",
    "责任单位": "lead_unit",
    "牵头单位": "lead_unit",
    "lead_unit": "lead_unit",
    "配合单位": "co_units",
    "协办单位": "co_units",
    "co_units": "co_units",
    "整改时限": "deadline",
    "deadline": "deadline",
    "分类": "category",
    "category": "category",
    "来源": "source",
    "source": "source",
    "类型": "kind",
    "kind": "kind",
    "地区": "city",
    "city": "city",
    "阶段": "phase",
    "phase": "phase",
    "专项行动": "campaign",
    "campaign": "campaign",
    "外部编号": "external_key",
    "external_key": "external_key",
    "序号": "number",
    "no.": "number",
}
# The template's sample row says so in its 序号 cell; it is never imported.
SAMPLE_MARKS = frozenset({"示例", "example", "sample"})
CAMPAIGN_KEYWORD = "rectify-campaign:"
_HEADER_NOTE = re.compile(r"[（(].*?[)）]|[*＊]")


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number a user sees in the sheet (header is row 1)
    values: dict[str, str]


@dataclass(frozen=True)
class Sheet:
    rows: list[SheetRow]
    # The campaign code the workbook itself names (the template's keywords), if any.
    campaign: str | None = None
    fields: list[str] = field(default_factory=list)


class UnreadableSheet(ValueError):
    pass


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def header_field(header: Any) -> str:
    """The field a column header names, or "" for a column the import does not read."""
    text = _HEADER_NOTE.sub("", _cell_text(header)).strip()
    return HEADERS.get(text.lower(), HEADERS.get(text, ""))


def _rows(table: list[list[Any]], campaign: str | None = None) -> Sheet:
    if not table:
        raise UnreadableSheet("the sheet is empty")
    fields = [header_field(h) for h in table[0]]
    if "title" not in fields:
        raise UnreadableSheet("no 问题/title column")
    rows = []
    for offset, raw in enumerate(table[1:], start=2):
        values = {f: _cell_text(v) for f, v in zip(fields, raw, strict=False) if f}
        if values.get("number", "").lower() in SAMPLE_MARKS:
            continue
        values.pop("number", None)
        if any(values.values()):
            rows.append(SheetRow(number=offset, values=values))
    return Sheet(rows=rows, campaign=campaign, fields=[f for f in fields if f and f != "number"])


def _workbook_campaign(keywords: str | None) -> str | None:
    for word in (keywords or "").split():
        if word.startswith(CAMPAIGN_KEYWORD):
            return word.removeprefix(CAMPAIGN_KEYWORD) or None
    return None


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableSheet("CSV must be UTF-8 or GB18030")


def _delimiter(text: str) -> str:
    """Tab for rows pasted from Excel (tab-separated), else the comma of a CSV file: whichever the header uses more."""
    header = text.split("\n", 1)[0]
    return "\t" if header.count("\t") > header.count(",") else ","


def read_sheet(data: bytes) -> Sheet:
    """The rows of an .xlsx (first sheet), a CSV file or tab-separated text (rows pasted from Excel), judged on
    the content."""
    if data[:2] == b"PK":
        # openpyxl (and the numpy it imports) only when a workbook comes: some 0.2 s of CPU at every start else.
        from openpyxl import load_workbook

        check_archive(data, max_expanded=MAX_EXPANDED_BYTES)
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise UnreadableSheet("not a readable .xlsx workbook") from exc
        try:
            table = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        except Exception as exc:
            raise UnreadableSheet("not a readable .xlsx workbook") from exc
        finally:
            workbook.close()
        return _rows(table, _workbook_campaign(workbook.properties.keywords))
    text = _decode(data)
    try:
        return _rows([list(r) for r in csv.reader(io.StringIO(text), delimiter=_delimiter(text))])
    except csv.Error as exc:  # e.g. a field over the csv module's limit (128 KiB)
        raise UnreadableSheet(f"not a readable CSV file: {exc}") from exc
