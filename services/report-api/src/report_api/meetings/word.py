"""The meeting report as a Word document (python-docx), fonts set so Word renders CJK."""

from __future__ import annotations

import io
from typing import Any

from report_api.figures.schemas import KEY_FIGURES
from report_api.labels import ACCOUNTABILITY_KINDS, STATUS, TEXTS, Lang, percent, phase_header, phase_row

LATIN_FONT, EAST_ASIA_FONT = "SimSun", "宋体"
RATES = {"closure_rate", "on_time_rate", "on_time_rate_original", "satisfaction_rate"}


def _set_fonts(document: Any) -> None:
    """Every style in 宋体/SimSun: Word picks CJK glyphs from the eastAsia font, which python-docx never sets."""
    from docx.oxml.ns import qn  # imported by then: see render_docx
    from docx.shared import Pt

    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid"):
        style = document.styles[style_name]
        style.font.name = LATIN_FONT
        r_pr = style.element.get_or_add_rPr()
        r_fonts = r_pr.find(qn("w:rFonts"))
        if r_fonts is None:
            r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
            r_pr.append(r_fonts)
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            r_fonts.set(qn(attribute), EAST_ASIA_FONT if attribute == "w:eastAsia" else LATIN_FONT)
    document.styles["Normal"].font.size = Pt(11)


def format_value(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key in RATES:
        return percent(value)
    return str(value)


def format_change(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key in RATES:
        return f"{value * 100:+.1f}pp"
    return f"{value:+g}"


def _table(document: Any, header: list[str], rows: list[list[str]]) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT  # imported by then: see render_docx

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text


def render_docx(snapshot: dict[str, Any], lang: Lang) -> bytes:
    """Summary paragraph, KPI table with the change since the last meeting, phases, units, overdue, key problems,
    charts."""
    # python-docx and matplotlib (with the charts) are imported here rather than at the app's start: some 0.6 s
    # of CPU that every report-api process would spend, most of them never rendering a meeting file (a thread
    # renders it).
    from docx import Document
    from docx.shared import Cm

    from report_api.meetings.charts import trend_chart, unit_chart

    t = TEXTS[lang]
    document = Document()
    _set_fonts(document)
    document.add_heading(t["meeting_title"].format(campaign=snapshot["campaign"]["name"], period=snapshot["period"]), 0)
    _figures_section(document, snapshot, t)
    _phases_section(document, snapshot, lang)
    _units_section(document, snapshot, t)
    _lists_section(document, snapshot, t, lang)
    _accountability_section(document, snapshot, t, lang)
    document.add_heading(t["charts_heading"], 1)
    document.add_picture(io.BytesIO(unit_chart(snapshot["units"]["items"], lang)), width=Cm(15))
    document.add_picture(io.BytesIO(trend_chart(snapshot["trend"], lang)), width=Cm(15))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _figures_section(document: Any, snapshot: dict[str, Any], t: dict[str, str]) -> None:
    figures, changes = snapshot["figures"], snapshot["changes"]
    document.add_heading(t["summary_heading"], 1)
    values = {k: format_value(k, figures.get(k)) for k in KEY_FIGURES}
    document.add_paragraph(t["summary_text"].format(as_of=snapshot["today"], **values))
    document.add_heading(t["kpi_heading"], 1)
    kpis = [[t[k], values[k], format_change(k, changes.get(k)) if changes else t["first_meeting"]] for k in KEY_FIGURES]
    _table(document, [t["indicator"], t["value"], t["change"]], kpis)


def _phases_section(document: Any, snapshot: dict[str, Any], lang: Lang) -> None:
    """分阶段进度, under the key figures (snapshots from before phases have none: no section)."""
    phases = snapshot.get("phases") or []
    if not phases:
        return
    document.add_heading(TEXTS[lang]["phases_heading"], 2)
    _table(document, phase_header(lang), [[str(v) for v in phase_row(p, lang)] for p in phases])


def _units_section(document: Any, snapshot: dict[str, Any], t: dict[str, str]) -> None:
    document.add_heading(t["units_heading"], 1)
    units = snapshot["units"]["items"]
    unit_rows = [
        [str(u["rank"]), u["unit_name"], str(u["total"]), str(u["closed"]), str(u["overdue"]),
         percent(u["closure_rate"]), percent(u["on_time_rate"])]
        for u in units
    ]  # fmt: skip
    header = [t["rank"], t["unit"], t["total"], t["closed"], t["overdue"], t["closure_rate"], t["on_time_rate"]]
    _table(document, header, unit_rows)


def _lists_section(document: Any, snapshot: dict[str, Any], t: dict[str, str], lang: Lang) -> None:
    document.add_heading(t["overdue_heading"], 1)
    overdue = snapshot["overdue"]["items"]
    if overdue:
        rows = [
            [i["code"] or "", i["title"], i["lead_unit_name"], i.get("responsible_name") or "", i["deadline"],
             str(i["days_overdue"])]
            for i in overdue
        ]  # fmt: skip
        header = [t["code"], t["title"], t["unit"], t["responsible"], t["deadline"], t["days_overdue"]]
        _table(document, header, rows)
    else:
        document.add_paragraph(t["none"])
    document.add_heading(t["key_heading"], 1)
    key = snapshot["key_problems"]["items"]
    if key:
        rows = [
            [i["code"] or "", i["title"], i["lead_unit_name"], STATUS[lang].get(i["status"], i["status"]),
             "、".join(t[r] for r in i["reasons"])]
            for i in key
        ]  # fmt: skip
        _table(document, [t["code"], t["title"], t["unit"], t["status"], t["reasons"]], rows)
    else:
        document.add_paragraph(t["none"])


def _accountability_section(document: Any, snapshot: dict[str, Any], t: dict[str, str], lang: Lang) -> None:
    document.add_heading(t["accountability_heading"], 1)
    records = snapshot.get("accountability") or []
    if not records:
        document.add_paragraph(t["none"])
        return
    kinds = ACCOUNTABILITY_KINDS[lang]
    rows = [
        [r["decided_on"], r["unit_name"], kinds.get(r["kind"], r["kind"]), "、".join(r["issue_codes"]), r["outcome"]]
        for r in records
    ]
    _table(document, [t["decided_on"], t["unit"], t["kind"], t["issues"], t["outcome"]], rows)
