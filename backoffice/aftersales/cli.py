"""`backoffice aftersales ...` commands."""
from __future__ import annotations

import json

import click

from backoffice.db import unit_of_work
from backoffice.money import fen_to_yuan, yuan_to_fen


@click.group("aftersales", help="After-sales rules.")
def aftersales_group() -> None:
    pass


@aftersales_group.command("compensation", help="What the compensation policy in the database offers.")
@click.option("--kind", "item_kind", required=True, type=click.Choice(["normal", "flash"]))
@click.option("--price", required=True, help="the item's price in yuan")
@click.option("--severity", required=True, type=click.Choice(["minor", "major", "unusable"]))
@click.option("--json", "as_json", is_flag=True)
def compensation(item_kind: str, price: str, severity: str, as_json: bool) -> None:
    from backoffice.cases.compensation import NoPolicy
    from backoffice.cases.payouts import compensation_offer

    try:
        price_fen = yuan_to_fen(price)
    except ValueError as exc:
        raise click.BadParameter(f"not an amount in yuan: {price}", param_hint="--price") from exc
    with unit_of_work():
        try:
            offer = compensation_offer(item_kind, price_fen, severity)
        except NoPolicy as exc:
            raise click.ClickException(str(exc)) from exc

    def yuan(fen):
        return None if fen is None else fen_to_yuan(fen)

    answer = {"min": yuan(offer.min_fen), "max": yuan(offer.max_fen), "full_refund": offer.full_refund,
              "needs_approval_over": yuan(offer.needs_approval_over_fen)}
    if as_json:
        click.echo(json.dumps(answer, ensure_ascii=False))
    elif offer.full_refund:
        click.echo("full refund")
    else:
        click.echo(f"{answer['min']}–{answer['max']} yuan; more needs a supervisor's approval")
