"""Abuse without friction: one submission per form fill, a honeypot, repeats folded, volume and size capped."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from sqlalchemy import func, select

from issues_api.events.models import events
from issues_api.intake import service
from issues_api.intake.models import Submission
from issues_api.intake.schemas import SubmissionCreate

from .conftest import Intake


async def count(app: FastAPI) -> tuple[int, int]:
    """(submissions, intake events) stored."""
    async with app.state.database.session(write=False) as session:
        submissions = (await session.execute(select(func.count()).select_from(Submission))).scalar_one()
        intake = events.c.type.startswith("intake.")
        written = (await session.execute(select(func.count()).select_from(events).where(intake))).scalar_one()
    return int(submissions), int(written)


class TestIdempotencyKey:
    async def test_a_double_submit_with_one_key_makes_one_submission(self, intake: Intake) -> None:
        first = await intake.send(key="fill-7f3a", title="窗口推诿", content="三次补件仍不受理。")
        second = await intake.send(key="fill-7f3a", title="窗口推诿", content="三次补件仍不受理。")
        assert (first.status_code, second.status_code) == (201, 201)
        assert second.json()["tracking_code"] == first.json()["tracking_code"]
        assert second.headers["idempotent-replayed"] == "true"
        assert await count(intake.app) == (1, 1)

    async def test_the_same_key_with_another_text_is_refused(self, intake: Intake) -> None:
        await intake.send(key="fill-1", title="窗口推诿")
        other = await intake.send(key="fill-1", title="另一件事")
        assert other.status_code == 422
        assert other.json()["code"] == "idempotency-key-reused"
        assert await count(intake.app) == (1, 1)


class TestHoneypot:
    async def test_a_filled_honeypot_looks_accepted_and_keeps_nothing(self, intake: Intake) -> None:
        response = await intake.send(website="http://spam.example")
        assert response.status_code == 201
        code = response.json()["tracking_code"]
        assert len(code) == 19
        assert await count(intake.app) == (0, 0)
        assert (await intake.client.get(f"/api/v1/public/submissions/{code}")).status_code == 404


class TestFolding:
    async def test_the_same_text_from_one_address_within_a_day_gets_the_first_code(self, intake: Intake) -> None:
        code = await intake.submit()
        intake.clock.advance(timedelta(hours=23))
        again = await intake.send(content="  同一份营业执照复印件在三个窗口各交一次。 ")
        assert again.status_code == 201
        assert again.json() == {"tracking_code": code, "folded": True}
        assert await count(intake.app) == (1, 1)

    async def test_another_address_another_text_or_a_day_later_is_a_new_submission(self, intake: Intake) -> None:
        code = await intake.submit()
        elsewhere = await intake.submit(address="198.51.100.20")
        other_text = await intake.submit(content="另一件事：审批超时。")
        intake.clock.advance(timedelta(hours=25))
        next_day = await intake.submit()
        assert len({code, elsewhere, other_text, next_day}) == 4
        assert (await count(intake.app))[0] == 4

    async def test_a_submission_without_an_address_never_folds(self, intake: Intake) -> None:
        async with intake.app.state.database.session() as session:
            data = SubmissionCreate(title="接口提交", content="来自其他系统")
            _, first = await service.submit(session, data=data, clock=intake.clock)
            _, second = await service.submit(session, data=data, clock=intake.clock)
        assert first != second


class TestLimits:
    async def test_an_address_over_its_daily_cap_is_429_and_others_are_not(self, intake: Intake) -> None:
        intake.app.state.settings.intake.per_address_per_day = 2
        await intake.submit(content="第一件")
        await intake.submit(content="第二件")
        third = await intake.send(content="第三件")
        assert third.status_code == 429
        assert third.json()["code"] == "too-many-submissions"
        assert "retry-after" in third.headers
        assert (await intake.send(content="第三件", address="198.51.100.20")).status_code == 201
        # A repeat folds instead of counting.
        assert (await intake.send(content="第一件")).json()["folded"] is True

    async def test_oversized_text_is_refused_and_changes_nothing(self, intake: Intake) -> None:
        for field, size in (("content", 5001), ("title", 201), ("website", 201), ("contact_name", 101)):
            response = await intake.send(**{field: "长" * size})
            assert response.status_code == 422, field
            assert response.json()["errors"][0]["field"] == field
        assert await count(intake.app) == (0, 0)


class TestConsent:
    async def test_notify_by_needs_the_matching_contact(self, intake: Intake) -> None:
        response = await intake.send(notify_by="sms", contact_phone=None)
        assert response.status_code == 422
        assert (await intake.send(notify_by="fax")).status_code == 422

    async def test_consent_and_contacts_go_to_the_submitter_block_only(self, intake: Intake) -> None:
        code = await intake.submit(notify_by="email")
        async with intake.app.state.database.session(write=False) as session:
            data = (await session.execute(select(events.c.data))).scalar_one()
        assert data["submitter"] == {
            "contact_phone": "139-1234-5678",
            "contact_email": "wang@example.cn",
            "notify_by": "email",
            "tracking_code": code,
        }
        assert "notify_by" not in data["intake"]
