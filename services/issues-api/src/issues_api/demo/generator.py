"""Demo ledger items (问题) for a campaign: realistic Chinese texts and the steps that bring each to its status.

`generate_items` is for the demo (a few hundred items, each with the workflow steps to replay);
`iter_bulk_rows` is for benchmarks (final-state rows only, streamed, for up to a million items).
Both are deterministic for a seed. Unit and category references are definition codes, not database ids.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from issues_api.campaigns.definition import CampaignDefinition
from issues_api.demo import texts
from issues_api.demo.plan import Actor, Draft, plan
from issues_api.demo.stories import FORCED_STORIES, SOURCE_WEIGHTS, STATUS_WEIGHTS, Story, random_source, random_story
from issues_api.demo.timeline import (
    WORKING_MINUTES,
    business_moment,
    fill_deadlines,
    fill_progress,
    notice_deadline,
    sample_times,
)
from issues_api.demo.units import UnitPicker
from rectify_kit.clock import BUSINESS_TZ

# How long ago (calendar days) an item of each final status was created: (shortest, longest).
SPANS: dict[str, tuple[int, int]] = {
    "registered": (1, 14),
    "assigned": (2, 20),
    "returned": (3, 20),
    "in_progress": (10, 120),
    "pending_review": (15, 120),
    "closed": (15, 170),
    "cancelled": (3, 60),
}
OVERDUE_SPAN = (25, 100)
CO_UNIT_COUNTS, CO_UNIT_WEIGHTS = (0, 1, 2), (55, 30, 15)
WINDOW_DAYS = 240
# Progress of a bulk row by status; in_progress rows draw theirs.
_BULK_PERCENT = {"registered": 0, "assigned": 0, "returned": 0, "cancelled": 0, "pending_review": 100, "closed": 100}


@dataclass(frozen=True)
class DemoStep:
    """One workflow step. `actor` "unit" is the lead unit in charge at that moment; "co_unit" names its unit
    in `payload["unit"]`. Dates in payloads are ISO strings; unit and category references are codes."""

    action: str
    actor: Actor
    at: datetime
    payload: dict[str, Any]


@dataclass(frozen=True)
class DemoSubmission:
    """The enterprise's own submission (诉求) behind a `public` item; it precedes the item's `create` step."""

    enterprise_name: str
    title: str
    content: str
    city: str | None
    submitted_at: datetime


@dataclass(frozen=True)
class DemoItem:
    """A problem item and its history. `lead_unit`/`co_units` are the final ones (None/() if never assigned)."""

    title: str
    description: str
    cause: str
    measures: str
    requirements: str
    category: str
    source: str
    city: str | None
    lead_unit: str | None
    co_units: tuple[str, ...]
    status: str
    deadline: date | None
    original_deadline: date | None
    submission: DemoSubmission | None
    steps: tuple[DemoStep, ...] = field(repr=False)

    @property
    def created_at(self) -> datetime:
        return self.steps[0].at


class _Texts:
    """Renders one item's texts from a topic of its area."""

    def __init__(self, rng: random.Random, defn: CampaignDefinition, picker: UnitPicker) -> None:
        self.rng = rng
        self.categories = [c.code for c in defn.categories] or [texts.CATEGORY_FALLBACK]
        self.picker = picker

    def problem(self, category: str, *, force_city: bool) -> tuple[texts.Topic, str | None]:
        topics = texts.TOPICS.get(category, texts.TOPICS[texts.CATEGORY_FALLBACK])
        topic = self.rng.choice(topics)
        needs_city = "{city}" in topic.title + topic.description + topic.measures
        city = self.picker.city() if needs_city or force_city or self.rng.random() < 0.2 else None
        city_name = self.picker.city_name(city) if city else "我省"
        n = self.rng.randint(2, 12)
        rendered = texts.Topic(*(part.format(city=city_name, n=n) for part in topic))
        return rendered, city

    def submission(self, topic: texts.Topic, city: str | None, at: datetime) -> DemoSubmission:
        rng = self.rng
        city_name = self.picker.city_name(city) if city else "河北"
        parts = "".join(rng.sample(texts.NAME_PARTS, 2))
        name = f"{city_name.removesuffix('市')}{parts}{rng.choice(texts.INDUSTRIES)}有限公司"
        content = rng.choice(texts.PUBLIC_OPENINGS).format(city=city_name) + rng.choice(texts.PUBLIC_BODIES)
        content = content.format(title=topic.title, cause=topic.cause) + rng.choice(texts.PUBLIC_CLOSINGS)
        submitted = at - timedelta(hours=rng.randint(2, 72), minutes=rng.randint(0, 59))
        return DemoSubmission(name, topic.title, content, city, submitted)


