"""What the issues feed tells one person by name (责任落实到人): that they were named the responsible person
(责任人) of an item, that a sub-task was given to them, and that their sub-task's deadline moved. Never what they
did themselves."""

from __future__ import annotations

from typing import Any

from notify_api.directory.service import Addressbook
from notify_api.feed.notices import IMMEDIATE_CHANNELS
from notify_api.issues.models import IssueState
from notify_api.issues.service import summary, units_of
from notify_api.notifications.messages import Message
from rectify_kit.feed import FeedEvent


def item_link(app_url: str, issue_id: str) -> str:
    """The item's page in the staff app."""
    return f"{app_url.rstrip('/')}/issues/{issue_id}"


def _told(item: FeedEvent) -> tuple[str, str | None, dict[str, Any]] | None:
    """(message kind, the person's user id, what the message says besides the item) of an event that tells
    someone by name, or None."""
    if item.type == "issue.responsible_named":
        person = item.data.get("responsible") or {}
        return "responsible_named", person.get("user_id"), {}
    subtask = item.data.get("subtask") or {}
    said = {"subtask": {"title": str(subtask.get("title") or ""), "deadline": str(subtask.get("deadline") or "")}}
    changed = set(item.data.get("changed") or [])
    if item.type == "issue.subtask_added" or (item.type == "issue.subtask_updated" and "assignee_id" in changed):
        return "subtask_assigned", subtask.get("assignee_id"), said
    if item.type == "issue.subtask_updated" and "deadline" in changed:
        return "subtask_deadline_changed", subtask.get("assignee_id"), said
    return None


async def person_notice(book: Addressbook, *, state: IssueState, item: FeedEvent, app_url: str) -> Message | None:
    """The message to the person an `issue.*` event names, keyed by the event (a redelivery adds nothing); None
    when the event names no one, the person named themselves, or notify-api knows no active user of that id."""
    told = _told(item)
    if told is None:
        return None
    kind, user_id, said = told
    if not user_id or str(user_id) == str(item.actor.get("id") or ""):
        return None
    person = await book.person(str(user_id))
    if person is None:
        return None
    return Message(
        kind=kind,
        key=f"evt:{item.id}:person",
        recipients=[(person, "person")],
        context={"issue": summary(state), "link": item_link(app_url, state.id), **said},
        channels=IMMEDIATE_CHANNELS,
        issue_id=state.id,
        webhook_data={"kind": kind, "issue_id": state.id, "source_event": item.type},
        campaign_id=state.campaign_id,
        unit_ids=units_of(state),
    )
