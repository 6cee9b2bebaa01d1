"""TOP request signing (Taobao Open Platform)."""
from __future__ import annotations

import hashlib
import hmac


def sign(params: dict, secret: str, sign_method: str = "md5") -> str:
    """The `sign` parameter of a TOP call.

    Every parameter except `sign` itself, sorted by name, written as
    name + value with no separators (raw UTF-8, not URL-encoded); then
    md5: MD5(secret + s + secret); hmac: HMAC-MD5(secret, s);
    hmac-sha256: HMAC-SHA256(secret, s); upper-case hex.
    Empty values are skipped, as the official SDKs never send them.
    """
    text = "".join(f"{k}{v}" for k, v in sorted(params.items()) if k != "sign" and v not in (None, ""))
    if sign_method == "md5":
        return hashlib.md5(f"{secret}{text}{secret}".encode()).hexdigest().upper()
    if sign_method == "hmac":
        return hmac.new(secret.encode(), text.encode(), hashlib.md5).hexdigest().upper()
    if sign_method == "hmac-sha256":
        return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest().upper()
    raise ValueError(f"unknown TOP sign_method {sign_method!r}")
