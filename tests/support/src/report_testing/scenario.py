"""The known event history the figure tests assert against (see test_figures.py for the expected numbers)."""

from __future__ import annotations

from dataclasses import dataclass

from report_testing.history import Feed, IssueStory, appeal_event, campaign_event, escalation_event, unit_event

CAMPAIGN = "c0000000-0000-0000-0000-000000000001"
K1, K2 = "k1000000-0000-0000-0000-000000000001", "k2000000-0000-0000-0000-000000000002"
U1, U2, U3 = (f"u{i}000000-0000-0000-0000-00000000000{i}" for i in (1, 2, 3))


@dataclass
class Scenario:
    issues: Feed
    escalations: Feed
    stories: dict[str, IssueStory]


def build() -> Scenario:
    """Seven issues A–G, three units, two categories; today is 2026-10-09 (after the National Day holiday)."""
    feed, esc = Feed(), Feed()
    unit_event(feed, U1, "KJT-A", "政策法规处")
    unit_event(feed, U2, "KJT-B", "科技合作处")
    unit_event(feed, U3, "KJT-C", "成果转化处")
    campaign_event(feed, CAMPAIGN, {K1: "审批服务", K2: "监管执法"})

    def story(name: str, category: str, source: str = "inspection", city: str | None = "130100") -> IssueStory:
        return IssueStory(feed, CAMPAIGN, category_id=category, source=source, city=city, title=f"问题{name}")

    a, b, c, d = story("A", K1), story("B", K1, "public"), story("C", K1), story("D", K2)
    e, f, g = story("E", K2, city="130200"), story("F", K2, "public"), story("G", K2)
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
    g.reassigned("2026-09-17", U3).returned("2026-09-18").reassigned("2026-09-19", U3).accepted("2026-09-21")
    e.progress("2026-09-29", "推进中", 50)
    f.created("2026-10-08")
    escalation_event(esc, e.id, CAMPAIGN, U2, 1, "2026-10-08")
    escalation_event(esc, e.id, CAMPAIGN, U2, 3, "2026-10-09")
    return Scenario(feed, esc, {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "G": g})
