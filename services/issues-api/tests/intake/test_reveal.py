"""Their own text back with the last four digits of their phone; a few wrong guesses a day, then refused."""

from __future__ import annotations

from datetime import timedelta

import httpx

from .conftest import SUBMISSION, Intake


async def reveal(intake: Intake, code: str, tail: str) -> httpx.Response:
    return await intake.client.post(f"/api/v1/public/submissions/{code}/reveal", json={"phone_last4": tail})


class TestReveal:
    async def test_the_right_digits_show_the_whole_submission_but_no_contact(self, intake: Intake) -> None:
        code = await intake.submit()
        answer = await reveal(intake, code, "5678")
        assert answer.status_code == 200
        body = answer.json()
        assert (body["content"], body["enterprise_name"]) == (SUBMISSION["content"], SUBMISSION["enterprise_name"])
        assert not {"contact_phone", "contact_email", "contact_name"} & set(body)
        assert "5678" not in answer.text

    async def test_without_them_the_page_shows_only_the_public_part(self, intake: Intake) -> None:
        code = await intake.submit()
        page = await intake.page(code)
        assert SUBMISSION["content"] not in str(page)
        assert SUBMISSION["enterprise_name"] not in str(page)

    async def test_wrong_digits_are_403_and_counted_then_429_even_for_the_right_ones(self, intake: Intake) -> None:
        code = await intake.submit()
        for left in (4, 3, 2, 1, 0):
            wrong = await reveal(intake, code, "0000")
            assert wrong.status_code == 403
            assert wrong.json()["code"] == "reveal-refused"
            assert wrong.json()["tries_left"] == left
        locked = await reveal(intake, code, "5678")
        assert locked.status_code == 429
        assert int(locked.headers["retry-after"]) > 0
        intake.clock.advance(timedelta(hours=24, seconds=1))
        assert (await reveal(intake, code, "5678")).status_code == 200

    async def test_a_submission_without_a_phone_refuses_every_guess(self, intake: Intake) -> None:
        code = await intake.submit(contact_phone=None)
        assert (await reveal(intake, code, "0000")).status_code == 403

    async def test_an_unknown_code_is_404_and_a_malformed_tail_422(self, intake: Intake) -> None:
        code = await intake.submit()
        assert (await reveal(intake, "AAAA-BBBB-CCCC-DDDD", "5678")).status_code == 404
        assert (await reveal(intake, code, "56")).status_code == 422
