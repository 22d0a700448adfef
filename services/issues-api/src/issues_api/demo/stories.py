"""What happens to one demo item: its target status and the twists on the way (return, extension, reopen…).

`FORCED_STORIES` come first so that every status and every twist shows up in any demo of a few dozen
items, and so does every situation the system tests and the browser journeys start from (the numbered
notices waiting for a signature, the item a unit clerk accepts, …); the rest are drawn at random with
realistic weights.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

Extension = Literal["approved", "denied"]
Notice = Literal[2, 3]
CancelPoint = Literal["registered", "assigned", "in_progress"]

STATUS_WEIGHTS: dict[str, int] = {
    "registered": 8,
    "assigned": 10,
    "returned": 4,
    "in_progress": 33,
    "pending_review": 10,
    "closed": 30,
    "cancelled": 5,
}
SOURCE_WEIGHTS: dict[str, int] = {
    "self_inspection": 30,
    "inspection": 20,
    "public": 25,
    "assigned": 15,
    "integration": 10,
}
WITH_DEADLINE_OPEN = frozenset({"assigned", "returned", "in_progress", "pending_review"})
SUBMITTED = frozenset({"pending_review", "closed"})


@dataclass(frozen=True)
class Story:
    status: str
    overdue: bool = False
    reassigned: bool = False  # returned by the first lead unit, then reassigned to another
    extension: Extension | None = None
    reopened: bool = False
    rejected: bool = False  # a completion sent back once
    urged: bool = False
    instructed: bool = False
    on_deadline_day: bool = False  # closed on the day of its deadline
    late: bool = False  # closed after its deadline
    min_co_units: int = 0
    source: str | None = None
    cancel_after: CancelPoint = "registered"
    # The deadline passed long enough ago that the default escalation policy's numbered notice of this level
    # (2 督办, 3 通报) is the highest step due today and the next is not yet: the notice waits to be signed.
    notice: Notice | None = None
    lead: str | None = None  # the lead unit's code, when the campaign has that unit (else drawn)
    co_units: int | None = None  # exactly this many co-units (else at least `min_co_units`, drawn)


FORCED_STORIES: tuple[Story, ...] = (
    Story("registered"),
    Story("assigned"),
    Story("returned"),
    Story("in_progress", min_co_units=1),
    Story("pending_review", min_co_units=1),
    Story("closed"),
    Story("cancelled"),
    Story("cancelled", cancel_after="in_progress"),
    Story("in_progress", overdue=True, urged=True),
    Story("assigned", overdue=True, urged=True),
    Story("in_progress", extension="approved"),
    Story("in_progress", extension="denied", overdue=True),
    Story("closed", extension="approved"),
    Story("closed", reopened=True),
    Story("in_progress", reopened=True),
    Story("in_progress", reassigned=True),
    Story("closed", min_co_units=2, instructed=True),
    Story("closed", on_deadline_day=True),
    Story("closed", late=True),
    Story("closed", source="public"),
    Story("pending_review", rejected=True, source="public"),
    Story("in_progress", instructed=True, source="public"),
    # What the system tests and the browser journeys find in the demo, for the units they sign in as (the
    # demo's accounts are named after the units' codes). Each run signs up to four numbered notices on one
    # stack, whichever comes first in the list: the contract test's and smoke.mjs's 督办 of any unit, the
    # authorization matrix's notice of one of its units, and roles.mjs's own unit's last. KJT-GX has four,
    # so that it keeps one whichever the others took; two more 督办 are other units'.
    Story("assigned", lead="KJT-GX", co_units=0),  # roles.mjs: its clerk accepts it, with no co-unit to wait for
    Story("in_progress", overdue=True, notice=2, lead="KJT-GX"),
    Story("assigned", overdue=True, notice=2, lead="KJT-GX"),
    Story("in_progress", overdue=True, notice=3, lead="KJT-GX"),
    Story("in_progress", overdue=True, notice=3, lead="KJT-GX", min_co_units=1),
    Story("in_progress", overdue=True, notice=2, lead="KJT-ZCFG"),  # smoke.mjs's clerk adds evidence to it
    Story("in_progress", overdue=True, notice=2, lead="KJT-NC"),
)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def random_source(rng: random.Random) -> str:
    return _weighted(rng, SOURCE_WEIGHTS)


def random_story(rng: random.Random) -> Story:
    status = _weighted(rng, STATUS_WEIGHTS)
    overdue = status in WITH_DEADLINE_OPEN and rng.random() < 0.3
    worked = status in {"in_progress", "pending_review", "closed"}
    extension: Extension | None = None
    if worked and rng.random() < 0.2:
        extension = "approved" if rng.random() < 0.7 else "denied"
    closed = status == "closed"
    return Story(
        status=status,
        overdue=overdue,
        reassigned=status in {"assigned", *SUBMITTED, "in_progress"} and rng.random() < 0.1,
        extension=extension,
        reopened=status in {"in_progress", "closed"} and rng.random() < 0.06,
        rejected=worked and rng.random() < 0.08,
        urged=status in {*WITH_DEADLINE_OPEN, "registered"} and rng.random() < (0.6 if overdue else 0.1),
        instructed=rng.random() < 0.12,
        on_deadline_day=closed and rng.random() < 0.08,
        late=closed and rng.random() < 0.12,
        cancel_after=rng.choice(("registered", "assigned", "in_progress")),
    )
