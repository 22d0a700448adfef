"""Event histories shaped exactly like docs/events.md, for feeding the consumers in tests and benches."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from rectify_kit.consumer import FetchedPage
from rectify_kit.feed import FeedEvent

ACTOR = {"kind": "user", "id": str(uuid.UUID(int=1)), "username": "office", "role": "office", "unit_id": None}


def at(day: str, hour: int = 2) -> str:
    """An ISO UTC time on `day` (02:00 UTC is 10:00 in Asia/Shanghai)."""
    return f"{day}T{hour:02d}:00:00+00:00"


@dataclass
class Feed:
    """A growing feed: each call appends one event with the next sequence number."""

    events: list[FeedEvent] = field(default_factory=list)

    def add(self, type_: str, subject_id: str, data: dict[str, Any], occurred_at: str) -> FeedEvent:
        item = FeedEvent(
            seq=len(self.events) + 1,
            id=str(uuid.UUID(int=len(self.events) + 1)),
            type=type_,
            occurred_at=occurred_at,
            actor=ACTOR,
            subject_id=subject_id,
            data=data,
            hash="0" * 64,
        )
        self.events.append(item)
        return item

    def page(self, start: int = 0, stop: int | None = None) -> FetchedPage:
        chunk = self.events[start:stop]
        head = len(self.events)
        return FetchedPage(events=chunk, next=chunk[-1].seq if chunk else start, head=head)


@dataclass
class IssueStory:
    """One issue moving through the workflow; every step emits its event with the full state."""

    feed: Feed
    campaign_id: str
    category_id: str | None = None
    source: str = "inspection"
    city: str | None = None
    title: str = "问题"
    phase_id: str | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    state: dict[str, Any] = field(default_factory=dict)

    def _emit(self, type_: str, when: str, **extra: Any) -> IssueStory:
        self.state["version"] = self.state.get("version", 0) + 1
        s = self.state
        snapshot = {**s, "co_unit_ids": list(s["co_unit_ids"]), "co_units": [dict(c) for c in s["co_units"]],
                    "deadline_history": [dict(d) for d in s["deadline_history"]]}  # fmt: skip
        self.feed.add(type_, self.id, {"issue": snapshot, **extra}, when)
        return self

    def created(self, day: str, *, code: str | None = None) -> IssueStory:
        self.state = {
            "id": self.id, "code": code or f"YS-{self.id[:6]}", "campaign_id": self.campaign_id,
            "category_id": self.category_id, "phase_id": self.phase_id, "kind": "problem", "source": self.source,
            "title": self.title,
            "description": "", "cause": "原因", "measures": "措施", "requirements": None, "lead_unit_id": None,
            "co_unit_ids": [], "co_units": [], "city": self.city, "deadline": None, "original_deadline": None,
            "deadline_history": [], "status": "registered", "progress_percent": 0, "reopen_count": 0,
            "return_count": 0, "flagged": False, "satisfaction": None, "rating": None, "created_at": at(day),
            "assigned_at": None, "accepted_at": None, "submitted_at": None, "closed_at": None,
            "cancelled_at": None, "last_progress_at": None, "version": 0,
        }  # fmt: skip
        return self._emit("issue.created", at(day))

    def assigned(self, day: str, lead: str, deadline: str, co: tuple[str, ...] = ()) -> IssueStory:
        s = self.state
        s.update(lead_unit_id=lead, co_unit_ids=list(co), status="assigned", assigned_at=at(day), deadline=deadline)
        s["co_units"] = [{"unit_id": u, "status": "pending"} for u in co]
        s["original_deadline"] = s["original_deadline"] or deadline
        s["deadline_history"].append({"deadline": deadline, "kind": "initial", "at": at(day)})
        return self._emit("issue.assigned", at(day))

    def accepted(self, day: str) -> IssueStory:
        self.state.update(status="in_progress", accepted_at=at(day))
        return self._emit("issue.accepted", at(day))

    def progress(self, day: str, content: str, percent: int) -> IssueStory:
        self.state.update(progress_percent=percent, last_progress_at=at(day))
        unit = self.state["lead_unit_id"]
        progress = {"id": str(uuid.uuid4()), "content": content, "percent": percent, "unit_id": unit}
        return self._emit("issue.progress_reported", at(day), progress=progress)

    def responsible(self, day: str, unit: str, name: str | None) -> IssueStory:
        """A unit names its responsible person (责任人) of its part, or clears it (None)."""
        person = {"user_id": str(uuid.uuid5(uuid.NAMESPACE_OID, name)), "display_name": name} if name else None
        return self._emit("issue.responsible_named", at(day), unit_id=unit, responsible=person, previous=None)

    def phased(self, day: str, phase_id: str | None) -> IssueStory:
        """The office moves the item to another phase of its campaign (a PATCH: `issue.updated`)."""
        self.state["phase_id"] = phase_id
        return self._emit("issue.updated", at(day), changed=["phase_id"])

    def returned(self, day: str) -> IssueStory:
        self.state.update(status="returned", return_count=self.state["return_count"] + 1)
        return self._emit("issue.returned", at(day), reason_code="not_our_remit", reason="不属于本单位")

    def reassigned(self, day: str, lead: str) -> IssueStory:
        self.state.update(status="assigned", lead_unit_id=lead)
        return self._emit("issue.reassigned", at(day))

    def extended(self, day: str, new_deadline: str) -> IssueStory:
        self.state["deadline"] = new_deadline
        self.state["deadline_history"].append({"deadline": new_deadline, "kind": "extension", "at": at(day)})
        extension = {"id": str(uuid.uuid4()), "new_deadline": new_deadline, "reason": "需要时间", "status": "approved",
                     "decided_at": at(day), "comment": None}  # fmt: skip
        return self._emit("issue.extension_decided", at(day), extension=extension)

    def submitted(self, day: str) -> IssueStory:
        self.state.update(status="pending_review", submitted_at=at(day))
        return self._emit("issue.completion_submitted", at(day), summary="已整改")

    def rejected(self, day: str) -> IssueStory:
        self.state.update(status="in_progress")
        return self._emit("issue.completion_rejected", at(day), reason="材料不全")

    def closed(self, day: str, hour: int = 2) -> IssueStory:
        self.state.update(status="closed", closed_at=at(day, hour), progress_percent=100)
        return self._emit("issue.closed", at(day, hour), comment=None)

    def reopened(self, day: str) -> IssueStory:
        self.state.update(status="in_progress", closed_at=None, reopen_count=self.state["reopen_count"] + 1)
        return self._emit("issue.reopened", at(day), reason="回访不满意")

    def cancelled(self, day: str) -> IssueStory:
        self.state.update(status="cancelled", cancelled_at=at(day))
        return self._emit("issue.cancelled", at(day), reason="重复")

    def feedback(self, day: str, satisfied: bool) -> IssueStory:
        self.state.update(satisfaction=satisfied, rating=5 if satisfied else 2)
        return self._emit("issue.feedback_received", at(day), satisfied=satisfied, rating=self.state["rating"])


def appeal_event(feed: Feed, issue_id: str, day: str) -> None:
    """A submitter appealing the office's answer to a "not satisfied" on a submission that became `issue_id`."""
    intake = {"id": str(uuid.uuid4()), "status": "accepted", "issue_id": issue_id, "followup": "pending"}
    feed.add("intake.appealed", intake["id"], {"intake": intake}, at(day))


