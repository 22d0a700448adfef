"""How each channel sends one delivery: SMTP, signed webhooks, WeCom and DingTalk robots, an SMS gateway."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

import aiosmtplib
import httpx

from notify_api.config import SmtpSettings
from notify_api.delivery.models import Delivery

SIGNATURE_HEADER = "X-Rectify-Signature"
TIMESTAMP_HEADER = "X-Rectify-Timestamp"
DELIVERY_HEADER = "X-Rectify-Delivery"
EVENT_HEADER = "X-Rectify-Event"
# Standard Webhooks (standardwebhooks.com): the message id, the unix time, and `v1,<base64 HMAC-SHA256 of
# "<id>.<timestamp>.<body>">` per valid secret, space-separated.
STANDARD_ID, STANDARD_TIMESTAMP, STANDARD_SIGNATURE = "webhook-id", "webhook-timestamp", "webhook-signature"
STANDARD_PREFIX = "whsec_"


@dataclass(frozen=True)
class SendResult:
    ok: bool
    status_code: int | None = None
    error: str | None = None


class Sender(Protocol):
    async def send(self, delivery: Delivery, secrets: Sequence[str]) -> SendResult:
        """Send one delivery; `secrets` sign it (the current one first, a rotated-out one after it)."""
        ...


def body_bytes(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>`: the receiver checks both, and the age."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signing_key(secret: str) -> bytes:
    """The HMAC key of a secret: `whsec_<base64>` is decoded as Standard Webhooks libraries do; any other secret
    is its UTF-8 bytes (give a Standard Webhooks verifier those bytes, or `whsec_` + their base64)."""
    if secret.startswith(STANDARD_PREFIX):
        return base64.b64decode(secret[len(STANDARD_PREFIX) :] + "==")
    return secret.encode()


def standard_signature(secrets: Sequence[str], message_id: str, timestamp: str, body: bytes) -> str:
    """The `webhook-signature` header: one `v1,<base64>` per secret."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    return " ".join(
        "v1," + base64.b64encode(hmac.new(signing_key(s), signed, hashlib.sha256).digest()).decode() for s in secrets
    )


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """DingTalk robots with 加签: `&timestamp=<ms>&sign=<urlencoded base64 HMAC-SHA256 of "ts\\nsecret">`."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    sign = base64.b64encode(hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()).decode()
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={urllib.parse.quote_plus(sign)}"


def wecom_message(title: str, body: str) -> dict[str, Any]:
    """A WeCom group-robot markdown message."""
    return {"msgtype": "markdown", "markdown": {"content": f"**{title}**\n{body}"}}


def dingtalk_message(title: str, body: str) -> dict[str, Any]:
    """A DingTalk group-robot markdown message."""
    return {"msgtype": "markdown", "markdown": {"title": title, "text": f"#### {title}\n{body}"}}


class EmailSender:
    def __init__(self, smtp: SmtpSettings) -> None:
        self.smtp = smtp

    async def send(self, delivery: Delivery, secrets: Sequence[str]) -> SendResult:
        message = EmailMessage()
        message["From"] = self.smtp.sender
        message["To"] = delivery.target
        message["Subject"] = delivery.subject
        # A stable Message-ID: a resend after a crash is recognisable as the same message.
        message["Message-ID"] = f"<{delivery.id}@rectify>"
        message.set_content(delivery.body)
        try:
            await aiosmtplib.send(
                message,
                hostname=self.smtp.host,
                port=self.smtp.port,
                username=self.smtp.username,
                password=self.smtp.password.get_secret_value() if self.smtp.password else None,
                start_tls=self.smtp.start_tls,
                timeout=self.smtp.timeout_seconds,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            return SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")
        return SendResult(ok=True)


class HttpSender:
    """Webhooks, robots and the SMS gateway: a JSON POST; robots answer `errcode` 0 when they accept. The client
    is the guarded one (`notify_api.outbound`): it connects only to permitted addresses, checked at each send."""

    def __init__(self, http: httpx.AsyncClient, *, timeout: float) -> None:
        self.http = http
        self.timeout = timeout

    async def send(self, delivery: Delivery, secrets: Sequence[str]) -> SendResult:
        """POST the payload; `secrets` sign webhooks and SMS (headers) or a DingTalk URL. A refusal records the
        status only, never what the receiver answered."""
        body = body_bytes(delivery.payload)
        url = delivery.target
        headers = {"Content-Type": "application/json", DELIVERY_HEADER: delivery.id, EVENT_HEADER: delivery.event_type}
        stamp = str(int(time.time()))
        if delivery.channel in ("webhook", "sms") and secrets:
            headers[TIMESTAMP_HEADER] = stamp
            headers[SIGNATURE_HEADER] = webhook_signature(secrets[0], stamp, body)
            headers[STANDARD_ID], headers[STANDARD_TIMESTAMP] = delivery.id, stamp
            headers[STANDARD_SIGNATURE] = standard_signature(secrets, delivery.id, stamp, body)
        if delivery.channel == "dingtalk" and secrets:
            url = dingtalk_signed_url(url, secrets[0], int(time.time() * 1000))
        try:
            response = await self.http.post(url, content=body, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            return SendResult(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
        if response.status_code >= 300:
            return SendResult(ok=False, status_code=response.status_code, error=f"HTTP {response.status_code}")
        if delivery.channel in ("wecom", "dingtalk"):
            return _robot_answer(response)
        return SendResult(ok=True, status_code=response.status_code)


def _robot_answer(response: httpx.Response) -> SendResult:
    try:
        answer = response.json()
        code = int(answer.get("errcode", -1))
    except (ValueError, TypeError, AttributeError):
        return SendResult(ok=False, status_code=response.status_code, error="robot answered no errcode")
    if code != 0:
        return SendResult(ok=False, status_code=response.status_code, error=f"robot refused: errcode {code}")
    return SendResult(ok=True, status_code=response.status_code)
