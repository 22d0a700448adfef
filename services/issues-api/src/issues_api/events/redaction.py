"""Personal data in the event feed: removed for every reader without the scope `contacts:read`.

One table for every kind of event: the type prefix and the paths in `data` that hold personal contact data.
The stored event (and its hash in the audit chain) keeps them; only what the feed hands out is redacted.
"""

from __future__ import annotations

from typing import Any

from rectify_kit.auth import Principal
from rectify_kit.feed import FeedEvent

CONTACTS_SCOPE = "contacts:read"

PERSONAL_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    # The citizen's phone, email, consent and tracking code (docs/events.md, "Intake").
    "intake.": (("submitter",),),
    # Staff e-mail and phone: notify-api sends to them, report-api and other directory readers have no use for them.
    "user.": (("user", "email"), ("user", "phone")),
}


def _without(data: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    head, *rest = path
    if head not in data:
        return data
    if not rest:
        return {key: value for key, value in data.items() if key != head}
    inner = data[head]
    return {**data, head: _without(inner, tuple(rest))} if isinstance(inner, dict) else data


def redact(principal: Principal, event: FeedEvent) -> FeedEvent:
    """The event as `principal` may read it: personal paths removed unless it holds `contacts:read`."""
    if principal.has_scope(CONTACTS_SCOPE):
        return event
    data = event.data
    for prefix, paths in PERSONAL_PATHS.items():
        if event.type.startswith(prefix):
            for path in paths:
                data = _without(data, path)
    return event if data is event.data else event.model_copy(update={"data": data})
