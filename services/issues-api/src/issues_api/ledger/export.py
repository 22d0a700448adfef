"""导出台账: the ledger as filtered, in the order shown, as an Excel workbook (one row per item).

The rows come from the same query as the list (`repository.list_issues`, the caller's unit scope included),
walked page by page on the keyset, so the file holds exactly what the list's filters select. Every cell holds
text, a number or a date, never a formula: a title that starts with `=` stays text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.assignees.models import IssueAssignee
from issues_api.campaigns.models import Category, Phase
from issues_api.directory.models import Unit, User
from issues_api.imports.labels import KINDS, SOURCES
from issues_api.ledger import lookups, repository
from issues_api.ledger.errors import InvalidValue
from issues_api.ledger.models import CoUnit, Issue
from issues_api.ledger.workflow import OPEN_STATUSES
from rectify_kit.clock import BUSINESS_TZ
from rectify_kit.field_messages import field_error

if TYPE_CHECKING:
    # openpyxl (and the numpy it imports) is imported by the functions that write the workbook: some 0.2 s of CPU
    # that every start of the service would spend, for an export few processes ever serve.
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# More rows than an office reads in a sheet: past this the filters should narrow it (a 422 says so).
MAX_ROWS = 20_000
CHUNK = 500
STATUS_NAMES = {
    "registered": "待交办",
    "assigned": "待签收",
    "returned": "已退回",
    "in_progress": "办理中",
    "pending_review": "待审核",
    "closed": "已销号",
    "cancelled": "已撤销",
}
COLUMNS: tuple[tuple[str, int], ...] = (
    ("编号", 16),
    ("问题", 40),
    ("状态", 10),
    ("责任单位", 22),
    ("配合单位", 28),
    ("责任人", 22),
    ("分类", 16),
    ("阶段", 14),
    ("来源", 10),
    ("类型", 8),
    ("地区", 10),
    ("整改时限", 12),
    ("原定时限", 12),
    ("是否超期", 9),
    ("进度(%)", 8),
    ("登记时间", 17),
    ("交办时间", 17),
    ("办结时间", 17),
    ("问题描述", 50),
)


class ExportTooLarge(InvalidValue):
    code, title_zh, title_en = "export-too-large", "导出的事项过多，请缩小筛选范围", "Too many items to export"


@dataclass(frozen=True)
class Names:
    units: dict[str, str]
    cities: dict[str, str]
    categories: dict[str, str]
    phases: dict[str, str]
    # 责任人: issue id -> unit id -> the person's name
    people: dict[str, dict[str, str]]


async def _pairs(session: AsyncSession, query: Any) -> dict[str, str]:
    return {str(row[0]): str(row[1]) for row in await session.execute(query)}


async def _names(session: AsyncSession, issues: Sequence[Issue]) -> Names:
    unit_ids = {i.lead_unit_id for i in issues if i.lead_unit_id} | {c.unit_id for i in issues for c in i.co_units}
    category_ids = sorted({i.category_id for i in issues if i.category_id})
    phase_ids = sorted({i.phase_id for i in issues if i.phase_id})
    return Names(
        units=await lookups.unit_names(session, sorted(unit_ids)),
        cities=await _pairs(session, select(Unit.code, Unit.name).where(Unit.kind == "city")),
        categories=await _pairs(session, select(Category.id, Category.name).where(Category.id.in_(category_ids))),
        phases=await _pairs(session, select(Phase.id, Phase.name).where(Phase.id.in_(phase_ids))),
        people=await _people(session, [i.id for i in issues]),
    )


async def _people(session: AsyncSession, issue_ids: Sequence[str]) -> dict[str, dict[str, str]]:
    """The responsible person each unit named on these issues (责任人), by issue and unit."""
    people: dict[str, dict[str, str]] = {}
    for start in range(0, len(issue_ids), CHUNK):
        query = (
            select(IssueAssignee.issue_id, IssueAssignee.unit_id, User.display_name)
            .join(User, User.id == IssueAssignee.user_id)
            .where(IssueAssignee.issue_id.in_(issue_ids[start : start + CHUNK]))
        )
        for issue_id, unit_id, name in await session.execute(query):
            people.setdefault(issue_id, {})[unit_id] = name
    return people


def _responsible(issue: Issue, names: Names, co_units: Sequence[CoUnit]) -> str:
    """The lead unit's person by name, then each co-unit's as 单位：姓名."""
    named = names.people.get(issue.id, {})
    parts = [named[issue.lead_unit_id]] if issue.lead_unit_id in named else []
    parts += [f"{names.units.get(c.unit_id, c.unit_id)}：{named[c.unit_id]}" for c in co_units if c.unit_id in named]
    return "；".join(parts)


def _local(moment: datetime | None) -> str | None:
    return moment.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M") if moment else None


def _row(issue: Issue, names: Names, today: date) -> list[Any]:
    overdue = issue.status in OPEN_STATUSES and issue.deadline is not None and issue.deadline < today
    co_units = sorted(issue.co_units, key=lambda c: c.position)
    return [
        issue.code,
        issue.title,
        STATUS_NAMES.get(issue.status, issue.status),
        names.units.get(issue.lead_unit_id or "", ""),
        "、".join(names.units.get(c.unit_id, c.unit_id) for c in co_units),
        _responsible(issue, names, co_units),
        names.categories.get(issue.category_id or "", "未分类"),
        names.phases.get(issue.phase_id or "", ""),
        SOURCES.get(issue.source, issue.source),
        KINDS.get(issue.kind, issue.kind),
        names.cities.get(issue.city, issue.city) if issue.city else "",
        issue.deadline,
        issue.original_deadline,
        "是" if overdue else "否",
        issue.progress_percent,
        _local(issue.created_at),
        _local(issue.assigned_at),
        _local(issue.closed_at or issue.cancelled_at),
        issue.description,
    ]


def _cells(sheet: Worksheet, values: Sequence[Any], *, header: bool = False) -> list[WriteOnlyCell]:
    """A row's cells (a row at a time: the imports below run once a row, not once a cell)."""
    from openpyxl.cell import WriteOnlyCell  # see the imports above
    from openpyxl.styles import Font, PatternFill

    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        if isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        if header:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cells.append(cell)
    return cells


