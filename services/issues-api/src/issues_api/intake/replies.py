"""Public replies on an issue (公开答复): the office answers once for every submitter whose submission became
part of the issue; each reads it on their tracking page. Writes `issue.public_replied`
(`{"issue": Issue, "reply": {id, content, created_at}}`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.events.service import record_event
from issues_api.intake import repository
from issues_api.intake.models import PublicReply
from issues_api.intake.schemas import ReplyOut
from issues_api.intake.service import add_reply
from issues_api.ledger.access import Viewer
from issues_api.ledger.service import get_visible_issue
from issues_api.ledger.state import issue_state
from rectify_kit.clock import Clock
from rectify_kit.errors import Forbidden

REPLIERS = frozenset({"office", "admin"})


def reply_out(reply: PublicReply) -> ReplyOut:
    return ReplyOut(id=reply.id, at=reply.created_at, content=reply.content, on="issue")


async def issue_replies(session: AsyncSession, *, issue_id: str, viewer: Viewer) -> Sequence[PublicReply]:
    """The public replies of an issue the caller may see (404 alike for another unit's)."""
    await get_visible_issue(session, issue_id, viewer)
    return await repository.issue_replies(session, issue_id)


async def reply_on_issue(
    session: AsyncSession, *, issue_id: str, content: str, viewer: Viewer, clock: Clock
) -> PublicReply:
    """The office's public reply on an issue, at any status; writes `issue.public_replied`."""
    if viewer.role not in REPLIERS:
        raise Forbidden("only the office answers the public", required_roles=sorted(REPLIERS))
    issue = await get_visible_issue(session, issue_id, viewer)
    reply = add_reply(session, content=content, actor=viewer.actor, clock=clock, issue_id=issue.id)
    await session.flush()
    await record_event(
        session,
        type="issue.public_replied",
        subject_id=issue.id,
        actor=viewer.actor,
        data={
            "issue": issue_state(issue),
            "reply": {"id": reply.id, "content": reply.content, "created_at": reply.created_at.isoformat()},
        },
        clock=clock,
    )
    return reply
