"""Fixtures: the app, a database migrated once per session, an outer
transaction per test rolled back afterwards, and logged-in clients per role.

Runs on SQLite by default; set BACKOFFICE_TEST_DATABASE_URL to run on
PostgreSQL (the database is emptied and migrated at the start of the session).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from backoffice import migrate
from backoffice.accounts.permissions import ROLES
from backoffice.db import make_engine
from backoffice.db import session as db_session

TEST_DB_URL = os.environ.get("BACKOFFICE_TEST_DATABASE_URL")
# The queue is built when backoffice.queue is first imported, which test
# collection may do before any fixture runs: jobs run at once, in-process.
os.environ.setdefault("BACKOFFICE_QUEUE_URL", "memory://")
PASSWORD = "correct-horse-9"


@pytest.fixture(scope="session", autouse=True)
def _instance(tmp_path_factory) -> Path:
    """Every test run gets its own instance folder (secret key, queue, backups)."""
    instance = tmp_path_factory.mktemp("instance")
    os.environ["BACKOFFICE_INSTANCE_PATH"] = str(instance)
    return instance


@pytest.fixture(scope="session")
def database_url(_instance: Path) -> str:
    return TEST_DB_URL or f"sqlite:///{_instance / 'test.db'}"


def reset_database(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def engine(database_url: str):
    reset_database(database_url)
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine):
    """One outer transaction per test; everything the test commits is a
    savepoint inside it, and all of it is rolled back at the end."""
    conn = engine.connect()
    outer = conn.begin()
    db_session.remove()
    db_session.configure(bind=conn, join_transaction_mode="create_savepoint")
    yield conn
    db_session.remove()
    outer.rollback()
    conn.close()
    db_session.configure(bind=None)


@pytest.fixture
def app(connection, database_url):
    from backoffice.app import create_app

    app = create_app({
        "TESTING": True,
        "DATABASE_URL": database_url,
        "ENGINE": connection.engine,
        "SESSION_BOUND_EXTERNALLY": True,
        "SERVER_NAME": "localhost",
    })
    # No app context is kept pushed: each test request must get its own, as in
    # production, or Flask-Login's cached user and the unit-of-work flag would leak.
    yield app


@pytest.fixture
def db(app):
    return db_session


@pytest.fixture
def make_user(db):
    from backoffice.accounts.operations import create_user

    def make(role: str, username: str | None = None, password: str = PASSWORD):
        user = create_user(username or f"{role}-user", password, role, f"测试{role}")
        db.commit()
        db.refresh(user)  # loaded now, so the object stays readable after requests close the session
        return user

    return make


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken": "([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Client:
    """A test client that logs in through the real form, CSRF included."""

    def __init__(self, flask_client):
        self.http = flask_client

    def login(self, username: str, password: str = PASSWORD):
        page = self.http.get("/login")
        return self.http.post("/login", data={"username": username, "password": password,
                                               "csrf_token": csrf_token(page.get_data(as_text=True))})

    def token(self, path: str = "/profile") -> str:
        return csrf_token(self.http.get(path).get_data(as_text=True))

    def post(self, path: str, data: dict | None = None, token_from: str = "/profile", **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(token_from))
        return self.http.post(path, data=data, **kw)

    def __getattr__(self, name):
        return getattr(self.http, name)


@pytest.fixture
def client(app):
    return Client(app.test_client())


@pytest.fixture
def login_as(app, make_user):
    """login_as("service") -> a Client logged in as a fresh user of that role."""

    def login(role: str) -> Client:
        assert role in ROLES
        user = make_user(role)
        c = Client(app.test_client())
        response = c.login(user.username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return c

    return login
