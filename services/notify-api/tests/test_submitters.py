"""The submitter of a public complaint is told, when they agreed to it: by SMS through the SMS gateway (a real
HTTP receiver on loopback) or by e-mail (a real SMTP server on loopback), on acceptance, assignment, each public
reply and closure, with a link to their tracking page; and once, one working day after closure, asked for their
feedback (回访). Without consent nothing is sent, and the contact is never kept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select

from notify_api.config import Settings, SmtpSettings
from notify_api.submitters.models import Submitter
from notify_testing.world import HttpReceiver, Mailbox, World, http_receiver, issue, local
from rectify_kit.db import Database

# On both backends: the follow-ups due are claimed with each dialect's locking (SKIP LOCKED on PostgreSQL).
pytestmark = pytest.mark.both_backends

# a submission id as issues-api makes them (a UUID): the recipient of its messages is "submitter:<id>"
INTAKE = "0f7c2b4e-5d1a-4c3e-9b8f-6a2d1e0c9b7a"
PHONE, MAIL, CODE = "13912345678", "citizen@example.cn", "K7QX-4M2P-9TZB-W3HD"
LINK = f"https://rectify.example.gov.cn/track/{CODE}"


@pytest.fixture
def settings(settings: Settings, smtp_server: tuple[Mailbox, int]) -> Settings:
    """The suite's settings, with the tracking pages' address and a loopback SMTP server."""
    return settings.model_copy(
        update={
            "public_base_url": "https://rectify.example.gov.cn",
            "smtp": SmtpSettings(host="127.0.0.1", port=smtp_server[1], sender="rectify@example.gov.cn"),
        }
    )


@pytest.fixture
def gateway() -> Iterator[HttpReceiver]:
    with http_receiver(status=200) as receiver:
        yield receiver


@pytest.fixture
async def sms(world: World, client: httpx.AsyncClient, gateway: HttpReceiver) -> HttpReceiver:
    body = {"channel": "sms", "enabled": True, "url": gateway.url, "secret": "sms-gateway-secret"}
    assert (await client.put("/api/v1/channels", json=body, headers=world.headers("u-admin"))).status_code == 200
    return gateway


def intake(status: str = "submitted", issue_id: str | None = None, reply: str | None = None) -> dict[str, Any]:
    return {
        "id": INTAKE,
        "status": status,
        "title": "高企认定材料反复补正",
        "category_id": None,
        "city": None,
        "issue_id": issue_id,
        "public_reply": reply,
    }


def submitter(notify_by: str | None, *, first: bool = True) -> dict[str, Any]:
    """`data.submitter` as issues-api sends it: the tracking code only in `intake.submitted`."""
    return {
        "contact_phone": PHONE,
        "contact_email": MAIL,
        "notify_by": notify_by,
        "tracking_code": CODE if first else None,
    }


async def drain(world: World) -> None:
    while await world.runtime.worker.run_once():
        pass


async def walk_to_closure(world: World, notify_by: str | None, *, one_page: bool = False) -> None:
    """Submitted, accepted into issue-1, assigned to 处室A, answered in public, closed (Monday 21 September); an
    event a page, or all in `one_page` (the submission followed by the issue within the page)."""
    accepted = {"intake": intake("accepted", "issue-1"), "submitter": submitter(notify_by, first=False)}
    reply = {"id": "r1", "content": "已协调科技厅简化材料。", "created_at": world.clock.now().isoformat()}
    walk = [
        world.event("intake.submitted", INTAKE, {"intake": intake(), "submitter": submitter(notify_by)}),
        world.event("intake.accepted", INTAKE, accepted),
        world.event("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 10, 30))}),
        world.event("issue.public_replied", "issue-1", {"issue": issue(status="in_progress"), "reply": reply}),
        world.event("issue.closed", "issue-1", {"issue": issue(status="closed"), "comment": None}),
    ]
    for page in [walk] if one_page else [[item] for item in walk]:
        await world.feed_page(page)
    await drain(world)


def texts(gateway: HttpReceiver) -> list[str]:
    assert all(json.loads(r.body)["phone"] == PHONE for r in gateway.received)
    return [json.loads(r.body)["text"] for r in gateway.received]


class TestBySms:
    async def test_each_change_is_told_with_the_tracking_link(self, world: World, sms: HttpReceiver) -> None:
        await walk_to_closure(world, "sms")
        told = texts(sms)
        assert len(told) == 4  # accepted, assigned, the reply, closed
        assert all(LINK in text for text in told)
        for said in ("已受理", "已交处室A办理，预计 2026-10-30 前办结", "有新的答复：已协调科技厅简化材料。", "已办结"):
            assert sum(said in text for text in told) == 1, said
        assert all("X-Rectify-Signature" in r.headers and "webhook-signature" in r.headers for r in sms.received)

    async def test_a_page_that_links_the_submission_tells_the_same(self, world: World, sms: HttpReceiver) -> None:
        """A page reads the submitters only for the issues they follow: one the page's own intake event links
        is followed from that event on."""
        await walk_to_closure(world, "sms", one_page=True)
        told = texts(sms)
        assert len(told) == 4
        for said in ("已受理", "已交处室A办理，预计 2026-10-30 前办结", "有新的答复：已协调科技厅简化材料。", "已办结"):
            assert sum(said in text for text in told) == 1, said

    async def test_a_reply_on_the_submission_itself_is_told_too(self, world: World, sms: HttpReceiver) -> None:
        """The office's 公开答复 on the submission (intake.replied), not only those on its issue."""
        await world.feed("intake.submitted", INTAKE, {"intake": intake(), "submitter": submitter("sms")})
        replied = {
            "intake": intake(reply="请补充企业名称以便核实。"),
            "submitter": submitter("sms", first=False),
        }
        await world.feed("intake.replied", INTAKE, replied)
        await drain(world)
        [told] = texts(sms)
        assert "有新的答复：请补充企业名称以便核实" in told
        assert LINK in told

    async def test_the_feedback_request_goes_out_one_working_day_after_closure_once(
        self, world: World, sms: HttpReceiver
    ) -> None:
        await walk_to_closure(world, "sms")  # closed on Monday 21 September at 10:00
        world.clock.set(local(2026, 9, 22, 8, 59).astimezone(UTC))
        await world.tick()
        await drain(world)
        assert len(sms.received) == 4
        world.clock.set(local(2026, 9, 22, 9).astimezone(UTC))
        await world.tick()
        await drain(world)
        [feedback] = [text for text in texts(sms) if text.startswith("【回访】")]
        assert LINK in feedback
        world.clock.set(local(2026, 9, 24, 9).astimezone(UTC))
        await world.tick()
        await drain(world)
        assert len(sms.received) == 5

    async def test_a_reopening_before_the_request_withdraws_it(self, world: World, sms: HttpReceiver) -> None:
        await walk_to_closure(world, "sms")
        await world.feed(
            "issue.reopened", "issue-1", {"issue": issue(status="in_progress", reopen_count=1), "reason": "复查"}
        )
        world.clock.set(local(2026, 9, 23, 9).astimezone(UTC))
        await world.tick()
        await drain(world)
        assert not any(text.startswith("【回访】") for text in texts(sms))


