"""The issues feed over HTTP, with the client secret read when first needed (issues-api writes it on its
first start, possibly after notify-api started)."""

from __future__ import annotations

import httpx

from notify_api.config import Settings
from rectify_kit.consumer import ClientCredentials, FetchedPage, HttpFeedSource


class FeedSecretMissing(RuntimeError):
    pass


class IssuesFeedSource:
    def __init__(self, settings: Settings, *, http: httpx.AsyncClient) -> None:
        self.settings = settings
        self.http = http
        self._source: HttpFeedSource | None = None

    def _connect(self) -> HttpFeedSource:
        secret = self.settings.feed_secret()
        if secret is None:
            raise FeedSecretMissing(f"no secret for feed client {self.settings.feed_client_id} yet")
        base = self.settings.issues_url.rstrip("/")
        credentials = ClientCredentials(
            f"{base}/api/v1/auth/token", self.settings.feed_client_id, secret, http=self.http
        )
        return HttpFeedSource(f"{base}/api/v1/events", http=self.http, credentials=credentials)

    async def fetch(self, *, after: int, limit: int, wait: float) -> FetchedPage:
        if self._source is None:
            self._source = self._connect()
        return await self._source.fetch(after=after, limit=limit, wait=wait)
