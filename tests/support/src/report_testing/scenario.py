"""The known event history the figure tests assert against (see test_figures.py for the expected numbers)."""

from __future__ import annotations

from dataclasses import dataclass

from rectify_kit.db import Database
from report_api.readmodel.feeds import escalations_consumer, issues_consumer
from report_testing.history import Feed, IssueStory, appeal_event, campaign_event, escalation_event, unit_event
from report_testing.rebuild import NoSource

CAMPAIGN = "c0000000-0000-0000-0000-000000000001"
# Ids are UUIDs, as issues-api makes them: the reports answer an id filter of any other shape with a 422.
K1, K2 = "0b100000-0000-4000-8000-000000000001", "0b200000-0000-4000-8000-000000000002"
U1, U2, U3 = (f"0a{i}00000-0000-4000-8000-00000000000{i}" for i in (1, 2, 3))
P1, P2, P3 = (f"0f{i}00000-0000-4000-8000-00000000000{i}" for i in (1, 2, 3))
PHASES = [
    {"id": P1, "code": "ZC", "name": "自查自纠", "starts_on": "2026-08-01", "ends_on": "2026-09-10"},
    {"id": P2, "code": "JZ", "name": "集中整治", "starts_on": "2026-09-11", "ends_on": "2026-11-30"},
    {"id": P3, "code": "GG", "name": "巩固提升", "starts_on": "2026-12-01", "ends_on": "2026-12-31"},
]


@dataclass
class Scenario:
    issues: Feed
    escalations: Feed
    stories: dict[str, IssueStory]


def build() -> Scenario:
    """Seven issues A–G, three units, two categories, three phases (A–C in the first, D, E and G in the second, F in
    none, the third empty); today is 2026-10-09 (after the National Day holiday)."""
    feed, esc = Feed(), Feed()
    unit_event(feed, U1, "KJT-A", "政策法规处")
    unit_event(feed, U2, "KJT-B", "科技合作处")
    unit_event(feed, U3, "KJT-C", "成果转化处")
    campaign_event(feed, CAMPAIGN, {K1: "审批服务", K2: "监管执法"}, PHASES)

    def story(
        name: str, category: str, source: str = "inspection", city: str | None = "130100", phase: str | None = P1
    ) -> IssueStory:
        return IssueStory(
            feed, CAMPAIGN, category_id=category, source=source, city=city, title=f"问题{name}", phase_id=phase
        )

    a, b, c, d = story("A", K1), story("B", K1, "public"), story("C", K1), story("D", K2, phase=P2)
    e, f, g = story("E", K2, city="130200", phase=P2), story("F", K2, "public", phase=None), story("G", K2)
    # A: closed late in the evening of its deadline day (23:00 in Shanghai) - on time. Satisfied.
    a.created("2026-09-01").assigned("2026-09-02", U1, "2026-09-20").accepted("2026-09-03")
    # B: extension approved from 09-15 to 09-30, closed 09-25: on time now, late against the original.
    b.created("2026-09-01").assigned("2026-09-02", U1, "2026-09-15").accepted("2026-09-02")
    # C: led by U2 with U1 as co-unit; closed on time, reopened, closed again late.
    c.created("2026-09-03").assigned("2026-09-03", U2, "2026-09-10", co=(U1,)).accepted("2026-09-04")
    d.created("2026-09-05").assigned("2026-09-05", U2, "2026-09-30")
    e.created("2026-09-10").assigned("2026-09-10", U2, "2026-09-30", co=(U3,)).accepted("2026-09-11")
    g.created("2026-09-15").assigned("2026-09-15", U1, "2026-10-20").returned("2026-09-16")
    a.closed("2026-09-20", hour=15).feedback("2026-09-21", True)
    b.extended("2026-09-14", "2026-09-30").progress("2026-09-20", "已完成大部分", 80).submitted("2026-09-24")
    b.closed("2026-09-25").feedback("2026-09-26", False)
    # B's submitter, not satisfied (rated 2), appeals the office's answer; an appeal on an issue never seen counts
    # nowhere.
    appeal_event(feed, b.id, "2026-09-28")
    appeal_event(feed, "x0000000-0000-0000-0000-000000000000", "2026-09-28")
    c.submitted("2026-09-08").rejected("2026-09-08").submitted("2026-09-09").closed("2026-09-09")
    c.reopened("2026-09-12").closed("2026-09-18")
    d.cancelled("2026-09-07")
    g.phased("2026-09-16", P2)  # G registered in the first phase, moved to the second
    g.reassigned("2026-09-17", U3).returned("2026-09-18").reassigned("2026-09-19", U3).accepted("2026-09-21")
    e.progress("2026-09-29", "推进中", 50)
    f.created("2026-10-08")
    escalation_event(esc, e.id, CAMPAIGN, U2, 1, "2026-10-08")
    escalation_event(esc, e.id, CAMPAIGN, U2, 3, "2026-10-09")
    return Scenario(feed, esc, {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "G": g})


async def apply(database: Database, scenario: Scenario, start: int = 0) -> None:
    """Both feeds from `start` (the issues feed) in one page each, escalations first."""
    await escalations_consumer(database, NoSource()).apply(scenario.escalations.page())
    await issues_consumer(database, NoSource()).apply(scenario.issues.page(start))
