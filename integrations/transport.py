"""HTTP shared by the platform clients: one requests Session per shop,
timeouts on every call, retries with backoff and jitter on retryable errors
only, and request logs with secrets and personal data redacted."""
from __future__ import annotations

import json
import logging
import random
import re
import time
from dataclasses import dataclass
from typing import Any, Callable

import requests

from integrations.base import PlatformError, RateLimited, Unavailable

log = logging.getLogger("integrations")

# Parameter names whose values never reach a log line.
SECRET_KEYS = {"sign", "app_secret", "secret", "client_secret", "access_token", "session", "key",
               "refresh_token", "salt", "customer"}
PERSONAL_KEYS = {"receiver_name", "receiver_mobile", "receiver_phone", "receiver_address", "receiver_tel",
                 "phone", "mobile", "post_receiver", "post_tel", "detail", "address", "name", "buyer_nick"}
_PHONE = re.compile(r"1\d{10}")


def redact(value: Any) -> Any:
    """A copy safe to log: secrets replaced, personal data masked, phone numbers cut."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            lk = str(k).lower()
            if lk in SECRET_KEYS:
                out[k] = "***"
            elif lk in PERSONAL_KEYS and isinstance(v, (str, int)):
                out[k] = "*" * min(len(str(v)), 3)
            elif lk in ("param", "param_json") and isinstance(v, str):
                out[k] = json.dumps(redact(_loads_or(v)), ensure_ascii=False)
            else:
                out[k] = redact(v)
        return out
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return _PHONE.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-4:], value)
    return value


def _loads_or(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


@dataclass
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 0.5  # seconds; doubles each attempt
    max_delay: float = 20.0

    def delay(self, attempt: int, hint: float | None = None) -> float:
        """Full jitter: a random wait up to the exponential ceiling, so many
        workers hitting a limit at once do not come back in step."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** attempt))
        wait = random.uniform(0, ceiling)
        return max(wait, hint or 0.0)


class Transport:
    """Sends one platform call; `decode(response)` raises PlatformError subclasses."""

    def __init__(self, platform: str, timeout: tuple[float, float] = (5.0, 30.0),
                 retry: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep):
        self.platform = platform
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "backoffice-integrations/1"
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self.calls = 0  # HTTP requests sent, retries included (for tests and the bench)

    def call(self, build: Callable[[], dict], decode: Callable[[requests.Response], Any],
             label: str, idempotent: bool = True) -> Any:
        """`build()` returns requests.request kwargs and is called again for
        every attempt, so timestamps and signatures are fresh on retries.

        Writes (idempotent=False) are retried only when the platform surely did
        not act (rate limits); a timeout on a write is left to the outbox,
        which retries it and treats "already done" as delivered."""
        attempt = 0
        while True:
            kwargs = build()
            started = time.monotonic()
            try:
                self.calls += 1
                response = self.session.request(timeout=self.timeout, **kwargs)
                result = decode(response)
                log.debug("%s %s ok in %.0f ms %s", self.platform, label, (time.monotonic() - started) * 1000,
                          redact(kwargs.get("params") or kwargs.get("data") or {}))
                return result
            except requests.Timeout as exc:
                error: PlatformError = Unavailable(f"timed out: {exc.__class__.__name__}", "timeout")
            except requests.ConnectionError as exc:
                error = Unavailable(f"connection failed: {exc.__class__.__name__}", "connection")
            except PlatformError as exc:
                error = exc
            log.warning("%s %s failed (attempt %d): %s", self.platform, label, attempt + 1, error)
            log.debug("%s %s request was %s", self.platform, label, redact(kwargs.get("params") or kwargs.get("data") or {}))
            retry_ok = error.retryable and (idempotent or isinstance(error, RateLimited))
            if not retry_ok or attempt + 1 >= self.retry.attempts:
                raise error
            self.sleep(self.retry.delay(attempt))
            attempt += 1


def json_body(response: requests.Response) -> Any:
    """The decoded body; 5xx and unparseable answers are worth retrying."""
    if response.status_code == 429:
        raise RateLimited(f"HTTP 429 from {response.url.split('?')[0]}", "429")
    if response.status_code >= 500:
        raise Unavailable(f"HTTP {response.status_code}", str(response.status_code))
    try:
        return response.json()
    except ValueError:
        raise Unavailable(f"malformed JSON (HTTP {response.status_code})", "malformed") from None
