from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from backoffice.accounts.models import AuditEntry, LoginAttempt, User
from backoffice.accounts.passwords import verify_password
from tests.conftest import PASSWORD, Client, csrf_token


def audit_actions(db, username=None):
    query = select(AuditEntry.action).order_by(AuditEntry.id)
    if username:
        query = query.where(AuditEntry.username == username)
    return list(db.scalars(query))


def test_login_logout_and_audit(app, client, make_user, db):
    make_user("service", "zhangmin")
    response = client.login("zhangmin")
    assert response.status_code == 302 and response.location == "/"
    page = client.get("/").get_data(as_text=True)
    assert "工作台" in page and "待发货订单" in page
    client.post("/logout")
    assert client.get("/").status_code == 302
    assert audit_actions(db, "zhangmin") == ["login", "logout"]
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "login"))
    assert entry.ip == "127.0.0.1" and entry.at.tzinfo is not None


def test_wrong_password_is_refused_with_a_clear_message_and_recorded(client, make_user, db):
    make_user("service", "zhangmin")
    response = client.login("zhangmin", "not-the-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)
    attempts = db.scalars(select(LoginAttempt).where(LoginAttempt.username == "zhangmin")).all()
    assert [a.success for a in attempts] == [False]
    assert "login.failed" in audit_actions(db, "zhangmin")


def test_unknown_user_gets_the_same_message(client):
    response = client.login("nobody", "whatever-1")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_repeated_failures_lock_the_account_even_for_the_right_password(app, client, make_user, db):
    make_user("service", "zhangmin")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit - 1):
        assert "用户名或密码错误" in client.login("zhangmin", "wrong-pass").get_data(as_text=True)
    locked = client.login("zhangmin", "wrong-pass").get_data(as_text=True)
    assert "账户已锁定" in locked
    refused = client.login("zhangmin", PASSWORD)
    assert refused.status_code == 401 and "已被锁定" in refused.get_data(as_text=True)
    user = db.scalar(select(User).where(User.username == "zhangmin"))
    assert user.locked_until is not None
    assert "login.locked" in audit_actions(db, "zhangmin")


def test_the_lock_expires(app, client, make_user, db):
    make_user("service", "zhangmin")
    user = db.scalar(select(User).where(User.username == "zhangmin"))
    user.locked_until = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    db.commit()
    assert client.login("zhangmin").status_code == 302


def test_an_admin_can_unlock(app, login_as, make_user, db):
    user = make_user("service", "zhangmin")
    user.locked_until = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=10)
    db.commit()
    user_id = user.id
    admin = login_as("admin")
    assert "解锁" in admin.get("/users").get_data(as_text=True)
    assert admin.post(f"/users/{user_id}/unlock", token_from="/users").status_code == 302
    assert Client(app.test_client()).login("zhangmin").status_code == 302


def test_many_failures_from_one_address_block_that_address(app, client, make_user):
    app.config["LOGIN_MAX_FAILURES_PER_IP"] = 4
    make_user("service", "zhangmin")
    for i in range(4):
        client.login(f"guess{i}", "wrong-pass")
    response = client.login("zhangmin", PASSWORD)
    assert response.status_code == 401
    assert "此 IP 地址登录失败次数过多" in response.get_data(as_text=True)
    other = Client(app.test_client())
    other.http.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert other.login("zhangmin").status_code == 302


def test_a_disabled_account_cannot_log_in(client, make_user, db):
    user = make_user("warehouse", "liuqiang")
    user.active = False
    db.commit()
    response = client.login("liuqiang")
    assert response.status_code == 401 and "账户已停用" in response.get_data(as_text=True)


