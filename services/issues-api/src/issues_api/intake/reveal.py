"""Their own text back: the last four digits of the phone number given at submission show the submitter
their whole submission (never the contacts themselves). A few wrong guesses a day per submission, then
refused until the window ends; the gateway limits the route per address too. Nobody enumerates 10,000 tails.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.intake.errors import RevealRefused
from issues_api.intake.models import Submission
from issues_api.intake.schemas import RevealedSubmission
from rectify_kit.clock import Clock
from rectify_kit.errors import ProblemError, TooManyRequests

WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Refusal:
    """A refused reveal: answered as a problem, while the wrong guess it counted is kept."""

    problem: ProblemError


def _tail(phone: str | None) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return digits[-4:] if len(digits) >= 4 else ""


async def reveal(
    session: AsyncSession, *, submission: Submission, phone_last4: str, attempts_per_day: int, clock: Clock
) -> RevealedSubmission | Refusal:
    """The submission's own text when `phone_last4` matches; otherwise a counted refusal (403, then 429)."""
    now = clock.now()
    if submission.reveal_window_at is None or submission.reveal_window_at <= now - WINDOW:
        submission.reveal_window_at, submission.reveal_failures = now, 0
    if submission.reveal_failures >= attempts_per_day:
        wait = int((submission.reveal_window_at + WINDOW - now).total_seconds()) + 1
        return Refusal(
            TooManyRequests(
                "too many wrong guesses for this code today / 今日尝试次数过多", headers={"Retry-After": str(wait)}
            )
        )
    tail = _tail(submission.contact_phone)
    # Compared in constant time; a submission without a phone refuses every guess alike.
    if not tail or not hmac.compare_digest(tail.encode(), phone_last4.encode()):
        submission.reveal_failures += 1
        await session.flush()
        left = attempts_per_day - submission.reveal_failures
        return Refusal(RevealRefused(f"{left} tries left today / 今日还可尝试 {left} 次", tries_left=left))
    return RevealedSubmission.model_validate(submission, from_attributes=True)