async def collect(
    session: AsyncSession, *, filters: repository.IssueFilters, today: date, sort: str, descending: bool
) -> list[Issue]:
    """Every issue the filters select, in the list's order (keyset pages of CHUNK; co-units come along)."""
    first, total = await repository.list_issues(
        session, filters=filters, today=today, sort=sort, descending=descending, after=None, limit=CHUNK
    )
    if total > MAX_ROWS:
        raise ExportTooLarge(
            f"{total} items match; at most {MAX_ROWS} are exported",
            total=total,
            max_rows=MAX_ROWS,
            errors=[field_error("q", f"共 {total} 项，最多导出 {MAX_ROWS} 项", f"{total} match, at most {MAX_ROWS}")],
        )
    issues = list(first)
    page = first
    while len(page) == CHUNK:
        last = page[-1]
        after = (repository.sort_value(last, sort), last.id)
        page, _ = await repository.list_issues(
            session, filters=filters, today=today, sort=sort, descending=descending, after=after, limit=CHUNK
        )
        issues += page
    return issues


async def build_workbook(session: AsyncSession, issues: Sequence[Issue], *, today: date) -> bytes:
    from openpyxl import Workbook  # see the imports above
    from openpyxl.utils import get_column_letter

    names = await _names(session, issues)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(issues) + 1}"
    sheet.append(_cells(sheet, [header for header, _ in COLUMNS], header=True))
    for issue in issues:
        sheet.append(_cells(sheet, _row(issue, names, today)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
