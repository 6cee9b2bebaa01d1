"""A local electronic-waybill provider: `python -m integrations.waybill.simulator --port 8765`.

Hands out tracking numbers in each courier's real format, the same number again
for the same order (as providers do), and refuses unknown couriers."""
from __future__ import annotations

import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# courier -> (prefix, digits after it)
FORMATS = {
    "youzhengguonei": ("98", 11), "jd": ("JDVA", 11), "yunda": ("43", 11), "yuantong": ("YT", 13),
    "shentong": ("77", 11), "zhongtong": ("78", 12), "shunfeng": ("SF", 12), "ems": ("11", 11),
}


class Provider:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.serial = 0
        self.issued: dict[tuple[str, str], str] = {}

    def number(self, courier: str, order_number: str) -> str:
        prefix, digits = FORMATS[courier]
        with self.lock:
            key = (courier, order_number)
            if key not in self.issued:
                self.serial += 1
                self.issued[key] = f"{prefix}{self.serial:0{digits}d}"
            return self.issued[key]


def make_handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet in tests
            pass

        def _send(self, status: int, body: dict) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            if self.path != "/v1/waybills":
                return self._send(404, {"error": "not found"})
            try:
                parcels = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))["parcels"]
            except (ValueError, KeyError):
                return self._send(400, {"error": "body must be {\"parcels\": [...]}"})
            unknown = sorted({p.get("courier_code") for p in parcels} - FORMATS.keys(), key=str)
            if unknown:
                return self._send(422, {"error": f"unknown courier: {', '.join(map(str, unknown))}"})
            missing = [p.get("order_number") for p in parcels if not p.get("receiver_address")]
            if missing:
                return self._send(422, {"error": f"no receiver address: {', '.join(map(str, missing))}"})
            self._send(200, {"waybills": [
                {"order_number": p["order_number"], "courier_code": p["courier_code"],
                 "tracking_number": provider.number(p["courier_code"], p["order_number"])} for p in parcels]})

    return Handler


def serve(host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """Start in a background thread; server.server_address has the port."""
    server = ThreadingHTTPServer((host, port), make_handler(Provider()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), make_handler(Provider()))
    print(f"waybill simulator on http://{args.host}:{server.server_address[1]}")
    server.serve_forever()


if __name__ == "__main__":
    main()
