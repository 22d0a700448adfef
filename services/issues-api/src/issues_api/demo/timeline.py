"""When a demo item's steps happen, and the deadlines and progress percents that follow from those times.

Steps fall on working days of the official calendar (`rectify_kit.workdays`: no step on National Day, one
on a make-up Saturday may) in business hours, Asia/Shanghai, strictly before `today` (so a demo loaded at any
hour never holds a step from the future).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from issues_api.demo import texts
from issues_api.demo.plan import Draft
from issues_api.demo.stories import WITH_DEADLINE_OPEN, Story
from rectify_kit.clock import BUSINESS_TZ
from rectify_kit.workdays import WorkCalendar, add_working_days, official_calendar

DAY_START = time(9, 0)
WORKING_MINUTES = 8 * 60 + 30  # 9:00 to 17:30
# Working days after the deadline at which the default escalation policy (notify-api's) fires each numbered
# notice: 督办 (level 2) at T+3, 通报 (3) at T+5; the step after each (T+5, 约谈 at T+10) comes two or more
# working days later.
NOTICE_STEPS = {2: 3, 3: 5}


def business_moment(day: date, minute: int) -> datetime:
    """`minute` minutes after 9:00 on `day` in Asia/Shanghai, as an aware UTC datetime."""
    local = datetime.combine(day, DAY_START, tzinfo=BUSINESS_TZ) + timedelta(minutes=minute)
    return local.astimezone(UTC)


@cache
def _calendar() -> WorkCalendar:
    """The official schedule (issues-api keeps no overrides of its own: a demo needs none)."""
    return official_calendar()


def working_days(start: date, end: date) -> list[date]:
    calendar = _calendar()
    return [
        start + timedelta(days=n)
        for n in range((end - start).days + 1)
        if calendar.is_working(start + timedelta(days=n))
    ]


def sample_times(rng: random.Random, count: int, *, start: date, today: date) -> list[datetime]:
    """`count` strictly increasing business moments on working days from `start` up to the day before `today`."""
    days = working_days(start, today - timedelta(days=1))
    while not days:
        start -= timedelta(days=1)
        days = working_days(start, today - timedelta(days=1))
    picks = sorted((rng.choice(days), rng.randrange(WORKING_MINUTES)) for _ in range(count))
    for i in range(1, len(picks)):
        (day, minute), (prev_day, prev_minute) = picks[i], picks[i - 1]
        if day == prev_day and minute <= prev_minute:
            picks[i] = (day, prev_minute + 1)  # same-day collisions move a minute on
    return [business_moment(day, minute) for day, minute in picks]


def notice_deadline(level: int, today: date) -> date:
    """The deadline whose level-`level` notice step fell due on the last working day before `today` and whose
    next step falls due after `today`: whatever the hour notify-api reads the demo at (its steps fire at a
    fixed hour), and on a holiday too, that notice is the highest step due, and only it fires."""
    last_working_day = add_working_days(today, -1, _calendar())
    return add_working_days(last_working_day, -NOTICE_STEPS[level], _calendar())


def _indices(drafts: list[Draft], *actions: str) -> list[int]:
    return [i for i, d in enumerate(drafts) if d.action in actions]


def _final_deadline(
    story: Story, drafts: list[Draft], dates: list[date], rng: random.Random, *, lower: date, today: date
) -> date:
    """The deadline in force at the end, placed so the story holds (overdue, on time, late, on the day, a
    notice due)."""
    if story.notice is not None:
        return notice_deadline(story.notice, today)
    if story.status == "closed":
        closed_on = dates[_indices(drafts, "close")[-1]]
        if story.on_deadline_day:
            return closed_on
        if story.late and lower < closed_on:
            return lower + timedelta(days=rng.randint(0, (closed_on - lower).days - 1))
        return closed_on + timedelta(days=rng.randint(0, 25))
    if story.status in WITH_DEADLINE_OPEN:
        if story.overdue:
            return lower + timedelta(days=rng.randint(0, (today - timedelta(days=1) - lower).days))
        return today + timedelta(days=rng.randint(0, 40))
    return lower + timedelta(days=rng.randint(10, 40))


def fill_deadlines(
    story: Story, drafts: list[Draft], dates: list[date], rng: random.Random, *, today: date
) -> tuple[date | None, date | None]:
    """Write deadlines into the assign, reassign and extension steps; return (deadline in force, first deadline).

    `dates` are the business dates of the steps. An approved extension that cannot fit after the last
    assignment is turned into a denied one.
    """
    assigns = _indices(drafts, "assign", "reassign")
    if not assigns:
        return None, None
    last_assign = dates[assigns[-1]]
    requests, decisions = _indices(drafts, "request_extension"), _indices(drafts, "decide_extension")
    approved = bool(decisions) and bool(drafts[decisions[0]].payload["approved"])
    lower = max(last_assign, dates[requests[0]]) if approved else last_assign
    final = _final_deadline(story, drafts, dates, rng, lower=lower, today=today)
    base = final
    if approved:
        extension_days = min(rng.randint(7, 30), (final - last_assign).days)
        if extension_days < 1:
            approved = False
            drafts[decisions[0]].payload.update(approved=False, comment=rng.choice(texts.EXTENSION_DENIED))
        else:
            base = final - timedelta(days=extension_days)
            drafts[requests[0]].payload["new_deadline"] = final.isoformat()
    if requests and not approved:
        asked = max(base, dates[requests[0]]) + timedelta(days=rng.randint(5, 20))
        drafts[requests[0]].payload["new_deadline"] = asked.isoformat()
    first = base
    if len(assigns) > 1:
        first = max(dates[assigns[0]] + timedelta(days=7), base - timedelta(days=rng.randint(0, 10)))
    drafts[assigns[0]].payload["deadline"] = first.isoformat()
    for index in assigns[1:]:
        drafts[index].payload["deadline"] = base.isoformat()
    return final, first


def fill_progress(drafts: list[Draft], rng: random.Random) -> int:
    """Give the progress reports rising percents and matching texts; return the last percent (0 if none)."""
    reports = _indices(drafts, "progress")
    percents = sorted(rng.sample(range(10, 96, 5), len(reports)))
    for index, percent in zip(reports, percents, strict=True):
        stage = min(len(texts.PROGRESS) - 1, percent * len(texts.PROGRESS) // 100)
        drafts[index].payload.update(content=texts.PROGRESS[stage], percent=percent)
    return percents[-1] if percents else 0
