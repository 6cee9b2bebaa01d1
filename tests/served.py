"""The app served for real on loopback (werkzeug's threaded server, one
thread per request as with waitress), and staff using it at once through
HTTP: logins and writes from many threads, each timed and checked.

Used by tests/test_web_concurrency.py and bench/web.py."""
from __future__ import annotations

import logging
import re
import statistics
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

import requests
from werkzeug.serving import make_server

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@contextmanager
def served(app) -> Iterator[str]:
    """Serve ``app`` on a free loopback port; yields its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="served-app", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


@dataclass
class Outcome:
    """What a storm of requests gave: one latency per request, and the failures."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)

    def figures(self) -> dict:
        ms = sorted(s * 1000 for s in self.latencies)
        pick = (lambda q: round(ms[min(len(ms) - 1, int(len(ms) * q))], 1)) if ms else (lambda q: None)
        return {"count": len(ms), "errors": len(self.errors), "p50_ms": round(statistics.median(ms), 1) if ms else None,
                "p99_ms": pick(0.99), "max_ms": round(ms[-1], 1) if ms else None}


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    if not match:
        raise AssertionError("no CSRF token on the page")
    return match.group(1)


def _check(response: requests.Response, expected: tuple[int, ...]) -> str | None:
    if response.status_code in expected:
        return None
    return f"{response.request.method} {response.request.path_url}: HTTP {response.status_code}"


def login(base: str, username: str, password: str, outcome: Outcome | None = None,
          start: threading.Barrier | None = None) -> requests.Session:
    """Log in through the real form; with ``start``, every thread posts at the same moment."""
    browser = requests.Session()
    token = csrf_token(browser.get(f"{base}/login", timeout=60).text)
    if start is not None:
        start.wait()
    began = time.perf_counter()
    response = browser.post(f"{base}/login", data={"csrf_token": token, "username": username, "password": password},
                            allow_redirects=False, timeout=60)
    error = _check(response, (302,))
    if outcome is not None:
        outcome.add(time.perf_counter() - began, error)
    elif error:
        raise AssertionError(error)
    return browser


def post(browser: requests.Session, base: str, path: str, data: dict, outcome: Outcome,
         expected: tuple[int, ...] = (200, 302)) -> None:
    began = time.perf_counter()
    try:
        response = browser.post(f"{base}{path}", data=data, allow_redirects=False, timeout=60)
        error = _check(response, expected)
    except requests.RequestException as exc:
        error = f"POST {path}: {type(exc).__name__}"
    outcome.add(time.perf_counter() - began, error)


def in_threads(count: int, work: Callable[[int], None]) -> None:
    """Run ``work(i)`` for i in range(count), each in its own thread, and wait for all."""
    failures: list[BaseException] = []

    def run(i: int) -> None:
        try:
            work(i)
        except BaseException as exc:  # noqa: BLE001 (reported to the caller below)
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    if failures:
        raise failures[0]


def concurrent_logins(base: str, users: list[tuple[str, str]]) -> Outcome:
    """Every user logs in at the same moment."""
    outcome = Outcome()
    start = threading.Barrier(len(users))
    in_threads(len(users), lambda i: login(base, *users[i], outcome=outcome, start=start))
    return outcome


def sequential_logins(base: str, users: list[tuple[str, str]]) -> Outcome:
    outcome = Outcome()
    for user in users:
        login(base, *user, outcome=outcome)
    return outcome


def mixed_writes(browser: requests.Session, base: str, order_ids: list[int], n: int, seed: int,
                 outcome: Outcome) -> None:
    """``n`` writes of what service staff do all day, round robin: reveal a
    receiver (audited), set a restock date (an order event), put an order on
    hold and release it (the bulk action)."""
    token = csrf_token(browser.get(f"{base}/profile", timeout=60).text)
    for k in range(n):
        order_id = order_ids[(seed * 7 + k) % len(order_ids)]
        kind = k % 3
        if kind == 0:
            post(browser, base, f"/orders/{order_id}/receiver", {"csrf_token": token}, outcome, (200,))
        elif kind == 1:
            day = f"2026-12-{1 + (seed + k) % 28:02d}"
            post(browser, base, f"/orders/{order_id}/restock", {"csrf_token": token, "restock_date": day},
                 outcome, (302,))
        else:
            action = "hold" if (k // 3) % 2 == 0 else "release"
            post(browser, base, "/orders/bulk", {"csrf_token": token, "action": action, "ids": [order_id],
                                                 "back": "/orders/"}, outcome, (302,))


def concurrent_writes(base: str, browsers: list[requests.Session], order_ids: list[int], n: int) -> Outcome:
    """One thread per logged-in browser, ``n`` mixed writes each, all at once."""
    outcome = Outcome()
    in_threads(len(browsers), lambda i: mixed_writes(browsers[i], base, order_ids, n, i, outcome))
    return outcome
