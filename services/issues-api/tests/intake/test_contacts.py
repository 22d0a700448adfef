"""Contacts: every staff read is in the audit log; the feed shows them only to readers with contacts:read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from issues_api.events.models import events

from .conftest import Intake


async def contact_reads(intake: Intake) -> list[Any]:
    async with intake.app.state.database.session(write=False) as session:
        query = select(events.c.subject_id, events.c.actor, events.c.data).where(events.c.type == "contact.read")
        return list((await session.execute(query)).all())


class TestAuditedReads:
    async def test_a_list_with_contacts_records_who_read_whose(self, intake: Intake) -> None:
        await intake.submit()
        await intake.submit(contact_phone=None, contact_email=None, contact_name=None, content="匿名反映")
        listed = await intake.client.get("/api/v1/intake", headers=intake.tokens.office())
        assert listed.status_code == 200
        with_contact = [i for i in listed.json()["items"] if i["has_contact"]]
        assert [i["contact_phone"] for i in with_contact] == ["139-1234-5678"]
        [read] = await contact_reads(intake)
        assert read.subject_id == with_contact[0]["id"]
        assert read.actor["username"] == "office"
        assert read.data == {
            "submission_id": with_contact[0]["id"],
            "fields": ["contact_name", "contact_phone", "contact_email"],
            "via": "list",
        }
        assert "139-1234-5678" not in str(read.data)

    async def test_a_list_without_contacts_shows_none_and_records_nothing(self, intake: Intake) -> None:
        await intake.submit()
        listed = await intake.client.get("/api/v1/intake?contacts=false", headers=intake.tokens.office())
        item = listed.json()["items"][0]
        assert (item["contact_name"], item["contact_phone"], item["contact_email"]) == (None, None, None)
        assert item["has_contact"] is True
        assert await contact_reads(intake) == []

    async def test_the_contact_endpoint_answers_them_and_is_audited(self, intake: Intake) -> None:
        await intake.submit(notify_by="sms")
        submission_id = (await intake.ids())[0]
        answer = await intake.client.get(f"/api/v1/intake/{submission_id}/contact", headers=intake.tokens.admin())
        assert answer.json() == {
            "contact_name": "王小明",
            "contact_phone": "139-1234-5678",
            "contact_email": "wang@example.cn",
            "notify_by": "sms",
        }
        [read] = await contact_reads(intake)
        assert (read.actor["username"], read.data["via"]) == ("admin", "contact")

    async def test_unit_users_read_no_contacts(self, intake: Intake) -> None:
        await intake.submit()
        submission_id = (await intake.ids())[0]
        unit = intake.tokens.user("unit", unit_id="u1")
        assert (await intake.client.get(f"/api/v1/intake/{submission_id}/contact", headers=unit)).status_code == 403
        assert await contact_reads(intake) == []


class TestFeedRedaction:
    async def feed(self, intake: Intake, headers: Any) -> list[dict[str, Any]]:
        answer = await intake.client.get("/api/v1/events?after=0", headers=headers)
        assert answer.status_code == 200, answer.text
        return list(answer.json()["events"])

    async def test_a_reader_without_contacts_read_gets_no_submitter(self, intake: Intake) -> None:
        await intake.submit(notify_by="sms")
        [event] = await self.feed(intake, intake.tokens.client("events:read"))
        assert event["type"] == "intake.submitted"
        assert "submitter" not in event["data"]
        assert event["data"]["intake"]["title"] == "审批材料重复提交"

    async def test_a_reader_with_contacts_read_gets_it(self, intake: Intake) -> None:
        code = await intake.submit(notify_by="sms")
        [event] = await self.feed(intake, intake.tokens.client("events:read contacts:read"))
        assert event["data"]["submitter"]["tracking_code"] == code
        assert event["data"]["submitter"]["notify_by"] == "sms"

    async def test_an_admin_sees_the_contact_reads_but_no_contacts(self, intake: Intake) -> None:
        await intake.submit()
        await intake.client.get("/api/v1/intake", headers=intake.tokens.office())
        admin = await self.feed(intake, intake.tokens.admin())
        assert [e["type"] for e in admin] == ["intake.submitted", "contact.read"]
        assert "submitter" not in admin[0]["data"]
        client = await self.feed(intake, intake.tokens.client("events:read contacts:read"))
        assert [e["type"] for e in client] == ["intake.submitted"]
