"""The numbered notice of a level-2 or level-3 escalation (督办通知书, 通报) as a printable Word document.

Official documents are set in 仿宋 with a 黑体 title; python-docx sets only the Latin font, and Word takes CJK
glyphs from the `eastAsia` font, so every style used here names both.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from notify_api.policies.labels import step_label

BODY_FONT, TITLE_FONT = "仿宋", "黑体"
TITLES = {2: "督办通知书", 3: "通报"}
ISSUER = "领导小组办公室"


@dataclass(frozen=True)
class NoticeIssue:
    code: str
    title: str
    deadline: date | None


@dataclass(frozen=True)
class NoticeContent:
    """What a notice names: its number and level, the unit it is addressed to, the issues, the step and the day."""

    number: str
    level: int
    unit_name: str
    issues: list[NoticeIssue]
    step: str
    issued_on: date
    acknowledged_on: date | None


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def notice_text(content: NoticeContent) -> str:
    """The body paragraph: which issues, how far past their deadline, and what the unit must do now."""
    moment = step_label(content.step).zh
    names = "、".join(f"{i.code}《{i.title}》" for i in content.issues)
    if content.level == 3:
        return (
            f"经督查，{content.unit_name}承办的{names}{moment}仍未整改到位，经督办后仍未按期办结，现予以通报。"
            "请高度重视，立即组织整改，于 3 个工作日内将整改情况书面报送领导小组办公室，并在系统中签收本通报。"
        )
    return (
        f"你单位承办的{names}已{moment}仍未办结。请接到本通知后立即组织整改，"
        "于 3 个工作日内将整改进展和完成时限书面报送领导小组办公室，并在系统中签收本通知。"
    )


def _font(style: Any, east_asia: str, size: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn  # imported by then: see render_notice
    from docx.shared import Pt

    style.font.name = east_asia
    style.font.size = Pt(size)
    style.font.bold = bold
    r_pr = style.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(r_fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attribute), east_asia)


def _paragraph(document: Any, text: str, *, align: Any = None, style: str = "Normal") -> None:
    paragraph = document.add_paragraph(text, style=style)
    if align is not None:
        paragraph.alignment = align


def _issues_table(document: Any, issues: list[NoticeIssue]) -> None:
    table = document.add_table(rows=1, cols=3)
    table.style = document.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, ("事项编号", "问题", "整改时限"), strict=True):
        cell.text = text
    for issue in issues:
        row = table.add_row().cells
        row[0].text, row[1].text = issue.code, issue.title
        row[2].text = chinese_date(issue.deadline) if issue.deadline else "未设定"


def render_notice(content: NoticeContent) -> bytes:
    """The notice as .docx bytes: title, number, addressee, text, the issues it names, issuer and date."""
    # python-docx only when a notice is printed, not at every start of the service.
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document = Document()
    for section in document.sections:
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _font(document.styles["Normal"], BODY_FONT, 16)
    _font(document.styles["Title"], TITLE_FONT, 22, bold=True)
    _font(document.styles["Table Grid"], BODY_FONT, 12)
    title = TITLES.get(content.level, "督办通知书")
    _paragraph(document, title, align=WD_ALIGN_PARAGRAPH.CENTER, style="Title")
    _paragraph(document, content.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    # A 通报 is circulated to every unit; a 督办通知书 goes to the unit that leads the issues.
    _paragraph(document, "各有关单位：" if content.level == 3 else f"{content.unit_name}：")
    _paragraph(document, notice_text(content))
    _issues_table(document, content.issues)
    _paragraph(document, "")
    _paragraph(document, ISSUER, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, chinese_date(content.issued_on), align=WD_ALIGN_PARAGRAPH.RIGHT)
    if content.acknowledged_on is not None:
        _paragraph(document, f"（{content.unit_name}已于{chinese_date(content.acknowledged_on)}签收）")
    document.core_properties.title = f"{title} {content.number}"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