def _window_start(defn: CampaignDefinition, today: date) -> date:
    """Items start no earlier than the concentrated phase, nor more than WINDOW_DAYS ago."""
    earliest = today - timedelta(days=WINDOW_DAYS)
    phase_start = defn.concentrated_phase.starts_on
    return phase_start if earliest <= phase_start < today else earliest


def _last_assignment(drafts: list[Draft]) -> tuple[str | None, tuple[str, ...]]:
    for draft in reversed(drafts):
        if draft.action in {"assign", "reassign"}:
            return draft.payload["lead_unit"], tuple(draft.payload["co_units"])
    return None, ()


def _keeps_its_first_lead(story: Story) -> bool:
    """Whether the item stays the work of the unit it is first assigned to (not returned, cancelled or
    reassigned)."""
    return story.status not in {"registered", "returned", "cancelled"} and not story.reassigned


class _Builder:
    def __init__(self, defn: CampaignDefinition, *, today: date, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 — reproducible demo data, not secrets
        self.today = today
        self.picker = UnitPicker(defn, self.rng)
        self.writer = _Texts(self.rng, defn, self.picker)
        self.window_start = _window_start(defn, today)
        self.alone: set[str] = set()  # units that lead an item with no co-unit

    def _lead_and_co_unit_count(self, story: Story, category: str) -> tuple[str, int]:
        """The story's lead unit if the campaign has it; else, while some unit leads no item of its own (without
        co-units) yet, the first of those, alone, so that every unit's clerk finds work that is their unit's
        only; else one drawn for the item's area."""
        rng, picker = self.rng, self.picker
        drawn = max(story.min_co_units, rng.choices(CO_UNIT_COUNTS, weights=CO_UNIT_WEIGHTS)[0])
        count = drawn if story.co_units is None else story.co_units
        if story.lead in picker.workers:
            return story.lead, count
        waiting = [unit for unit in picker.workers if unit not in self.alone]
        if waiting and story.co_units is None and story.min_co_units == 0 and _keeps_its_first_lead(story):
            return waiting[0], 0
        return picker.lead(category), count

    def _times(self, story: Story, drafts: list[Draft], *, start: date) -> list[datetime]:
        """The steps' moments; an item whose notice is due was assigned before its deadline (`notice_deadline`),
        and its later steps come on the days after that."""
        if story.notice is None:
            return sample_times(self.rng, len(drafts), start=start, today=self.today)
        assigned = max(i for i, draft in enumerate(drafts) if draft.action in {"assign", "reassign"}) + 1
        before = sample_times(self.rng, assigned, start=start, today=notice_deadline(story.notice, self.today))
        after = before[-1].astimezone(BUSINESS_TZ).date() + timedelta(days=1)
        return before + sample_times(self.rng, len(drafts) - assigned, start=after, today=self.today)

    def item(self, story: Story) -> DemoItem:
        rng, picker = self.rng, self.picker
        source = story.source or random_source(rng)
        category = rng.choice(self.writer.categories)
        topic, city = self.writer.problem(category, force_city=source == "public")
        lead, count = self._lead_and_co_unit_count(story, category)
        new_lead = picker.lead(category, other_than=lead)
        co_units = [unit for unit in picker.co_units(lead, count) if unit != new_lead or not story.reassigned]
        drafts = plan(story, rng, lead=lead, co_units=co_units, new_lead=new_lead)
        requirements = rng.choice(texts.REQUIREMENTS)
        create = {"title": topic.title, "description": topic.description, "kind": "problem", "source": source}
        create |= {"category": category, "cause": topic.cause, "measures": topic.measures}
        drafts[0].payload.update(create | ({"city": city} if city else {}))
        for draft in drafts:
            if draft.action in {"assign", "reassign"}:
                draft.payload["requirements"] = requirements
        if source == "public" and story.status == "closed":
            satisfied = rng.random() < 0.8
            rating = rng.randint(4, 5) if satisfied else rng.randint(1, 2)
            drafts.append(Draft("feedback", "public", {"satisfied": satisfied, "rating": rating}))
        low, high = OVERDUE_SPAN if story.overdue or story.notice else SPANS[story.status]
        start = max(self.window_start, self.today - timedelta(days=rng.randint(low, high)))
        times = self._times(story, drafts, start=start)
        dates = [moment.astimezone(BUSINESS_TZ).date() for moment in times]
        deadline, original = fill_deadlines(story, drafts, dates, rng, today=self.today)
        fill_progress(drafts, rng)
        final_lead, final_co_units = _last_assignment(drafts)
        if final_lead is not None and not final_co_units and _keeps_its_first_lead(story):
            self.alone.add(final_lead)
        return DemoItem(
            title=topic.title,
            description=topic.description,
            cause=topic.cause,
            measures=topic.measures,
            requirements=requirements,
            category=category,
            source=source,
            city=city,
            lead_unit=final_lead,
            co_units=final_co_units,
            status=story.status,
            deadline=deadline,
            original_deadline=original,
            submission=self.writer.submission(topic, city, times[0]) if source == "public" else None,
            steps=tuple(DemoStep(d.action, d.actor, at, d.payload) for d, at in zip(drafts, times, strict=True)),
        )


def generate_items(defn: CampaignDefinition, *, count: int, today: date, seed: int = 2017) -> list[DemoItem]:
    """`count` problem items with their steps, ordered by creation, all steps before `today` (Asia/Shanghai).

    The first items follow `FORCED_STORIES`, so any count of at least that many has, on any day, every status
    and every twist (overdue, extensions approved and denied, reopened, urged, returned and reassigned,
    co-units, closed on the deadline day, public with feedback) and the numbered notices and the work the
    system tests and browser journeys start from; the rest are random with realistic weights. Until every unit
    leads an item of its own (without co-units), an item free to go to any unit goes to the first that does not.
    """
    builder = _Builder(defn, today=today, seed=seed)
    stories = (FORCED_STORIES[i] if i < len(FORCED_STORIES) else random_story(builder.rng) for i in range(count))
    items = [builder.item(story) for story in stories]
    return sorted(items, key=lambda item: item.created_at)


class _BulkTables:
    """Weighted choices expanded into flat lists, and day starts precomputed: a million rows in reasonable time."""

    def __init__(self, defn: CampaignDefinition, rng: random.Random, picker: UnitPicker, *, today: date) -> None:
        self.statuses = [status for status, weight in STATUS_WEIGHTS.items() for _ in range(weight)]
        self.sources = [source for source, weight in SOURCE_WEIGHTS.items() for _ in range(weight)]
        self.co_counts = [n for n, weight in zip(CO_UNIT_COUNTS, CO_UNIT_WEIGHTS, strict=True) for _ in range(weight)]
        self.leads = {
            category: [code for code, weight in zip(*picker.weights[category], strict=True) for _ in range(weight)]
            for category in picker.weights
        }
        self.workers = picker.workers
        self.window = max(2, (today - _window_start(defn, today)).days)
        # 9:00 in Asia/Shanghai of the day `age` days before today, as UTC.
        self.day_starts = [business_moment(today - timedelta(days=age), 0) for age in range(self.window + 1)]
        writer = _Texts(rng, defn, picker)
        self.categories = writer.categories
        # A pool of rendered texts per area keeps the rows cheap.
        self.topics = {code: [writer.problem(code, force_city=False) for _ in range(40)] for code in self.categories}


def _pick(rng: random.Random, values: list[Any]) -> Any:
    return values[int(rng.random() * len(values))]


def _bulk_row(tables: _BulkTables, rng: random.Random, *, status: str, category: str) -> dict[str, Any]:
    """Dates and units of a bulk row, consistent with its status: assigned after created, ended before today."""
    minute = timedelta(minutes=1)
    age = rng.randint(2, tables.window)
    created_at = tables.day_starts[age] + rng.randrange(WORKING_MINUTES) * minute
    row: dict[str, Any] = {"created_at": created_at, "assigned_at": None, "closed_at": None, "cancelled_at": None}
    row |= {"deadline": None, "original_deadline": None, "lead_unit": None, "co_units": []}
    if status == "registered":
        return row
    assigned_age = age - rng.randint(0, min(3, age - 1))
    assigned_at = max(created_at, tables.day_starts[assigned_age] + rng.randrange(WORKING_MINUTES) * minute)
    row["assigned_at"] = assigned_at = assigned_at + 30 * minute
    deadline = (assigned_at + timedelta(days=rng.randint(10, 60))).date()
    row["original_deadline"] = deadline
    row["deadline"] = deadline + timedelta(days=rng.randint(5, 20)) if rng.random() < 0.15 else deadline
    if status in {"closed", "cancelled"}:
        ended_age = rng.randint(1, max(1, assigned_age - 1))
        ended_at = tables.day_starts[ended_age] + rng.randrange(WORKING_MINUTES) * minute
        row[f"{status}_at"] = max(ended_at, assigned_at + 30 * minute)
    lead = _pick(rng, tables.leads.get(category, tables.workers))
    count = _pick(rng, tables.co_counts)
    row["lead_unit"] = lead
    row["co_units"] = rng.sample([u for u in tables.workers if u != lead], count) if count else []
    return row


def iter_bulk_rows(defn: CampaignDefinition, *, count: int, today: date, seed: int = 2017) -> Iterator[dict[str, Any]]:
    """Final-state issue rows (no steps) for benchmarks, streamed one at a time (100,000 to 1,000,000 items).

    Each row has the ledger item's fields: code (`YS-2017-0001`), kind, source, category (code), title,
    description, cause, measures, requirements, lead_unit and co_units (codes), city, status, deadline,
    original_deadline, progress_percent, reopen_count, created_at, assigned_at, closed_at, cancelled_at.
    Dates come from the same window as `generate_items`; rows are not replayed through the workflow.
    """
    rng = random.Random(seed)  # noqa: S311 — reproducible benchmark data, not secrets
    tables = _BulkTables(defn, rng, UnitPicker(defn, rng), today=today)
    prefix = f"{defn.campaign.code}-{defn.campaign.starts_on.year}-"
    for number in range(1, count + 1):
        category = _pick(rng, tables.categories)
        topic, city = _pick(rng, tables.topics[category])
        status = _pick(rng, tables.statuses)
        row = _bulk_row(tables, rng, status=status, category=category)
        row |= {
            "code": f"{prefix}{number:04d}",
            "kind": "problem",
            "source": _pick(rng, tables.sources),
            "category": category,
            "title": topic.title,
            "description": topic.description,
            "cause": topic.cause,
            "measures": topic.measures,
            "requirements": texts.REQUIREMENTS[number % len(texts.REQUIREMENTS)] if row["lead_unit"] else None,
            "city": city,
            "status": status,
            "progress_percent": _BULK_PERCENT.get(status, 0) if status != "in_progress" else rng.randrange(5, 96, 5),
            "reopen_count": 1 if status in {"in_progress", "closed"} and rng.random() < 0.03 else 0,
        }
        yield row
