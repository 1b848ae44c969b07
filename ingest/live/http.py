"""One small HTTP client for every live source: token auth, pagination by Link header, rate limits honoured.

Tokens go only into the Authorization header: never into a message, a log line or an exception text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

MAX_WAIT = 120.0  # seconds: a longer rate-limit wait is reported with when to try again, not slept through
RETRIES = 4
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


class SyncError(Exception):
    """A live sync cannot go on: a rejected token, a missing permission, a limit that resets too late."""


@dataclass
class Client:
    base_url: str
    token: str
    auth: str = (
        "Bearer"  # "Bearer" (GitHub, GitLab), "Basic" (Jira Cloud: email:token, base64), "" (Linear key)
    )
    sleep: Callable[[float], None] = time.sleep
    waits: list[float] = field(default_factory=list)  # every rate-limit wait, for the report
    timeout: float = 30.0
    _http: httpx.Client | None = None

    def _client(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(
                base_url=self.base_url,
                timeout=self.timeout,
                follow_redirects=True,
                headers={
                    "Authorization": f"{self.auth} {self.token}".strip(),
                    "Accept": "application/json",
                    "User-Agent": "selfreview",
                },
            )
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request, retried after a rate limit (Retry-After, or a reset time) and on 5xx."""
        for attempt in range(RETRIES + 1):
            try:
                response = self._client().request(method, url, **kwargs)
            except httpx.TransportError as exc:
                if attempt == RETRIES:
                    raise SyncError(f"{self.base_url}: no answer ({type(exc).__name__})") from None
                self.sleep(2.0**attempt)
                continue
            wait = rate_limit_wait(response)
            if wait is not None and attempt < RETRIES:
                if wait > MAX_WAIT:
                    raise SyncError(
                        f"{self.base_url}: rate limited for {wait:.0f} s more; run the sync again "
                        "later (it goes on from where it stopped)"
                    )
                self.waits.append(wait)
                self.sleep(wait)
                continue
            if response.status_code >= 500 and attempt < RETRIES:
                self.sleep(2.0**attempt)
                continue
            if response.status_code in (401, 403):
                raise SyncError(
                    f"{self.base_url}: the token was refused ({response.status_code}); check that it "
                    "is valid and can read what is synced"
                )
            if response.status_code >= 400:
                raise SyncError(f"{self.base_url}{response.request.url.path}: HTTP {response.status_code}")
            return response
        raise SyncError(
            f"{self.base_url}: still rate limited after {RETRIES} retries; run the sync again later"
        )

    def get_json(self, url: str, params: dict[str, Any] | None = None) -> Any:
        return self.request("GET", url, params=params).json()

    def post_json(self, url: str, body: dict[str, Any]) -> Any:
        return self.request("POST", url, json=body).json()

    def pages(self, url: str, params: dict[str, Any] | None = None, limit: int = 100) -> Iterator[Any]:
        """Every page's JSON, following `Link: <...>; rel="next"` (GitHub, GitLab)."""
        next_url: str | None = url
        for _ in range(limit):
            if next_url is None:
                return
            response = self.request("GET", next_url, params=params)
            params = None  # the next link carries the query
            yield response.json()
            match = _NEXT.search(response.headers.get("link", ""))
            next_url = match.group(1) if match else None


def rate_limit_wait(response: httpx.Response, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait before retrying, when the answer is a rate limit; None otherwise.

    A 429 (GitHub, GitLab, Jira Cloud), GitHub's 403 with no requests remaining, or Linear's GraphQL error
    RATELIMITED; the wait is Retry-After, else the reset time: epoch seconds (GitHub's `X-RateLimit-Reset`,
    GitLab's `RateLimit-Reset`) or milliseconds (Linear's `X-RateLimit-Requests-Reset`)."""
    limited = (
        response.status_code == 429
        or (response.status_code == 403 and response.headers.get("x-ratelimit-remaining") == "0")
        or (response.status_code == 400 and b'"RATELIMITED"' in response.content[:4096])
    )
    if not limited:
        return None
    retry_after = response.headers.get("retry-after", "").strip()
    if retry_after.replace(".", "", 1).isdigit():
        return float(retry_after)
    for name in ("x-ratelimit-reset", "ratelimit-reset", "x-ratelimit-requests-reset"):
        reset = response.headers.get(name, "").strip()
        if reset.isdigit():
            at = int(reset) / 1000 if int(reset) > 10**11 else int(reset)
            return max(0.0, at - now()) + 1
    return 60.0
