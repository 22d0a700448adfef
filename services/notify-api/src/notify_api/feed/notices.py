"""What the issues feed's events tell at once: every step of the ledger that asks someone to act, a new public
submission waiting for triage, and the events themselves to the webhook subscriptions that take them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from notify_api.directory.service import Addressbook
from notify_api.issues.models import AnyIssue
from notify_api.issues.service import summary, units_of
from notify_api.notifications.messages import Event, Message
from notify_api.webhooks.schemas import Audience
from rectify_kit.feed import FeedEvent

# Each step of the ledger that asks someone to act: (message kind, who must act).
IMMEDIATE: dict[str, tuple[str, tuple[str, ...]]] = {
    "issue.assigned": ("assigned", ("lead_unit", "co_units")),
    "issue.reassigned": ("assigned", ("lead_unit", "co_units")),
    "issue.returned": ("returned", ("office",)),
    "issue.completion_submitted": ("completion_submitted", ("office",)),
    "issue.completion_rejected": ("completion_rejected", ("lead_unit",)),
    "issue.extension_requested": ("extension_requested", ("office",)),
    "issue.extension_decided": ("extension_decided", ("lead_unit",)),
    "issue.urged": ("urged", ("lead_unit", "co_units")),
    "issue.instructed": ("instructed", ("lead_unit", "co_units")),
    "issue.reopened": ("reopened", ("lead_unit", "co_units")),
    # 自查自纠: the office sent a unit's own item back to revise (the unit leads it while it waits).
    "issue.sent_back": ("sent_back", ("lead_unit",)),
}
IMMEDIATE_CHANNELS = frozenset({"inbox", "email"})


async def issue_notice(
    book: Addressbook, *, state: AnyIssue, event_type: str, event_id: str, data: dict[str, Any]
) -> Message | None:
    """The message of an `issue.*` event that asks someone to act, or None."""
    if event_type not in IMMEDIATE:
        return None
    kind, who = IMMEDIATE[event_type]
    extension = data.get("extension") or {}
    return Message(
        kind=kind,
        key=f"evt:{event_id}",
        recipients=await book.recipients(kinds=who, lead_unit_id=state.lead_unit_id, co_unit_ids=state.co_unit_ids),
        context={
            "issue": summary(state),
            "reason": data.get("reason") or "",
            "content": data.get("content") or "",
            "approved": extension.get("status") == "approved",
            "new_deadline": extension.get("new_deadline") or "",
        },
        channels=IMMEDIATE_CHANNELS,
        issue_id=state.id,
        webhook_data={"kind": kind, "issue_id": state.id, "source_event": event_type},
        campaign_id=state.campaign_id,
        unit_ids=units_of(state),
    )


def hook_event(item: FeedEvent, *, state: AnyIssue | None) -> Event:
    """The feed's event for the webhook subscriptions that take it, about its issue (an intake's once it is
    accepted or merged), without the submitter's personal data, which never leaves in a webhook."""
    data = {k: v for k, v in item.data.items() if k != "submitter"}
    audience = Audience(
        event_type=item.type,
        campaign_id=state.campaign_id if state else None,
        unit_ids=units_of(state) if state else frozenset(),
    )
    return Event(key=f"hook:{item.id}", audience=audience, data=data, occurred_at=_moment(item.occurred_at))


def _moment(value: str) -> datetime | None:
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


async def intake_notice(book: Addressbook, *, event_id: str, data: dict[str, Any]) -> Message:
    """A new public submission waits for the office's triage."""
    intake = data.get("intake") or {}
    return Message(
        kind="intake_submitted",
        key=f"evt:{event_id}",
        recipients=await book.recipients(kinds=("office",), lead_unit_id=None, co_unit_ids=()),
        context={"title": str(intake.get("title") or intake.get("id") or "")},
        intake_id=str(intake["id"]) if intake.get("id") else None,
        webhook_data={"kind": "intake_submitted", "intake_id": intake.get("id")},
    )
