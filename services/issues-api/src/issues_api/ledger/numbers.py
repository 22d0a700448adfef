"""Issue numbers: taken from the campaign's counter, with what a create needs to know about the campaign."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Date,
    Integer,
    String,
    Update,
    and_,
    bindparam,
    case,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from issues_api.campaigns.models import Campaign, Category, Phase


@dataclass(frozen=True)
class TakenNumber:
    """An issue number and what the new issue takes from its campaign: the code's prefix and year, its phase."""

    number: int
    campaign_code: str
    starts_on: date
    phase_id: str | None


def _phase_of_day() -> ColumnElement[str | None]:
    """The campaign's phase running on the day (the latest begun when several run), else the latest begun, else
    its first: `phases.phase_on` as a subquery returned with the number, so the create reads no phases of its
    own. Not correlated to the updated row: SQLite's RETURNING sees no outer row in a subquery (it answers NULL).
    """
    day = bindparam("day", type_=Date())
    running = and_(Phase.starts_on <= day, Phase.ends_on >= day)
    begun = Phase.starts_on <= day
    # Begun phases (running first) by (starts_on, position) descending, then the not yet begun ascending: the
    # CASE keys are NULL only among the not yet begun, where they tie, so NULL ordering never decides.
    return (
        select(Phase.id)
        .where(Phase.campaign_id == bindparam("campaign_id"))
        .order_by(
            case((running, 0), (begun, 1), else_=2),
            case((begun, Phase.starts_on)).desc(),
            case((begun, Phase.position)).desc(),
            Phase.starts_on,
            Phase.position,
        )
        .limit(1)
        .scalar_subquery()
    )


def _advanced(campaign_id: str | BindParameter[str], count: int | BindParameter[int]) -> Update:
    """The campaign's counter moved on by `count` numbers (the statement's RETURNING sees it after the move)."""
    return (
        update(Campaign).where(Campaign.id == campaign_id).values(next_issue_number=Campaign.next_issue_number + count)
    )


def take_statement(*, category: bool, named_phase: bool) -> Update:
    """The statement taking a number (`count` numbers when given, returning the next after them), for a create with
    or without a category and a named phase. Built once per shape: constructing it (and its cache key) for each
    create cost more CPU than executing it."""
    campaign_id: BindParameter[str] = bindparam("campaign_id", type_=String())
    named = select(Phase.id).where(Phase.id == bindparam("phase_id"), Phase.campaign_id == campaign_id)
    phase = named.scalar_subquery() if named_phase else _phase_of_day()
    statement = _advanced(campaign_id, bindparam("count", 1, type_=Integer())).returning(
        Campaign.next_issue_number.label("next_number"),
        Campaign.code.label("campaign_code"),
        Campaign.starts_on.label("starts_on"),
        phase.label("phase_id"),
    )
    if category:
        statement = statement.where(
            select(Category.id)
            .where(Category.id == bindparam("category_id"), Category.campaign_id == campaign_id)
            .exists()
        )
    if named_phase:
        statement = statement.where(named.exists())
    return statement


_TAKE = {(c, p): take_statement(category=c, named_phase=p) for c in (False, True) for p in (False, True)}


async def take_issue_number(
    session: AsyncSession, *, campaign_id: str, category_id: str | None, phase_id: str | None, day: date
) -> TakenNumber | None:
    """The campaign's next issue number with the campaign's code and start and the new issue's phase (`phase_id`,
    else the phase of `day`), taken atomically in one statement; None when there is no such campaign, or the
    category or the phase named is not one of its own (then nothing is taken).

    On PostgreSQL, before the caller's transaction has begun, it is taken in a statement of its own: the campaign
    row is locked for that statement, not until the caller commits, so creates in one campaign do not queue
    behind each other (a create that fails afterwards leaves its number unused). Otherwise the row stays locked
    until the caller commits.
    """
    statement = _TAKE[(category_id is not None, phase_id is not None)]
    params = {"campaign_id": campaign_id, "category_id": category_id, "phase_id": phase_id, "day": day}
    engine = session.bind
    if isinstance(engine, AsyncEngine) and engine.dialect.name == "postgresql" and not session.in_transaction():
        async with engine.connect() as connection:
            own = await connection.execution_options(isolation_level="AUTOCOMMIT")
            row = (await own.execute(statement, params)).first()
    else:
        row = (await session.execute(statement, params)).first()
    if row is None:
        return None
    return TakenNumber(int(row[0]) - 1, str(row[1]), row[2], row[3])


async def take_issue_numbers(session: AsyncSession, campaign_id: str, count: int) -> int:
    """The first of `count` consecutive issue numbers of the campaign, taken in one statement (an import)."""
    taken = (await session.execute(_advanced(campaign_id, count).returning(Campaign.next_issue_number))).scalar_one()
    return int(taken) - count
