"""The meeting report as an Excel workbook: key figures, phases, units, overdue list, key problems, trend."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from report_api.figures.schemas import KEY_FIGURES
from report_api.labels import ACCOUNTABILITY_KINDS, STATUS, TEXTS, Lang, phase_header, phase_row

if TYPE_CHECKING:
    # openpyxl (and the numpy it imports) is imported by `render_xlsx`, in the thread that renders: not at the
    # app's start, which most report-api processes never follow with a meeting workbook.
    from openpyxl import Workbook
    from openpyxl.cell import Cell


def _keep_text(cells: tuple[Cell, ...]) -> None:
    """Text stays text: openpyxl takes any string starting with `=` for a formula, so a public submission titled
    `=HYPERLINK(...)` would become a live link in the meeting's workbook."""
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]], widths: list[int]) -> None:
    from openpyxl.styles import Font  # imported by then: see render_xlsx

    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        _keep_text(sheet[sheet.max_row])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def render_xlsx(snapshot: dict[str, Any], lang: Lang) -> bytes:
    from openpyxl import Workbook  # see the imports above

    t = TEXTS[lang]
    book = Workbook()
    book.remove(book.active)
    figures, changes = snapshot["figures"], snapshot["changes"] or {}
    kpis = [[t[k], figures.get(k), changes.get(k)] for k in KEY_FIGURES]
    _sheet(book, t["sheet_kpi"], [t["indicator"], t["value"], t["change"]], kpis, [30, 14, 16])
    phases = [phase_row(p, lang) for p in snapshot.get("phases") or []]  # none in snapshots from before phases
    _sheet(book, t["sheet_phases"], phase_header(lang), phases, [24, 26, 10, 10, 10])
    units = [
        [u["rank"], u["unit_name"], u["total"], u["closed"], u["overdue"], u["closure_rate"], u["on_time_rate"]]
        for u in snapshot["units"]["items"]
    ]
    header = [t["rank"], t["unit"], t["total"], t["closed"], t["overdue"], t["closure_rate"], t["on_time_rate"]]
    _sheet(book, t["sheet_units"], header, units, [8, 24, 10, 10, 10, 12, 12])
    overdue = [
        [i["code"], i["title"], i["lead_unit_name"], i.get("responsible_name") or "", i["deadline"], i["days_overdue"]]
        for i in snapshot["overdue"]["items"]
    ]
    header = [t["code"], t["title"], t["unit"], t["responsible"], t["deadline"], t["days_overdue"]]
    _sheet(book, t["sheet_overdue"], header, overdue, [16, 40, 24, 12, 12, 12])
    key = [
        [i["code"], i["title"], i["lead_unit_name"], STATUS[lang].get(i["status"], i["status"]),
         "、".join(t[r] for r in i["reasons"])]
        for i in snapshot["key_problems"]["items"]
    ]  # fmt: skip
    _sheet(
        book, t["sheet_key"], [t["code"], t["title"], t["unit"], t["status"], t["reasons"]], key, [16, 40, 24, 12, 24]
    )
    trend = [[p["period"], p["new"], p["closed"], p["open_at_end"]] for p in snapshot["trend"]]
    _sheet(book, t["sheet_trend"], [t["period"], t["new"], t["closed"], t["open_at_end"]], trend, [12, 10, 10, 12])
    _accountability_sheet(book, snapshot, lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _accountability_sheet(book: Workbook, snapshot: dict[str, Any], lang: Lang) -> None:
    """约谈问责: every decision on record (snapshots made before there were any have no such key)."""
    t, kinds = TEXTS[lang], ACCOUNTABILITY_KINDS[lang]
    rows = [
        [r["decided_on"], r["unit_name"], kinds.get(r["kind"], r["kind"]), "、".join(r["issue_codes"]), r["outcome"],
         r["document"] or ""]
        for r in snapshot.get("accountability") or []
    ]  # fmt: skip
    header = [t["decided_on"], t["unit"], t["kind"], t["issues"], t["outcome"], t["document"]]
    _sheet(book, t["sheet_accountability"], header, rows, [12, 24, 14, 30, 50, 22])