def test_passwords_are_hashed_with_argon2(make_user, db):
    make_user("listing", "lina")
    stored = db.scalar(select(User.password_hash).where(User.username == "lina"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert verify_password(stored, PASSWORD) and not verify_password(stored, PASSWORD + "x")


def test_forms_without_a_csrf_token_are_refused(client, make_user, db):
    make_user("service", "zhangmin")
    response = client.http.post("/login", data={"username": "zhangmin", "password": PASSWORD})
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)
    assert db.scalar(select(LoginAttempt.id)) is None


def test_session_cookie_is_http_only_and_same_site(client, make_user):
    make_user("service", "zhangmin")
    response = client.login("zhangmin")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_never_redirects_off_site(client, make_user):
    make_user("service", "zhangmin")
    page = client.get("/login?next=https://evil.example/x")
    response = client.http.post("/login?next=https://evil.example/x", data={
        "username": "zhangmin", "password": PASSWORD,
        "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.location == "/"


def test_admin_creates_a_user_and_changes_the_role_with_audit(login_as, db, app):
    admin = login_as("admin")
    response = admin.post("/users/new", {"username": "kefu2", "display_name": "客服二号", "role": "service",
                                         "password": "long-enough-1"}, token_from="/users")
    assert response.status_code == 302
    user = db.scalar(select(User).where(User.username == "kefu2"))
    assert user.role == "service"
    user_id = user.id
    response = admin.post(f"/users/{user_id}", {"role": "supervisor", "active": "y"}, token_from=f"/users/{user_id}")
    assert response.status_code == 302
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "user.role_change"))
    assert entry.username == "admin-user" and entry.detail == {"old": "service", "new": "supervisor"}
    assert entry.target == f"user:{user_id}"


@pytest.mark.parametrize("form, message", [
    ({"username": "", "role": "service", "password": "long-enough-1"}, "此字段为必填项"),
    ({"username": "x1", "role": "service", "password": "short"}, "密码至少需要 8 个字符"),
    ({"username": "admin-user", "role": "service", "password": "long-enough-1"}, "用户名 admin-user 已被使用"),
])
def test_bad_user_forms_name_the_problem_and_save_nothing(login_as, db, form, message):
    admin = login_as("admin")
    before = len(db.scalars(select(User)).all())
    response = admin.post("/users/new", form, token_from="/users")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert len(db.scalars(select(User)).all()) == before


def test_the_last_admin_cannot_be_demoted_and_nothing_of_the_form_is_kept(login_as, db):
    admin = login_as("admin")
    me = db.scalar(select(User).where(User.username == "admin-user"))
    response = admin.post(f"/users/{me.id}", {"role": "service", "active": "y", "new_password": "another-pass-1"},
                          token_from=f"/users/{me.id}")
    assert response.status_code == 200
    assert "最后一个有效的管理员" in response.get_data(as_text=True)
    db.expire_all()
    me = db.scalar(select(User).where(User.username == "admin-user"))
    assert me.role == "admin" and verify_password(me.password_hash, PASSWORD)


def test_changing_own_password(login_as, db, app):
    client = login_as("warehouse")
    wrong = client.post("/profile", {"current_password": "nope-nope", "new_password": "brand-new-1", "confirm": "brand-new-1"})
    assert "当前密码错误" in wrong.get_data(as_text=True)
    ok = client.post("/profile", {"current_password": PASSWORD, "new_password": "brand-new-1", "confirm": "brand-new-1"})
    assert ok.status_code == 302
    assert Client(app.test_client()).login("warehouse-user", "brand-new-1").status_code == 302


def test_a_password_reset_ends_the_users_other_sessions(app, login_as, make_user, db):
    victim_id = make_user("service", "zhaolei").id
    victim = Client(app.test_client())
    victim.login("zhaolei")
    assert victim.get("/orders/").status_code == 200
    admin = login_as("admin")
    admin.post(f"/users/{victim_id}", {"role": "service", "active": "y", "new_password": "fresh-pass-42"},
               token_from=f"/users/{victim_id}")
    assert victim.get("/orders/").status_code == 302  # back to the login page


def test_changing_own_password_keeps_this_session(login_as):
    client = login_as("warehouse")
    client.post("/profile", {"current_password": PASSWORD, "new_password": "brand-new-1", "confirm": "brand-new-1"})
    assert client.get("/orders/").status_code == 200


@pytest.mark.parametrize("form, message", [
    ({"username": "bad name!", "role": "service", "password": "long-enough-1"}, "用户名请使用"),
    ({"username": "张三", "role": "service", "password": "long-enough-1"}, "用户名请使用"),
    ({"username": "ADMIN-USER", "role": "service", "password": "long-enough-1"}, "已被使用"),
    ({"username": "kefu3", "role": "", "password": "long-enough-1"}, "请选择角色"),
    ({"username": "kefu3", "role": "service", "password": "12345678"}, "密码太简单"),
    ({"username": "kefu3", "role": "service", "password": "kefu3-secret"}, "密码不能包含用户名"),
])
def test_usernames_and_passwords_are_checked(login_as, db, form, message):
    admin = login_as("admin")
    response = admin.post("/users/new", form, token_from="/users")
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_usernames_are_not_case_sensitive_at_login(client, make_user):
    make_user("service", "zhangmin")
    assert client.login("ZhangMin").status_code == 302


def test_the_new_password_must_differ(login_as):
    client = login_as("warehouse")
    same = client.post("/profile", {"current_password": PASSWORD, "new_password": PASSWORD, "confirm": PASSWORD})
    assert "新密码不能与当前密码相同" in same.get_data(as_text=True)


def test_audit_page_speaks_in_words(login_as, db):
    admin = login_as("admin")
    admin.post("/users/new", {"username": "kefu9", "role": "service", "password": "long-enough-1"},
               token_from="/users")
    html = login_as("supervisor").get("/audit?action=user.create").get_data(as_text=True)
    assert "用户 kefu9" in html and "用户 #" not in html and "角色：客服" in html and "username_created" not in html
