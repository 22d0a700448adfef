"""Contacts (name, phone, email) of submitters, as the office reads them: every read is written to the audit
log as a `contact.read` event (subject: the submission), in the transaction of the answer that shows them.

`contact.*` events reach the feed of admins only (no client scope opens them) and carry no contact data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.events.service import record_event
from issues_api.intake.models import Submission
from issues_api.intake.schemas import ContactOut, IntakeOut
from rectify_kit.clock import Clock

CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")
Via = Literal["list", "detail", "contact", "decision"]


def shown(submission: Submission) -> list[str]:
    return [field for field in CONTACT_FIELDS if getattr(submission, field)]


def intake_out(submission: Submission, *, contacts: bool) -> IntakeOut:
    """A submission for the office; without `contacts` its contact fields are null (`has_contact` tells)."""
    out = IntakeOut.model_validate(submission).model_copy(update={"has_contact": bool(shown(submission))})
    if contacts:
        return out
    return out.model_copy(update=dict.fromkeys(CONTACT_FIELDS))


def contact_out(submission: Submission) -> ContactOut:
    return ContactOut.model_validate(submission, from_attributes=True)


async def record_reads(
    session: AsyncSession, *, submissions: Sequence[Submission], via: Via, actor: dict[str, object], clock: Clock
) -> None:
    """One `contact.read` event per submission whose contacts the answer shows (none without contacts)."""
    for submission in submissions:
        fields = shown(submission)
        if fields:
            await record_event(
                session,
                type="contact.read",
                subject_id=submission.id,
                actor=dict(actor),
                data={"submission_id": submission.id, "fields": fields, "via": via},
                clock=clock,
            )
