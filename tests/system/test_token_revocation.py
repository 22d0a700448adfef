"""Every service ends a token the account no longer stands behind, not only the issuer: a user's changed password
and an integration client's rotated secret or deactivation reach notify-api and report-api through the feed, and
each of the three refuses the old token (401 `invalid-token`) soon after, through the gateway."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from rectify_stack import Stack, eventually, login

pytestmark = pytest.mark.usefixtures("main_stack")

# One read per service that the caller may make: issues-api, notify-api, report-api.
USER_READS = ("/api/v1/auth/me", "/api/v1/notifications/unread-count", "/api/v1/reports/summary")
CLIENT_SCOPES = ["events:read", "webhooks:manage", "reports:read"]
CLIENT_READS = ("/api/v1/events?after=0&limit=1&wait=0", "/api/v1/webhooks", "/api/v1/reports/summary")
# Feeds and account checks (AUTH__ACCOUNT_RECHECK_SECONDS) are asynchronous: this is a bound, not a wait.
WITHIN = 90.0


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def statuses(http: httpx.Client, paths: tuple[str, ...], token: str) -> list[int]:
    return [http.get(path, headers=bearer(token)).status_code for path in paths]


def refused_everywhere(http: httpx.Client, paths: tuple[str, ...], token: str) -> bool:
    answers = [http.get(path, headers=bearer(token)) for path in paths]
    return all(a.status_code == 401 and a.json()["code"] == "invalid-token" for a in answers)


def client_token(http: httpx.Client, client_id: str, secret: str) -> str:
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    answer = http.post("/api/v1/auth/token", data=form)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


class TestTokenRevocation:
    def test_a_changed_password_ends_the_old_token_in_every_service(self, main_stack: Stack) -> None:
        with httpx.Client(base_url=main_stack.gateway, timeout=30) as http:
            admin = login(http, "admin")
            username, password = f"revoke-{uuid.uuid4().hex[:6]}", "first-password-1"
            body = {"username": username, "display_name": "令牌测试", "role": "leader", "password": password}
            created = http.post("/api/v1/users", json=body, headers=admin)
            assert created.status_code == 201, created.text
            user_id = created.json()["id"]

            def sign_in(secret: str) -> str:
                answer = http.post("/api/v1/auth/token", data={"username": username, "password": secret})
                assert answer.status_code == 200, answer.text
                http.cookies.clear()
                return str(answer.json()["access_token"])

            old = sign_in(password)
            eventually(lambda: statuses(http, USER_READS, old) == [200, 200, 200], timeout=WITHIN)
            time.sleep(1.1)  # `iat` has whole seconds: a token of the very second of the change still counts
            etag = http.get(f"/api/v1/users/{user_id}", headers=admin).headers["etag"]
            changed = http.patch(
                f"/api/v1/users/{user_id}",
                json={"password": "second-password-2"},
                headers={**admin, "If-Match": etag},
            )
            assert changed.status_code == 200, changed.text

            eventually(lambda: refused_everywhere(http, USER_READS, old), timeout=WITHIN)
            new = sign_in("second-password-2")
            assert statuses(http, USER_READS, new) == [200, 200, 200]

    @pytest.mark.parametrize("change", [{"rotate_secret": True}, {"active": False}])
    def test_a_rotated_secret_or_a_deactivation_ends_a_clients_token_in_every_service(
        self, main_stack: Stack, change: dict[str, bool]
    ) -> None:
        with httpx.Client(base_url=main_stack.gateway, timeout=30) as http:
            admin = login(http, "admin")
            client_id = f"revoke-{uuid.uuid4().hex[:8]}"
            body = {"id": client_id, "name": "令牌测试系统", "scopes": CLIENT_SCOPES}
            created = http.post("/api/v1/clients", json=body, headers=admin)
            assert created.status_code == 201, created.text
            old = client_token(http, client_id, created.json()["client_secret"])
            eventually(lambda: statuses(http, CLIENT_READS, old) == [200, 200, 200], timeout=WITHIN)
            time.sleep(1.1)
            changed = http.patch(f"/api/v1/clients/{client_id}", json=change, headers=admin)
            assert changed.status_code == 200, changed.text

            eventually(lambda: refused_everywhere(http, CLIENT_READS, old), timeout=WITHIN)
            if "rotate_secret" in change:
                new = client_token(http, client_id, changed.json()["client_secret"])
                assert statuses(http, CLIENT_READS, new) == [200, 200, 200]
