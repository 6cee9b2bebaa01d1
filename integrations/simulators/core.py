"""What every platform simulator shares: fault injection and an HTTP server on
127.0.0.1 over the books of books.py. Each platform module adds its own
protocol (signatures, envelopes, paging, error codes) on top."""
from __future__ import annotations

import datetime as dt
import json
import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from integrations.simulators.books import (  # noqa: F401  (the books, for the platform modules)
    ItemBook,
    OrderBook,
    SimItem,
    SimOrder,
    SimRefund,
    SimReview,
)
from integrations.timeutil import now_utc


@dataclass
class Faults:
    """Faults to inject into the next requests; each count is used up once."""

    rate_limit: int = 0
    server_error: int = 0
    timeout: int = 0
    malformed: int = 0
    expired_token: bool = False  # stays until cleared, like a revoked grant
    change_during_pull: int = 0  # orders of the listed window modified after a page is served
    timeout_seconds: float = 2.0
    spread: int = 0  # requests answered normally after each injected fault
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _quiet: int = field(default=0, repr=False)

    def take(self) -> str | None:
        with self.lock:
            if self._quiet > 0:
                self._quiet -= 1
                return None
            for name in ("rate_limit", "server_error", "timeout", "malformed"):
                if getattr(self, name) > 0:
                    setattr(self, name, getattr(self, name) - 1)
                    self._quiet = self.spread
                    return name
        return None

    def set(self, **values) -> None:
        with self.lock:
            for name, value in values.items():
                if name not in {"rate_limit", "server_error", "timeout", "malformed", "expired_token",
                                "change_during_pull", "timeout_seconds", "spread"}:
                    raise KeyError(name)
                setattr(self, name, value)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))

    def params(self) -> dict[str, str]:
        """Query string and form or JSON body together, as the routers accept both."""
        merged = dict(self.query)
        content_type = self.headers.get("content-type", "")
        if "json" in content_type:
            merged.update({k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, separators=(",", ":"))
                           for k, v in json.loads(self.body or b"{}").items()})
        elif self.body:
            merged.update(self.form())
        return merged


class Simulator:
    """Base of the platform simulators. Subclasses implement `handle(request)`
    returning (HTTP status, JSON-able body) and `rate_limited()` /
    `token_expired()` envelopes."""

    platform = ""

    def __init__(self, app_key: str = "sim-app-key", app_secret: str = "sim-app-secret",
                 access_token: str = "sim-access-token"):
        self.app_key, self.app_secret, self.access_token = app_key, app_secret, access_token
        self.book = OrderBook()
        self.items = ItemBook(first_id=600_000_000_000)
        self.faults = Faults()
        self.requests = 0
        self.clock = now_utc
        self._server: ThreadingHTTPServer | None = None
        self._rng = random.Random(11)

    # -- to be provided by each platform
    def handle(self, request: Request) -> tuple[int, object]:
        raise NotImplementedError

    def rate_limited(self) -> object:
        raise NotImplementedError

    def token_expired(self) -> object:
        raise NotImplementedError

    # -- shared behaviour
    def dispatch(self, request: Request) -> tuple[int, bytes]:
        if request.path == "/_sim/faults" and request.method == "POST":
            self.faults.set(**json.loads(request.body or b"{}"))
            return 200, b'{"ok": true}'
        if request.path == "/_sim/state":
            with self.book.lock:
                state = {"orders": len(self.book.orders), "requests": self.requests,
                         "shipments": sum(o.shipments_applied for o in self.book.orders.values()),
                         "seller_rates": len(self.book.seller_rates),
                         "refund_decisions": sum(r.decisions_applied for r in self.book.refunds.values()),
                         "stock_updates": len(self.book.stock_updates), "items": len(self.items.items)}
            return 200, json.dumps(state).encode()
        self.requests += 1
        fault = self.faults.take()
        if fault == "timeout":
            time.sleep(self.faults.timeout_seconds)
        elif fault == "server_error":
            return 502, b"<html><body>502 Bad Gateway</body></html>"
        elif fault == "malformed":
            return 200, b'{"truncated": [1, 2'
        elif fault == "rate_limit":
            return 200, self.encode(self.rate_limited())
        if self.faults.expired_token:
            return 200, self.encode(self.token_expired())
        status, body = self.handle(request)
        return status, self.encode(body)

    @staticmethod
    def encode(body: object) -> bytes:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

    def changed_during_pull(self, window: list[SimOrder]) -> None:
        """Fault: after a page is served, some orders of the window change."""
        n = self.faults.change_during_pull
        if n <= 0 or not window:
            return
        with self.faults.lock:
            self.faults.change_during_pull = 0
        for order in self._rng.sample(window, min(n, len(window))):
            nxt = {"awaiting_payment": "to_ship", "to_ship": "closed", "shipped": "completed"}.get(order.status)
            self.book.touch(order, nxt or order.status)  # real time: the change happens now

    def now(self) -> dt.datetime:
        return self.clock()

    # -- serving
    def start(self, port: int = 0, host: str = "127.0.0.1") -> str:
        sim = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms stalls

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                request = Request(self.command, parts.path, dict(parse_qsl(parts.query, keep_blank_values=True)),
                                  {k.lower(): v for k, v in self.headers.items()}, body)
                try:
                    status, payload = sim.dispatch(request)
                except Exception as exc:  # noqa: BLE001 - a bug in the simulator must show, not hang the client
                    status, payload = 500, json.dumps({"simulator_error": repr(exc)}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json;charset=UTF-8")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout fault): nothing to answer

            do_GET = do_POST = _serve

            def log_message(self, *args):  # quiet; the tests read state, not logs
                pass

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name=f"sim-{self.platform}", daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def serve_forever(self, port: int, host: str = "127.0.0.1") -> None:
        self.start(port, host)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