def unit_event(feed: Feed, unit_id: str, code: str, name: str) -> None:
    unit = {"id": unit_id, "code": code, "name": name, "kind": "department", "parent_id": None, "active": True}
    feed.add("unit.created", unit_id, {"unit": unit}, at("2026-08-01"))


def campaign_event(
    feed: Feed, campaign_id: str, categories: dict[str, str], phases: list[dict[str, str]] | None = None
) -> None:
    """`campaign.created`, or `campaign.updated` when the feed already told the campaign (a new list of phases)."""
    told = any(e.subject_id == campaign_id and e.type.startswith("campaign.") for e in feed.events)
    campaign = {
        "id": campaign_id, "code": "YS-2026", "name": "优化营商环境", "starts_on": "2026-08-01",
        "ends_on": "2026-12-31", "phases": phases or [], "escalation_policy": "default",
        "categories": [{"id": k, "code": k[:4], "name": v, "parent_id": None} for k, v in categories.items()],
    }  # fmt: skip
    feed.add("campaign.updated" if told else "campaign.created", campaign_id, {"campaign": campaign}, at("2026-08-01"))


def escalation_event(feed: Feed, issue_id: str, campaign_id: str, unit_id: str, level: int, day: date | str) -> None:
    escalation_id = str(uuid.uuid4())
    escalation = {
        "id": escalation_id, "issue_id": issue_id, "campaign_id": campaign_id, "unit_id": unit_id,
        "level": level, "step": f"T+{level}", "number": None, "fired_at": at(str(day)), "deadline": None,
        "acknowledged_at": None,
    }  # fmt: skip
    feed.add("escalation.fired", escalation_id, {"escalation": escalation}, at(str(day)))