class TestByEmail:
    async def test_each_change_is_an_email_with_the_link_and_the_feedback_request_follows(
        self, world: World, smtp_server: tuple[Mailbox, int]
    ) -> None:
        mailbox, _ = smtp_server
        await walk_to_closure(world, "email")
        world.clock.set(local(2026, 9, 22, 9).astimezone(UTC))  # the next working day, 09:00
        await world.tick()
        await drain(world)
        mine = [
            (to, subject, body)
            for (to, subject, _), body in zip(mailbox.messages, mailbox.bodies, strict=True)
            if to == [MAIL]
        ]
        assert [subject for _, subject, _ in mine] == ["【整改台账】"] * 4 + ["【回访】"]
        assert all(LINK in body for _, _, body in mine)


class TestWithoutConsent:
    async def test_nothing_is_sent_and_no_contact_is_kept(
        self, world: World, sms: HttpReceiver, smtp_server: tuple[Mailbox, int]
    ) -> None:
        await walk_to_closure(world, None)
        world.clock.set(local(2026, 9, 22, 9).astimezone(UTC))
        await world.tick()
        await drain(world)
        assert sms.received == []
        assert all(MAIL not in to for to, _, _ in smtp_server[0].messages)
        database: Database = world.app.state.database
        async with database.session(write=False) as session:
            assert (await session.execute(select(Submitter))).scalars().all() == []

    async def test_a_feed_without_contacts_tells_no_one(self, world: World, sms: HttpReceiver) -> None:
        """A feed that strips `submitter` (no contacts:read) leaves notify-api nothing to send to."""
        await world.feed("intake.submitted", INTAKE, {"intake": intake()})
        await world.feed("intake.accepted", INTAKE, {"intake": intake("accepted", "issue-1")})
        await world.feed("issue.closed", "issue-1", {"issue": issue(status="closed"), "comment": None})
        await drain(world)
        assert sms.received == []

    async def test_withdrawn_consent_forgets_the_contact(self, world: World, sms: HttpReceiver) -> None:
        await world.feed("intake.submitted", INTAKE, {"intake": intake(), "submitter": submitter("sms")})
        accepted = {"intake": intake("accepted", "issue-1"), "submitter": submitter(None, first=False)}
        await world.feed("intake.accepted", INTAKE, accepted)
        await world.feed("issue.closed", "issue-1", {"issue": issue(status="closed"), "comment": None})
        await drain(world)
        assert sms.received == []


async def test_a_page_reads_the_submitters_once_not_per_event(world: World) -> None:
    """Most issues come from inspections, not the public: a page of their assignments and closures asks once
    which of them submitters follow, instead of once per event."""
    database: Database = world.app.state.database
    asked: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "FROM submitters" in statement:
            asked.append(statement)

    page = [world.event("issue.assigned", f"issue-{n}", {"issue": issue(f"issue-{n}")}) for n in range(1, 4)]
    page += [world.event("issue.closed", f"issue-{n}", {"issue": issue(f"issue-{n}", status="closed")}) for n in (1, 2)]
    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    try:
        await world.feed_page(page)
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", count)
    assert len(asked) == 1
