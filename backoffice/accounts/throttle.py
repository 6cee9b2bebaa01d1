"""Login throttling decisions, pure: given recent failures, is the door shut?"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ThrottlePolicy:
    window: dt.timedelta
    max_failures_per_account: int
    max_failures_per_ip: int
    lock: dt.timedelta


def account_lock_until(failures_since_success: int, now: dt.datetime, policy: ThrottlePolicy) -> dt.datetime | None:
    """Lock the account once it reaches the allowed number of failures in the window."""
    if failures_since_success >= policy.max_failures_per_account:
        return now + policy.lock
    return None


def ip_blocked_until(ip_failure_times: list[dt.datetime], policy: ThrottlePolicy) -> dt.datetime | None:
    """An address is blocked while it has too many failures inside the window;
    it opens again when the oldest counted failure leaves the window."""
    if len(ip_failure_times) < policy.max_failures_per_ip:
        return None
    recent = sorted(ip_failure_times)[-policy.max_failures_per_ip:]
    return recent[0] + policy.window


def unknown_account_lock_until(failure_times: list[dt.datetime], now: dt.datetime,
                               policy: ThrottlePolicy) -> dt.datetime | None:
    """The lock an account of this name would be under, for a name no account has.

    A real account is locked at the failure that reaches the limit within the
    window, until that failure plus the lock time, and attempts while locked are
    not counted; answering the same for unknown names keeps the lockout message
    from telling which usernames exist. ``failure_times`` are the name's failures
    since ``now - lock - window``."""
    if not failure_times:
        return None
    last = max(failure_times)
    in_window = [t for t in failure_times if last - policy.window < t <= last]
    until = last + policy.lock
    if len(in_window) >= policy.max_failures_per_account and until > now:
        return until
    return None
