"""Settings from environment variables, with documented defaults (see README)."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

LANGUAGES = {"zh": "简体中文", "en": "English"}  # the UI's languages; Simplified Chinese by default


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def instance_path() -> Path:
    """Where the SQLite database, generated secret key, queue and backups live."""
    return Path(_env("BACKOFFICE_INSTANCE_PATH", "instance")).resolve()


def load_secret_key(instance: Path) -> str:
    """BACKOFFICE_SECRET_KEY, else a key generated once into the instance folder."""
    return _env("BACKOFFICE_SECRET_KEY") or _generated_once(instance / "secret_key", lambda: secrets.token_hex(32))


def load_credentials_key(instance: Path) -> str:
    """BACKOFFICE_CREDENTIALS_KEY (a Fernet key) encrypts shop credentials at rest;
    without it a key is generated once into the instance folder. Production sets
    it in the environment and keeps it apart from database backups."""
    import base64

    return _env("BACKOFFICE_CREDENTIALS_KEY") or _generated_once(
        instance / "credentials_key", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())


def _generated_once(key_file: Path, make) -> str:
    if key_file.exists():
        return key_file.read_text().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    # Write a complete file under a private name, then link it into place: when
    # two processes start at once (web + worker), one key wins and both use it.
    draft = key_file.with_name(f".{key_file.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(make())
    try:
        os.link(draft, key_file)
    except FileExistsError:
        pass
    finally:
        os.unlink(draft)
    return key_file.read_text().strip()


@dataclass
class Settings:
    instance: Path = field(default_factory=instance_path)
    database_url: str = ""
    queue_url: str = ""
    secure_cookies: bool = False
    default_locale: str = "zh"
    timezone: str = "Asia/Shanghai"
    # Login throttling: failures within the window lock the account / the IP.
    login_window_minutes: int = 15
    login_max_failures_per_account: int = 5
    login_max_failures_per_ip: int = 20
    login_lock_minutes: int = 15
    password_min_length: int = 8

    @classmethod
    def from_env(cls) -> "Settings":
        instance = instance_path()
        return cls(
            instance=instance,
            database_url=_env("BACKOFFICE_DATABASE_URL", f"sqlite:///{instance / 'backoffice.db'}"),
            queue_url=_env("BACKOFFICE_QUEUE_URL", f"sqlite:///{instance / 'queue.db'}"),
            secure_cookies=_env_bool("BACKOFFICE_SECURE_COOKIES", False),
            login_max_failures_per_account=int(_env("BACKOFFICE_LOGIN_MAX_FAILURES", "5")),
            login_max_failures_per_ip=int(_env("BACKOFFICE_LOGIN_MAX_FAILURES_PER_IP", "20")),
            login_lock_minutes=int(_env("BACKOFFICE_LOGIN_LOCK_MINUTES", "15")),
            password_min_length=int(_env("BACKOFFICE_PASSWORD_MIN_LENGTH", "8")),
        )

    def flask_config(self) -> dict:
        return {
            "SECRET_KEY": load_secret_key(self.instance),
            "DATABASE_URL": self.database_url,
            "QUEUE_URL": self.queue_url,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_SECURE": self.secure_cookies,
            "PERMANENT_SESSION_LIFETIME": 12 * 3600,
            "WTF_CSRF_TIME_LIMIT": None,  # token lives with the session; a shift is long
            "BABEL_DEFAULT_LOCALE": self.default_locale,
            "BABEL_DEFAULT_TIMEZONE": self.timezone,
            "LOGIN_WINDOW_MINUTES": self.login_window_minutes,
            "LOGIN_MAX_FAILURES_PER_ACCOUNT": self.login_max_failures_per_account,
            "LOGIN_MAX_FAILURES_PER_IP": self.login_max_failures_per_ip,
            "LOGIN_LOCK_MINUTES": self.login_lock_minutes,
            "PASSWORD_MIN_LENGTH": self.password_min_length,
            "INSTANCE_PATH": str(self.instance),
        }
