"""Issue numbers: taken from the campaign's counter, with what a create needs to know about the campaign."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from issues_api.campaigns.models import Campaign, Category


async def take_issue_number(
    session: AsyncSession, *, campaign_id: str, category_id: str | None
) -> tuple[int, str, date] | None:
    """The campaign's next issue number with the campaign's code and start, taken atomically; None when there is
    no such campaign or the category is not one of its own (then nothing is taken).

    On PostgreSQL, before the caller's transaction has begun, it is taken in a statement of its own: the campaign
    row is locked for that statement, not until the caller commits, so creates in one campaign do not queue
    behind each other (a create that fails afterwards leaves its number unused). Otherwise the row stays locked
    until the caller commits.
    """
    statement = (
        update(Campaign)
        .where(Campaign.id == campaign_id)
        .values(next_issue_number=Campaign.next_issue_number + 1)
        .returning(Campaign.next_issue_number, Campaign.code, Campaign.starts_on)
    )
    if category_id is not None:
        statement = statement.where(
            select(Category.id).where(Category.id == category_id, Category.campaign_id == campaign_id).exists()
        )
    engine = session.bind
    if isinstance(engine, AsyncEngine) and engine.dialect.name == "postgresql" and not session.in_transaction():
        async with engine.connect() as connection:
            own = await connection.execution_options(isolation_level="AUTOCOMMIT")
            row = (await own.execute(statement)).first()
    else:
        row = (await session.execute(statement)).first()
    return (int(row[0]) - 1, str(row[1]), row[2]) if row is not None else None


async def take_issue_numbers(session: AsyncSession, campaign_id: str, count: int) -> int:
    """The first of `count` consecutive issue numbers of the campaign, taken in one statement (an import)."""
    taken = (
        await session.execute(
            update(Campaign)
            .where(Campaign.id == campaign_id)
            .values(next_issue_number=Campaign.next_issue_number + count)
            .returning(Campaign.next_issue_number)
        )
    ).scalar_one()
    return int(taken) - count
