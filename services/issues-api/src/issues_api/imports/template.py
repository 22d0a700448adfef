"""The ledger template (台账模板): the ledger columns, one sample row, drop-down lists of the campaign's units,
categories, phases, sources and kinds (on a hidden sheet), and how to fill it in.

Every cell holds text, a number or a date, never a formula: a name that starts with `=` stays text. The
workbook names its campaign in its keywords, so an upload of it needs no campaign_id.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from issues_api.imports.labels import KINDS, SOURCES
from issues_api.imports.sheet import CAMPAIGN_KEYWORD

if TYPE_CHECKING:
    # openpyxl (and the numpy it imports) is imported by the functions that write a template: some 0.2 s of CPU
    # that every start of the service would spend, for a download few processes ever serve.
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

# Rows of the ledger sheet that get the drop-down lists.
LIST_ROWS = 2000
SAMPLE_MARK = "示例"


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    choices: str | None = None  # which list of the options sheet it offers


OFFICE_COLUMNS = (
    Column("序号", 6),
    Column("问题*", 36),
    Column("问题描述", 36),
    Column("原因", 28),
    Column("措施", 28),
    Column("责任单位", 20, "units"),
    Column("配合单位", 24),
    Column("整改时限", 12),
    Column("分类", 24, "categories"),
    Column("阶段", 14, "phases"),
    Column("来源", 12, "sources"),
    Column("类型", 8, "kinds"),
    Column("要求", 24),
    Column("外部编号（可选）", 16),
)
# A unit files its own problems (自查自纠): no units to name, the office sets the deadline on confirming.
UNIT_COLUMNS = tuple(c for c in OFFICE_COLUMNS if c.header not in ("责任单位", "配合单位", "整改时限", "来源"))


@dataclass(frozen=True)
class TemplateContent:
    campaign_code: str
    campaign_name: str
    units: Sequence[str]
    categories: Sequence[str]
    phases: Sequence[str]
    sample_unit: str
    sample_category: str
    sample_phase: str
    sample_deadline: date | None


def _text(cell: Cell) -> None:
    if cell.data_type == "f":  # openpyxl takes a string starting with `=` for a formula
        cell.data_type = "s"


def _options(book: Workbook, content: TemplateContent) -> dict[str, str]:
    """The hidden sheet of choices; the range each drop-down list reads."""
    from openpyxl.utils import get_column_letter  # see the imports above

    sheet = book.create_sheet("选项")
    lists = {
        "units": ("责任单位", content.units),
        "categories": ("分类", content.categories),
        "phases": ("阶段", content.phases),
        "sources": ("来源", list(SOURCES.values())),
        "kinds": ("类型", list(KINDS.values())),
    }
    ranges = {}
    for index, (key, (title, values)) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=title)
        for row, value in enumerate(values, start=2):
            _text(sheet.cell(row=row, column=index, value=value))
        ranges[key] = f"'选项'!${letter}$2:${letter}${max(2, len(values) + 1)}"
    sheet.sheet_state = "hidden"
    return ranges


def _sample(content: TemplateContent, columns: Sequence[Column]) -> list[object]:
    values: dict[str, object] = {
        "序号": SAMPLE_MARK,
        "问题*": "示例：企业开办需在多个窗口重复提交营业执照复印件",
        "问题描述": "同一份材料在三个窗口各交一次（此行为示例，导入时跳过）",
        "原因": "窗口之间未共享材料",
        "措施": "建立材料共享库，一次提交、多窗口复用",
        "责任单位": content.sample_unit,
        "配合单位": "",
        "整改时限": content.sample_deadline,
        "分类": content.sample_category,
        "阶段": content.sample_phase,
        "来源": SOURCES["self_inspection"],
        "类型": KINDS["problem"],
        "要求": "",
        "外部编号（可选）": "",
    }
    return [values[c.header] for c in columns]


def _ledger_sheet(
    sheet: Worksheet, content: TemplateContent, columns: Sequence[Column], ranges: dict[str, str]
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill  # see the imports above
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet.title = "台账"
    sheet.append([c.header for c in columns])
    sheet.append(_sample(content, columns))
    grey = Font(italic=True, color="808080")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[2]:
        _text(cell)
        cell.font = grey
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(cell.value, date):
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "B2"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.choices:
            rule = DataValidation(type="list", formula1=f"={ranges[column.choices]}", allow_blank=True)
            rule.error, rule.errorTitle = "请从下拉列表中选择", "取值无效"
            rule.add(f"{letter}2:{letter}{LIST_ROWS}")
            sheet.add_data_validation(rule)


OFFICE_LINES = (
    "1. 每行一个问题或任务，“问题*”必填；第 2 行是示例（序号为“示例”），导入时跳过，可删除。",
    "2. 责任单位、分类、阶段、来源、类型请从下拉列表中选择；单位也可写简称或别名（如“法规处”）。",
    "3. 配合单位可填多个，用顿号“、”分隔；填写了责任单位的行导入后即交办给该单位。",
    "4. 整改时限格式 YYYY-MM-DD；不填时取所属阶段的结束日期。",
    "5. 同一行重复上传不会重复登记；“外部编号”填写后，以它识别同一行。",
)
# A unit's own list (自查自纠 批量录入).
UNIT_LINES = (
    "1. 每行一个本单位自查发现的问题，“问题*”“原因”“措施”必填；第 2 行是示例（序号为“示例”），导入时跳过，可删除。",
    "2. 分类、阶段、类型请从下拉列表中选择；阶段不填时取当前阶段。",
    "3. 所填问题均登记在本单位名下，等待办公室确认；确认后交由本单位办理，整改时限默认为所属阶段结束日。",
    "4. 同一行重复上传不会重复登记；“外部编号”填写后，以它识别同一行。",
)


def _instructions(book: Workbook, content: TemplateContent, lines: Sequence[str]) -> None:
    sheet = book.create_sheet("填写说明")
    for line in (f"专项行动：{content.campaign_name}（{content.campaign_code}）", *lines):
        sheet.append([line])
    sheet.column_dimensions["A"].width = 100


def build_template(content: TemplateContent, columns: Sequence[Column], lines: Sequence[str] = OFFICE_LINES) -> bytes:
    from openpyxl import Workbook  # see the imports above

    book = Workbook()
    ranges = _options(book, content)
    ledger = book.active
    assert ledger is not None  # noqa: S101 - a new workbook has its first sheet
    _ledger_sheet(ledger, content, columns, ranges)
    _instructions(book, content, lines)
    book.move_sheet("选项", offset=2)
    book.active = 0
    book.properties.title = f"{content.campaign_name} 整改台账模板"
    book.properties.keywords = f"{CAMPAIGN_KEYWORD}{content.campaign_code}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
