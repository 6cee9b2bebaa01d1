"""Everything that changes accounts. Only flushes; the caller's unit of work commits."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import func, select

from backoffice.accounts import audit
from backoffice.accounts.models import LoginAttempt, User
from backoffice.accounts.passwords import MIN_LENGTH, hash_password, needs_rehash, password_problem, verify_password
from backoffice.accounts.permissions import ROLES
from backoffice.accounts.throttle import ThrottlePolicy, account_lock_until, ip_blocked_until, unknown_account_lock_until
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.timeutil import format_local, utcnow


def throttle_policy() -> ThrottlePolicy:
    cfg = current_app.config
    return ThrottlePolicy(
        window=dt.timedelta(minutes=cfg["LOGIN_WINDOW_MINUTES"]),
        max_failures_per_account=cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
        max_failures_per_ip=cfg["LOGIN_MAX_FAILURES_PER_IP"],
        lock=dt.timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"]),
    )


class LoginRefused(OperationError):
    """Login refused; the attempt is still recorded, so the caller commits."""


@dataclass(frozen=True)
class PasswordCheck:
    """A password checked against the hash the account had when it was read."""

    password_hash: str | None
    ok: bool


def check_password(username: str, password: str) -> PasswordCheck:
    """The slow part of a login (argon2), done before the login takes the
    database's write lock, so logins at once do not queue behind each other's
    hashing. Only reads."""
    password_hash = session.scalar(select(User.password_hash).where(func.lower(User.username) == username.strip().lower()))
    return PasswordCheck(password_hash, verify_password(password_hash, password))


def authenticate(username: str, password: str, ip: str, checked: PasswordCheck | None = None) -> User:
    """The user, if the credentials are right and neither account nor address
    is locked; otherwise LoginRefused with the reason to show. ``checked``:
    the password already checked by ``check_password`` (checked again only if
    the account's password changed since)."""
    now = utcnow()
    policy = throttle_policy()
    username = username.strip()

    ip_failures = session.scalars(
        select(LoginAttempt.at).where(
            LoginAttempt.ip == ip, LoginAttempt.success.is_(False), LoginAttempt.at > now - policy.window
        )
    ).all()
    blocked = ip_blocked_until(list(ip_failures), policy)
    if blocked and blocked > now:
        raise LoginRefused(_("Too many failed logins from this address. Try again after %(time)s.",
                             time=format_local(blocked, "%H:%M")))

    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    # One password hash for every attempt, locked or not, known name or not, so
    # the answer's timing says nothing either (an unknown name hashes instead).
    current_hash = user.password_hash if user else None
    ok = checked.ok if checked is not None and checked.password_hash == current_hash else \
        verify_password(current_hash, password)
    locked_until = user.locked_until if user is not None else _unknown_name_lock(username, now, policy)
    if locked_until and locked_until > now:
        audit.record("login.failed", f"user:{user.id}" if user else None, name=user.username if user else username,
                     username=username, reason="locked")
        raise LoginRefused(_still_locked_message(locked_until))

    session.add(LoginAttempt(username=username, ip=ip, success=ok, at=now))
    session.flush()
    if ok and user is not None and user.active:
        user.locked_until = None
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        audit.record("login", f"user:{user.id}", name=user.username, user=user)
        return user

    if user is not None and not user.active and ok:
        audit.record("login.failed", f"user:{user.id}", name=user.username, username=username, reason="inactive")
        raise LoginRefused(_("This account is disabled. Ask an administrator."))

    audit.record("login.failed", f"user:{user.id}" if user else None, name=username, username=username)
    if user is not None:
        last_success = session.scalar(
            select(func.max(LoginAttempt.at)).where(_same_name(username), LoginAttempt.success.is_(True))
        )
        since = max(filter(None, [now - policy.window, last_success]))
        failures = session.scalar(
            select(func.count()).select_from(LoginAttempt).where(
                _same_name(username), LoginAttempt.success.is_(False), LoginAttempt.at > since
            )
        )
        lock = account_lock_until(failures, now, policy)
        if lock:
            user.locked_until = lock
            audit.record("login.locked", f"user:{user.id}", name=user.username, username=username, failures=failures)
            raise LoginRefused(_locked_message(lock))
    elif _unknown_name_lock(username, now, policy):
        raise LoginRefused(_locked_message(now + policy.lock))
    raise LoginRefused(_("Wrong username or password."))


# The same words for every name, known or not, so the lockout does not tell which accounts exist.
def _locked_message(until: dt.datetime) -> str:
    return _("Too many failed logins: this account is locked until %(time)s.", time=format_local(until, "%H:%M"))


def _still_locked_message(until: dt.datetime) -> str:
    return _("This account is locked after repeated failed logins. Try again after %(time)s "
             "or ask an administrator to unlock it.", time=format_local(until, "%H:%M"))


def _same_name(username: str):
    """Attempts under any spelling of the name count alike (usernames are not case-sensitive)."""
    return func.lower(LoginAttempt.username) == username.lower()


def _unknown_name_lock(username: str, now: dt.datetime, policy: ThrottlePolicy) -> dt.datetime | None:
    failures = session.scalars(
        select(LoginAttempt.at).where(_same_name(username), LoginAttempt.success.is_(False),
                                      LoginAttempt.at > now - policy.lock - policy.window)
    ).all()
    return unknown_account_lock_until(list(failures), now, policy)


USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,31}$")


