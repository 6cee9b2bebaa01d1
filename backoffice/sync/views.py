from __future__ import annotations

import datetime as dt

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from backoffice import queue
from backoffice.accounts.permissions import role_can
from backoffice.accounts.security import public, requires
from backoffice.db import session, writes
from backoffice.jobs import JobRun
from backoffice.outbox import OutboxMessage
from backoffice.shops import operations
from backoffice.shops.models import PULL_PLATFORMS, Shop
from backoffice.sync import run_display
from backoffice.sync.blueprint import bp
from backoffice.sync.forms import ConnectShopForm
from backoffice.sync.models import SyncCheckpoint
from backoffice.web.csrf import csrf
from backoffice.web.pagination import keyset_page
from backoffice.web.refusals import refusable

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@bp.route("/")
@requires("sync.view")
def index():
    shops = session.scalars(select(Shop).order_by(Shop.platform, Shop.name)).all()
    checkpoints = {(c.shop_id, c.stream): c for c in session.scalars(select(SyncCheckpoint))}
    outbox = dict(session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    failed_messages = session.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed")
                                      .order_by(OutboxMessage.id.desc()).limit(20)).all()
    page = keyset_page(select(JobRun), JobRun.id)
    from backoffice.sync.shipping_sheets import uses_sheet, waiting_counts

    waiting = waiting_counts()
    sheets = {s.id: waiting[s.id] for s in shops if uses_sheet(s) and s.id in waiting}
    return render_template("sync/index.html", shops=shops, page=page, checkpoints=checkpoints, outbox=outbox, sheets=sheets,
                           run_display=run_display, shop_names={s.id: s.name for s in shops},
                           failed_messages=failed_messages, can_run=role_can(current_user.role, "sync.run"),
                           can_connect=role_can(current_user.role, "sync.connect"))


@bp.route("/shops/<int:shop_id>/pull", methods=["POST"])
@requires("sync.run")
def pull_now(shop_id: int):
    shop = session.get(Shop, shop_id) or abort(404)
    if shop.platform not in PULL_PLATFORMS:
        flash(_("%(shop)s has no platform to pull from.", shop=shop.name), "error")
        return redirect(url_for("sync.index"))
    if shop.auth_status != "ok":
        flash(_("%(shop)s needs re-authorisation before it can sync.", shop=shop.name), "error")
        return redirect(url_for("sync.index"))
    for job, args in (("pull_shop", (shop_id, "orders")), ("pull_shop", (shop_id, "refunds")),
                      ("intake_shop", (shop_id,)), ("intake_refunds", (shop_id,))):
        queue.enqueue(job, *args)  # after this request commits
    flash(_("A pull of %(shop)s was queued; its progress shows below.", shop=shop.name), "success")
    return redirect(url_for("sync.index"))


@bp.route("/shops/<int:shop_id>/connect", methods=["GET", "POST"])
@requires("sync.connect")
def connect(shop_id: int):
    shop = session.get(Shop, shop_id) or abort(404)
    form = ConnectShopForm()
    if not form.is_submitted() and shop.credentials_encrypted:
        stored = operations.shop_credentials(shop)
        form.app_key.data, form.endpoint.data = stored.app_key, stored.endpoint  # not secret; the rest stays hidden
        if shop.token_expires_at:
            form.token_expires_at.data = shop.token_expires_at.astimezone(SHANGHAI).replace(tzinfo=None)
    if form.validate_on_submit():
        expires = form.token_expires_at.data.replace(tzinfo=SHANGHAI) if form.token_expires_at.data else None
        with refusable() as refused:
            operations.connect_shop(shop, form.app_key.data, form.app_secret.data or "",
                                    form.access_token.data or "", expires, form.endpoint.data or "")
        if refused:
            getattr(form, refused.field if refused.field in form else "app_key").errors.append(refused.message)
        else:
            flash(_("The connection of %(shop)s was saved.", shop=shop.name), "success")
            return redirect(url_for("sync.index"))
    return render_template("sync/connect.html", shop=shop, form=form), 422 if form.errors else 200


@bp.route("/tracking/kuaidi100", methods=["POST"])
@public  # Kuaidi100 calls it: no login, no CSRF token; the signature with our salt is the check
@csrf.exempt
def kuaidi100_callback():
    from backoffice.sync.parcel_tracking import account, record
    from integrations.base import PlatformError
    from integrations.kuaidi100.adapter import CALLBACK_FAILED, CALLBACK_OK, parse_callback

    acc = account()
    if acc is None:
        return jsonify(CALLBACK_FAILED), 404
    try:
        tracking = parse_callback(request.form, acc.salt)
    except PlatformError:
        return jsonify(CALLBACK_FAILED), 403
    record(tracking)
    return jsonify(CALLBACK_OK)  # committed by the request before the answer leaves


def _sheet_shop(shop_id: int) -> tuple[Shop, int]:
    from backoffice.sync.shipping_sheets import uses_sheet

    shop = session.get(Shop, shop_id) or abort(404)
    if not uses_sheet(shop):
        abort(404)
    try:
        upto = int(request.values.get("upto", ""))
    except ValueError:
        abort(400)
    return shop, upto


@bp.route("/shops/<int:shop_id>/shipping-sheet")
@requires("sync.run")
@writes  # the export is audited
def shipping_sheet(shop_id: int):
    """Mogujie's batch-shipping sheet of the shipments waiting, as shown on the page."""
    from backoffice.accounts import audit
    from backoffice.sync.shipping_sheets import sheet

    shop, upto = _sheet_shop(shop_id)
    data, count = sheet(shop.id, upto)
    audit.record("export", f"shop:{shop.id}", name=shop.name, what="mogujie_shipping_sheet", rows=count)
    filename = f"mogujie-shipping-{shop.id}-{upto}.csv"
    return data, 200, {"Content-Type": "text/csv; charset=utf-8",
                       "Content-Disposition": f"attachment; filename={filename}"}


@bp.route("/shops/<int:shop_id>/shipping-sheet/uploaded", methods=["POST"])
@requires("sync.run")
def shipping_sheet_uploaded(shop_id: int):
    from backoffice.sync.shipping_sheets import mark_uploaded

    shop, upto = _sheet_shop(shop_id)
    count = mark_uploaded(shop.id, upto)
    flash(_("%(count)s shipments of %(shop)s are marked as uploaded to the platform.", count=count, shop=shop.name),
          "success")
    return redirect(url_for("sync.index"))