def accountability_event(
    feed: Feed, campaign_id: str, unit_id: str, issue_ids: list[str], kind: str, day: str, outcome: str
) -> str:
    """issues-api's `accountability.recorded`: the office recorded a decision about a unit (docs/events.md)."""
    record_id = str(uuid.uuid4())
    record = {
        "id": record_id, "campaign_id": campaign_id, "unit_id": unit_id, "issue_ids": issue_ids, "kind": kind,
        "decided_on": day, "outcome": outcome, "document": "冀科督〔2026〕3号", "created_at": at(day),
    }  # fmt: skip
    feed.add("accountability.recorded", record_id, {"record": record}, at(day))
    return record_id


SOURCES = ("self_inspection", "inspection", "public", "assigned", "integration")
CITIES = ("130100", "130200", "130300", "130400", None)
Step = Callable[[IssueStory], Any]


def _plan(rng: random.Random, units: list[str], escalate: Callable[[IssueStory, int, str], None]) -> list[Step]:
    """The steps of one issue's random but legal history."""
    start = date(2026, 3, 1) + timedelta(days=rng.randrange(200))

    def day(offset: int) -> str:
        return (start + timedelta(days=offset)).isoformat()

    steps: list[Step] = [lambda s: s.created(day(0))]
    if rng.random() < 0.1:
        return steps
    lead, other = rng.sample(units, 2)
    co = tuple(rng.sample([u for u in units if u != lead], rng.randrange(3)))
    deadline = day(rng.randrange(10, 60))
    steps.append(lambda s: s.assigned(day(1), lead, deadline, co))
    if rng.random() < 0.05:
        return [*steps, lambda s: s.cancelled(day(2))]
    if rng.random() < 0.15:
        steps += [lambda s: s.returned(day(2)), lambda s: s.reassigned(day(2), other)]
    steps.append(lambda s: s.accepted(day(3)))
    if rng.random() < 0.5:
        steps.append(lambda s: s.progress(day(5), "推进中", rng.choice((20, 50, 80))))
    if rng.random() < 0.2:
        new_deadline = (date.fromisoformat(deadline) + timedelta(days=rng.randrange(5, 30))).isoformat()
        steps.append(lambda s: s.extended(day(6), new_deadline))
    if rng.random() < 0.2:
        level = rng.randrange(5)
        steps.append(lambda s: escalate(s, level, day(rng.randrange(10, 70))))
    if rng.random() < 0.7:
        close = rng.randrange(5, 80)
        steps.append(lambda s: s.submitted(day(close)))
        if rng.random() < 0.15:
            steps += [lambda s: s.rejected(day(close)), lambda s: s.submitted(day(close))]
        steps.append(lambda s: s.closed(day(close), hour=rng.randrange(24)))
        if rng.random() < 0.5:
            satisfied = rng.random() < 0.8
            steps.append(lambda s: s.feedback(day(close + 1), satisfied))
        if rng.random() < 0.1:
            steps += [lambda s: s.reopened(day(close + 2)), lambda s: s.closed(day(close + 9))]
    return steps