def _check_password(password: str, field: str = "password", username: str = "", display_name: str = "") -> None:
    """Every place a password is set comes here: the command line, the users page, the profile."""
    min_length = current_app.config["PASSWORD_MIN_LENGTH"] if has_app_context() else MIN_LENGTH
    problem = password_problem(password, username, min_length, personal=(display_name,))
    if problem == "too_short":
        raise OperationError(_("The password must have at least %(count)s characters.", count=min_length), field)
    if problem == "too_simple":
        raise OperationError(_("The password is too simple: mix letters and digits."), field)
    if problem == "contains_username":
        raise OperationError(_("The password must not contain the username."), field)
    if problem == "too_common":
        raise OperationError(_("The password is too common or too easy to guess (a well-known password, word "
                               "or keyboard pattern): choose another one."), field)


def create_user(username: str, password: str, role: str, display_name: str | None = None,
                actor: User | None = None) -> User:
    username = username.strip()
    if not username:
        raise OperationError(_("A username is required."), "username")
    if not USERNAME.match(username):
        raise OperationError(_("Use 2 to 32 letters, digits, dots, dashes or underscores for the username "
                               "(the name in Chinese goes in the Name field)."), "username")
    if role not in ROLES:
        raise OperationError(_("Choose a role."), "role")
    _check_password(password, username=username, display_name=display_name or "")
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())) is not None:
        raise OperationError(_("The username %(name)s is already taken.", name=username), "username")
    user = User(username=username, display_name=(display_name or username).strip(),
                password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    audit.record("user.create", f"user:{user.id}", name=user.username, user=actor, role=role, username_created=username)
    return user


def change_role(user: User, role: str, actor: User | None = None) -> None:
    if role not in ROLES:
        raise OperationError(_("Unknown role %(role)s.", role=role), "role")
    if user.role == role:
        return
    _refuse_removing_last_admin(user, new_role=role)
    old, user.role = user.role, role
    audit.record("user.role_change", f"user:{user.id}", name=user.username, user=actor, old=old, new=role)


def set_active(user: User, active: bool, actor: User | None = None) -> None:
    if user.active == active:
        return
    if not active:
        _refuse_removing_last_admin(user, new_role=None)
    user.active = active
    if not active:  # out at the next request, and not back in by reactivation alone
        user.session_version += 1
    audit.record("user.activate" if active else "user.deactivate", f"user:{user.id}", name=user.username, user=actor)


def end_sessions(user: User, actor: User | None = None) -> None:
    """Every session and remember-me cookie of the user stops working at its next request.

    One counter per user rather than a table of sessions: it costs no write per
    request (SQLite has one writer) and covers the remember-me cookie by the same
    check. Logging out therefore ends the user's sessions on every computer."""
    user.session_version += 1
    if actor is not None:  # an administrator's action; a logout is audited as such
        audit.record("user.sessions_end", f"user:{user.id}", name=user.username, user=actor)


def _refuse_removing_last_admin(user: User, new_role: str | None) -> None:
    if user.role != "admin" or new_role == "admin":
        return
    admins = session.scalar(select(func.count()).select_from(User).where(User.role == "admin", User.active.is_(True)))
    if admins <= 1:
        raise OperationError(_("The last active administrator cannot be removed."), "role")


def reset_password(user: User, password: str, actor: User | None = None) -> None:
    _check_password(password, username=user.username, display_name=user.display_name)
    user.password_hash = hash_password(password)
    user.locked_until = None
    audit.record("user.password_reset", f"user:{user.id}", name=user.username, user=actor)


def unlock(user: User, actor: User | None = None) -> None:
    user.locked_until = None
    audit.record("user.unlock", f"user:{user.id}", name=user.username, user=actor)


def change_own_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        audit.record("password.change_failed", f"user:{user.id}", name=user.username, user=user)
        raise OperationError(_("The current password is wrong."), "current_password")
    if new == current:
        raise OperationError(_("The new password must differ from the current one."), "new_password")
    _check_password(new, "new_password", username=user.username, display_name=user.display_name)
    user.password_hash = hash_password(new)
    audit.record("password.change", f"user:{user.id}", name=user.username, user=user)


def set_locale(user: User, locale: str) -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise OperationError(_("Unknown language."), "locale")
    user.locale = locale
