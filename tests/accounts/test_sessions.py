"""Sessions end: a logout, an administrator or a deactivation makes every earlier cookie worthless."""
from __future__ import annotations

from sqlalchemy import select

from backoffice.accounts.models import AuditEntry, User
from tests.conftest import PASSWORD, Client, csrf_token


def remembered_login(app, username: str) -> Client:
    client = Client(app.test_client())
    page = client.get("/login")
    response = client.http.post("/login", data={"username": username, "password": PASSWORD, "remember": "y",
                                                 "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 302
    return client


def cookies_of(client: Client) -> dict[str, str]:
    return {name: client.http.get_cookie(name).value for name in ("session", "remember_token")}


def replay(app, cookies: dict[str, str]) -> Client:
    """A new browser carrying copies of someone's cookies."""
    thief = Client(app.test_client())
    for name, value in cookies.items():
        thief.http.set_cookie(name, value, domain="localhost")
    return thief


def is_logged_out(client: Client, path: str = "/orders/") -> bool:
    response = client.get(path)
    return response.status_code == 302 and response.location.startswith("/login")


def test_old_session_and_remember_me_cookies_are_refused_after_logout(app, make_user):
    make_user("service", "zhangmin")
    client = remembered_login(app, "zhangmin")
    stolen = cookies_of(client)
    # Before the logout, the copies work: each cookie alone is a login.
    assert replay(app, stolen).get("/orders/").status_code == 200
    assert replay(app, {"remember_token": stolen["remember_token"]}).get("/orders/").status_code == 200

    assert client.post("/logout").status_code == 302
    assert is_logged_out(client)
    assert is_logged_out(replay(app, stolen))
    assert is_logged_out(replay(app, {"session": stolen["session"]}))
    assert is_logged_out(replay(app, {"remember_token": stolen["remember_token"]}))
    # Logging in again works and gives cookies of the new version.
    assert remembered_login(app, "zhangmin").get("/orders/").status_code == 200


def test_an_administrator_ends_every_session_of_a_user(app, login_as, make_user, db):
    user_id = make_user("warehouse", "liuqiang").id
    desk, phone = remembered_login(app, "liuqiang"), remembered_login(app, "liuqiang")
    assert desk.get("/orders/").status_code == 200 and phone.get("/orders/").status_code == 200
    admin = login_as("admin")
    page = admin.get(f"/users/{user_id}").get_data(as_text=True)
    assert f'action="/users/{user_id}/sessions/end"' in page and "结束所有会话" in page

    refused = admin.http.post(f"/users/{user_id}/sessions/end")  # no CSRF token
    assert refused.status_code == 400 and desk.get("/orders/").status_code == 200

    response = admin.post(f"/users/{user_id}/sessions/end", token_from=f"/users/{user_id}")
    assert response.status_code == 302
    assert is_logged_out(desk) and is_logged_out(phone)
    assert admin.get("/users").status_code == 200  # the administrator's own session carries on
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "user.sessions_end"))
    assert entry.username == "admin-user" and entry.target == f"user:{user_id}"
    assert Client(app.test_client()).login("liuqiang").status_code == 302


def test_only_administrators_end_sessions(app, login_as, make_user):
    user_id = make_user("warehouse", "liuqiang").id
    supervisor = login_as("supervisor")
    assert supervisor.post(f"/users/{user_id}/sessions/end").status_code == 403


def test_a_deactivated_user_is_out_at_the_next_request(app, login_as, make_user, db):
    user_id = make_user("service", "zhaolei").id
    victim = remembered_login(app, "zhaolei")
    stolen = cookies_of(victim)
    assert victim.get("/orders/").status_code == 200
    admin = login_as("admin")
    response = admin.post(f"/users/{user_id}", {"role": "service"}, token_from=f"/users/{user_id}")  # box unticked
    assert response.status_code == 302
    assert is_logged_out(victim) and is_logged_out(replay(app, stolen))

    # Reactivated, the account logs in again, but the cookies from before stay dead.
    admin.post(f"/users/{user_id}", {"role": "service", "active": "y"}, token_from=f"/users/{user_id}")
    db.expire_all()
    assert db.scalar(select(User.active).where(User.id == user_id))
    assert is_logged_out(replay(app, stolen))
    assert Client(app.test_client()).login("zhaolei").status_code == 302
