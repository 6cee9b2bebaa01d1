"""`backoffice catalog ...`: codes, prices and folder imports from the command line."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import click
from sqlalchemy import select

from backoffice.db import unit_of_work


@click.group("catalog", help="Catalog: SKU codes, prices, supplier folder imports.")
def catalog_group() -> None:
    pass


def _emit(data: dict, as_json: bool, lines: list[str]) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=1) if as_json else "\n".join(lines))


@catalog_group.command("code", help="Print the listing and SKU codes of a product (SPEC §1.1).")
@click.option("--supplier", required=True, help="Supplier name, e.g. 大明")
@click.option("--model", default="", help="Model as written in the folder, e.g. D-998-20")
@click.option("--kind", type=click.Choice(["normal", "streamer", "flash", "unique"]), default="normal")
@click.option("--streamer", default=None, help="Streamer name for streamer links, e.g. 宝娜主播")
@click.option("--number", type=int, default=None, help="Flash-sale or unique-item number (unique: default the next free)")
@click.option("--color", "colors", multiple=True, required=True, help="A colour; repeat for several")
@click.option("--json", "as_json", is_flag=True)
def code(supplier, model, kind, streamer, number, colors, as_json):
    from backoffice.catalog import codes, operations, rules
    from backoffice.catalog.models import Supplier
    from backoffice.db import session

    with unit_of_work():
        overrides = rules.pinyin_overrides()
        row = session.scalar(select(Supplier).where(Supplier.name == supplier))
        supplier_code = row.pinyin_code if row else codes.pinyin(supplier, overrides)
        if kind == "unique" and number is None:  # the next free 888888-<n>
            number = operations.next_unique_number()
        try:
            result = codes.make_codes(codes.CodeRequest(supplier_code, model, kind, streamer, number, colors), overrides)
        except codes.CodeError as exc:
            raise click.ClickException(f"{exc.field}: {exc}") from exc
        # 888888 is shared by every unique item; any other code already taken is a clash
        clashes = operations.code_clashes(None if kind == "unique" else result.listing_code,
                                          list(result.sku_codes.values()))
        if clashes:
            raise click.ClickException("; ".join(p.message for p in clashes))
    data = {"listing_code": result.listing_code, "sku_codes": result.sku_codes, "title_prefix": result.title_prefix}
    _emit(data, as_json, [result.listing_code, *(f"{c}\t{s}" for c, s in result.sku_codes.items())])


@catalog_group.command("price", help="Price a cost with a supplier's stored formula (SPEC §1.2).")
@click.option("--formula-of", "supplier", required=True, help="Supplier name, e.g. 夏洛昔")
@click.option("--cost", required=True, type=Decimal, help="Cost (拿货价) in yuan")
@click.option("--weight", type=int, default=None, help="Weight in grams, for formulas that use it")
@click.option("--json", "as_json", is_flag=True)
def price(supplier, cost, weight, as_json):
    from backoffice.catalog import rules
    from backoffice.errors import OperationError
    from backoffice.money import fen_to_yuan, yuan_to_fen

    with unit_of_work():
        try:
            row = rules.supplier_named(supplier)
            result = rules.supplier_price(row, yuan_to_fen(cost), weight)
        except OperationError as exc:
            raise click.ClickException(exc.message) from exc
        data = {"price": fen_to_yuan(result.fen), "formula": row.price_formula, "cost": fen_to_yuan(yuan_to_fen(cost)),
                "rounding": {"step_fen": row.rounding_step_fen, "mode": row.rounding_mode}, "reason": result.reason}
    _emit(data, as_json, [data["price"]])


@catalog_group.command("import", help="Import one supplier folder and generate its listing drafts.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--store", default=None, help="Taobao store for the draft, e.g. 娜好呀 (default: the first)")
@click.option("--cost", type=Decimal, default=None, help="Cost (拿货价) in yuan, when 信息.txt does not give it")
@click.option("--json", "as_json", is_flag=True)
def import_(folder, store, cost, as_json):
    from backoffice.catalog import operations
    from backoffice.errors import OperationError
    from backoffice.money import yuan_to_fen

    try:
        with unit_of_work():
            result = operations.import_folder(folder.resolve(), operations.media_root(), store=store,
                                              cost_fen=yuan_to_fen(cost) if cost is not None else None)
    except operations.ImportRefused as exc:
        problems = [{"file": p.file, "problem": p.message} for p in exc.problems]
        _emit({"imported": False, "problems": problems}, as_json,
              [exc.message, *(f"  {p['file'] or '-'}: {p['problem']}" for p in problems)])
        raise SystemExit(1) from exc
    except OperationError as exc:
        raise click.ClickException(exc.message) from exc
    result["imported"] = True
    lines = [f"{result['listing_code']}: " + ", ".join(result["sku_codes"].values())]
    lines += [f"{p}: {d['title']}" for p, d in result["platforms"].items()]
    _emit(result, as_json, lines)
