"""What the issues feed tells one person by name (责任落实到人): that they were named the responsible person
(责任人) of an item, that a sub-task was given to them, that their sub-task's deadline moved, and, to the person
replaced, that they are no longer the responsible person or that their sub-task went to someone else. Never
what they did themselves."""

from __future__ import annotations

from typing import Any

from notify_api.directory.service import Addressbook
from notify_api.feed.notices import IMMEDIATE_CHANNELS
from notify_api.issues.models import AnyIssue
from notify_api.issues.service import summary, units_of
from notify_api.notifications.messages import Message
from rectify_kit.feed import FeedEvent

# (message kind, the person's user id, what the message says besides the item, the key's suffix)
Told = tuple[str, str | None, dict[str, Any], str]


def item_link(app_url: str, issue_id: str) -> str:
    """The item's page in the staff app."""
    return f"{app_url.rstrip('/')}/issues/{issue_id}"


def _name(person: Any) -> str:
    return str(person.get("display_name") or "") if isinstance(person, dict) else ""


def _responsible(item: FeedEvent) -> list[Told]:
    person, previous = item.data.get("responsible") or {}, item.data.get("previous") or {}
    told: list[Told] = [("responsible_named", person.get("user_id"), {}, "person")]
    if previous.get("user_id") != person.get("user_id"):
        told.append(("responsible_replaced", previous.get("user_id"), {"successor": _name(person)}, "replaced"))
    return told


def _subtask(item: FeedEvent) -> list[Told]:
    subtask = item.data.get("subtask") or {}
    said = {"subtask": {"title": str(subtask.get("title") or ""), "deadline": str(subtask.get("deadline") or "")}}
    changed = set(item.data.get("changed") or [])
    assignee = subtask.get("assignee_id")
    if item.type == "issue.subtask_added":
        return [("subtask_assigned", assignee, said, "person")]
    if item.type != "issue.subtask_updated":
        return []
    if "assignee_id" in changed:
        previous = item.data.get("previous_assignee") or {}
        moved = {**said, "successor": str(subtask.get("assignee_name") or "")}
        return [
            ("subtask_assigned", assignee, said, "person"),
            ("subtask_reassigned", previous.get("user_id"), moved, "replaced"),
        ]
    if "deadline" in changed:
        return [("subtask_deadline_changed", assignee, said, "person")]
    return []


def _told(item: FeedEvent) -> list[Told]:
    """Whom an event tells by name, and what."""
    if item.type == "issue.responsible_named":
        return _responsible(item)
    return _subtask(item)


async def person_notices(book: Addressbook, *, state: AnyIssue, item: FeedEvent, app_url: str) -> list[Message]:
    """The messages to the people an `issue.*` event names, each keyed by the event and its role in it (a
    redelivery adds nothing); none to a person who did it themselves or whom notify-api knows no active user of."""
    messages = []
    actor = str(item.actor.get("id") or "")
    for kind, user_id, said, suffix in _told(item):
        if not user_id or str(user_id) == actor:
            continue
        person = await book.person(str(user_id))
        if person is None:
            continue
        messages.append(
            Message(
                kind=kind,
                key=f"evt:{item.id}:{suffix}",
                recipients=[(person, "person")],
                context={"issue": summary(state), "link": item_link(app_url, state.id), **said},
                channels=IMMEDIATE_CHANNELS,
                issue_id=state.id,
                webhook_data={"kind": kind, "issue_id": state.id, "source_event": item.type},
                campaign_id=state.campaign_id,
                unit_ids=units_of(state),
            )
        )
    return messages
