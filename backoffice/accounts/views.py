from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from backoffice.accounts import audit, audit_display, operations
from backoffice.accounts.blueprint import bp
from backoffice.accounts.forms import LanguageForm, LoginForm, PasswordChangeForm, UserCreateForm, UserEditForm
from backoffice.accounts.models import AuditEntry, User
from backoffice.accounts.security import public, requires
from backoffice.db import begin_writer, late_writer, session
from backoffice.errors import OperationError
from backoffice.web.pagination import keyset_page
from backoffice.web.refusals import refusable


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the login form cannot bounce users elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
@public
@late_writer  # the password is hashed before the write lock is taken
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        checked = operations.check_password(form.username.data, form.password.data)
        begin_writer()
        try:
            user = operations.authenticate(form.username.data, form.password.data, audit.client_ip() or "",
                                           checked=checked)
        except operations.LoginRefused as exc:
            error = exc.message
        else:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form, error=error), (401 if error else 200)


@bp.route("/logout", methods=["POST"])
@requires("profile.edit")
def logout():
    audit.record("logout", f"user:{current_user.id}", name=current_user.username)
    operations.end_sessions(current_user)  # a copied session or remember-me cookie is refused from now on
    logout_user()
    return redirect(url_for("accounts.login"))


@bp.route("/language/<locale>", methods=["POST"])
@public
def set_language(locale: str):
    """Remembered per user when logged in, in a cookie on the login page."""
    from backoffice.config import LANGUAGES

    if locale not in LANGUAGES:
        abort(404)
    if current_user.is_authenticated:
        operations.set_locale(current_user, locale)
    response = make_response(redirect(_safe_next(request.form.get("next"))))
    response.set_cookie("lang", locale, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@bp.route("/profile", methods=["GET", "POST"])
@requires("profile.edit")
def profile():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            operations.change_own_password(current_user, form.current_password.data, form.new_password.data)
        except OperationError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            login_user(current_user._get_current_object())  # other sessions end; this one carries on
            flash(_("Your password was changed."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, language_form=LanguageForm(locale=current_user.locale))


@bp.route("/users")
@requires("users.manage")
def users():
    rows = session.scalars(select(User).order_by(User.role, User.username)).all()
    return render_template("accounts/users.html", users=rows, form=UserCreateForm())


@bp.route("/users/new", methods=["POST"])
@requires("users.manage")
def user_create():
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = operations.create_user(form.username.data, form.password.data, form.role.data,
                                          form.display_name.data, actor=current_user)
        except OperationError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            flash(_("User %(name)s was created.", name=user.username), "success")
            return redirect(url_for("accounts.users"))
    rows = session.scalars(select(User).order_by(User.role, User.username)).all()
    return render_template("accounts/users.html", users=rows, form=form), 422


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires("users.manage")
def user_edit(user_id: int):
    user = session.get(User, user_id) or abort(404)
    form = UserEditForm(obj=user)
    if form.validate_on_submit():
        with refusable() as refused:
            operations.change_role(user, form.role.data, actor=current_user)
            operations.set_active(user, form.active.data, actor=current_user)
            if form.new_password.data:
                operations.reset_password(user, form.new_password.data, actor=current_user)
        if refused:
            field = refused.field if refused.field in form else "role"
            if refused.field == "password":
                field = "new_password"
            getattr(form, field).errors.append(refused.message)
        else:
            flash(_("User %(name)s was saved.", name=user.username), "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_edit.html", user=user, form=form)


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@requires("users.manage")
def user_unlock(user_id: int):
    user = session.get(User, user_id) or abort(404)
    operations.unlock(user, actor=current_user)
    flash(_("User %(name)s was unlocked.", name=user.username), "success")
    return redirect(url_for("accounts.users"))


@bp.route("/users/<int:user_id>/sessions/end", methods=["POST"])
@requires("users.manage")
def user_end_sessions(user_id: int):
    user = session.get(User, user_id) or abort(404)
    operations.end_sessions(user, actor=current_user)
    flash(_("Every session of %(name)s was ended; the user must log in again.", name=user.username), "success")
    return redirect(url_for("accounts.users"))


@bp.route("/audit")
@requires("audit.view")
def audit_log():
    query = select(AuditEntry)
    action = request.args.get("action") or None
    username = (request.args.get("user") or "").strip() or None
    if action:
        query = query.where(AuditEntry.action == action)
    if username:
        query = query.where(AuditEntry.username == username)
    page = keyset_page(query, AuditEntry.id)
    template = "accounts/_audit_rows.html" if request.headers.get("HX-Request") else "accounts/audit.html"
    return render_template(template, page=page, actions=audit.ACTIONS, action=action, username=username,
                           describe=audit_display)