def generated(count: int, *, seed: int = 7, units: int = 12, categories: int = 6) -> tuple[Feed, Feed]:
    """`count` issues with random but legal histories, their steps interleaved, and escalations on some."""
    rng = random.Random(seed)
    feed, escalations = Feed(), Feed()

    def uid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128)))

    campaign, unit_ids, category_ids = uid(), [uid() for _ in range(units)], [uid() for _ in range(categories)]
    for index, unit_id in enumerate(unit_ids):
        unit_event(feed, unit_id, f"U-{index:02d}", f"单位{index:02d}")
    # Phases come from a generator of their own, so the histories of a seed stay what they were before phases.
    phase_rng = random.Random(seed + 1)
    phases = phase_list([str(uuid.UUID(int=phase_rng.getrandbits(128))) for _ in range(3)])
    category_names = {c: f"类别{i}" for i, c in enumerate(category_ids)}
    campaign_event(feed, campaign, category_names, phases)
    phase_ids: list[str | None] = [p["id"] for p in phases] + [None]

    def escalate(story: IssueStory, level: int, when: str) -> None:
        escalation_event(escalations, story.id, campaign, story.state["lead_unit_id"], level, when)

    pending: list[tuple[IssueStory, list[Step]]] = []
    for _ in range(count):
        story = IssueStory(feed, campaign, category_id=rng.choice(category_ids), source=rng.choice(SOURCES),
                           city=rng.choice(CITIES), id=uid(), phase_id=phase_rng.choice(phase_ids))  # fmt: skip
        pending.append((story, _plan(rng, unit_ids, escalate)))
    while pending:  # steps of different issues interleave, as in a real feed
        index = rng.randrange(len(pending))
        story, steps = pending[index]
        steps.pop(0)(story)
        if not steps:
            pending[index] = pending[-1]
            pending.pop()
    _rephase(feed, campaign, category_names, phases, phase_rng)
    return feed, escalations


def phase_list(ids: list[str]) -> list[dict[str, str]]:
    """Consecutive phases of the 2026 campaign, as the Campaign payload lists them."""
    names = ("自查自纠", "集中整治", "巩固提升", "总结验收")
    bounds = ("2026-03-01", "2026-05-31", "2026-08-31", "2026-10-31", "2026-12-31")
    return [
        {"id": phase_id, "code": f"P{i + 1}", "name": names[i], "starts_on": bounds[i], "ends_on": bounds[i + 1]}
        for i, phase_id in enumerate(ids)
    ]


def _rephase(
    feed: Feed, campaign: str, categories: dict[str, str], phases: list[dict[str, str]], rng: random.Random
) -> None:
    """After the histories: some items move to another phase, and the campaign renames its second phase."""
    latest = {e.subject_id: e.data["issue"] for e in feed.events if e.type.startswith("issue.")}
    for issue in latest.values():
        if rng.random() < 0.1:
            moved = {**issue, "phase_id": rng.choice(phases)["id"], "version": issue["version"] + 1}
            feed.add("issue.updated", issue["id"], {"issue": moved, "changed": ["phase_id"]}, at("2026-10-01"))
    renamed = [{**p, "name": "集中整治（延长）"} if i == 1 else p for i, p in enumerate(phases)]
    campaign_event(feed, campaign, categories, renamed)
