"""`backoffice shipping ...` commands."""
from __future__ import annotations

import json

import click

from backoffice.db import unit_of_work


@click.group("shipping", help="Courier routing and shipping documents.")
def shipping_group() -> None:
    pass


@shipping_group.command("route", help="Which courier the published rules choose for an address.")
@click.option("--address", required=True, help="The receiver's address as written.")
@click.option("--items", default=1, show_default=True, type=click.IntRange(min=1))
@click.option("--amount", default="0", show_default=True, help="The buyer's orders that day, in yuan.")
@click.option("--weight", default=None, type=click.IntRange(min=1), help="Parcel weight in grams.")
@click.option("--flash-sale", is_flag=True, help="The parcel holds a flash-sale (秒杀) item.")
@click.option("--request", "requested", default=None, help="Courier the buyer asked for (code or Chinese name).")
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON.")
def route(address: str, items: int, amount: str, weight: int | None, flash_sale: bool, requested: str | None,
          as_json: bool) -> None:
    from backoffice.addresses.parser import PROBLEMS, parse_address
    from backoffice.money import yuan_to_fen
    from backoffice.shipping.parcels import parcel_from_address
    from backoffice.shipping.rulesets import published_rule_set, router_for

    try:
        amount_fen = yuan_to_fen(amount)
    except ValueError as exc:
        raise click.BadParameter(f"金额不是数字：{amount}", param_hint="--amount") from exc
    parsed = parse_address(address)
    if parsed.province_code is None:
        raise click.ClickException(f"地址无法识别（{PROBLEMS.get(parsed.problem, parsed.problem)}）：{address}")
    with unit_of_work():
        rule_set = published_rule_set()
        router = router_for(rule_set)
        version, item_weight = rule_set.version, rule_set.default_item_weight_g
    if requested:
        by_name = {name: code for code, name in router.names.items()}
        requested = by_name.get(requested, requested)
    parcel = parcel_from_address(parsed, items=items, weight_g=weight or item_weight * items,
                                 amount_fen=amount_fen, flash_sale=flash_sale, requested=requested)
    decision = router.route(parcel)
    result = decision.as_json(router.names)
    result["rule_set_version"] = version
    if not parsed.resolved:
        result["reasons"].append(f"地址未完全识别：{PROBLEMS.get(parsed.problem, parsed.problem)}")
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        click.echo(f"{result['courier'] or '未分配'}  {result['status']}  补运费 {result['surcharge']} 元")
        for reason in result["reasons"]:
            click.echo(f"  - {reason}")
