"""Price formulas (SPEC §1.2): a small parser for arithmetic over named inputs.

No ``eval``: the text is tokenised and parsed into a tree of numbers, names,
+ - * / and parentheses, then evaluated in Decimal. The result is rounded to a
step in fen by the supplier's rounding mode, and money leaves as integer fen.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from typing import Mapping

from flask_babel import gettext as _

INPUTS = ("cost", "weight")  # cost: 拿货价 in yuan; weight: grams
ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "up": ROUND_CEILING,
                  "down": ROUND_FLOOR, "truncate": ROUND_DOWN}
_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?|\.\d+)|([A-Za-z_][A-Za-z_0-9]*)|(.))")


class FormulaError(ValueError):
    """The formula cannot be parsed or evaluated; ``position`` is where (0-based), if known."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


@dataclass(frozen=True)
class Formula:
    text: str
    tree: tuple

    @property
    def names(self) -> set[str]:
        return _names(self.tree)


def parse(text: str, allowed: tuple[str, ...] = INPUTS) -> Formula:
    tokens = _tokens(text or "")
    if not tokens:
        raise FormulaError(_("The formula is empty."), 0)
    parser = _Parser(tokens)
    tree = parser.expression()
    if parser.i < len(tokens):
        raise FormulaError(_("Unexpected %(text)s.", text=tokens[parser.i][1]), tokens[parser.i][2])
    unknown = _names(tree) - set(allowed)
    if unknown:
        raise FormulaError(_("Unknown input %(name)s; use %(allowed)s.", name=sorted(unknown)[0], allowed=", ".join(allowed)))
    if "cost" not in _names(tree):
        raise FormulaError(_("The formula must use cost."))
    return Formula(text.strip(), tree)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m.group(1):
            out.append(("num", m.group(1), m.start(1)))
        elif m.group(2):
            out.append(("name", m.group(2), m.start(2)))
        elif m.group(3):
            ch = m.group(3)
            if ch not in "+-*/()":
                raise FormulaError(_("Unexpected %(text)s.", text=ch), m.start(3))
            out.append(("op", ch, m.start(3)))
        pos = m.end()
    return out


class _Parser:
    """expression := term (('+'|'-') term)*; term := factor (('*'|'/') factor)*;
    factor := '-' factor | number | name | '(' expression ')'"""

    def __init__(self, tokens):
        self.tokens, self.i = tokens, 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "", None)

    def expression(self):
        node = self.term()
        while self.peek()[1] in ("+", "-") and self.peek()[0] == "op":
            op = self.tokens[self.i][1]
            self.i += 1
            node = (op, node, self.term())
        return node

    def term(self):
        node = self.factor()
        while self.peek()[1] in ("*", "/") and self.peek()[0] == "op":
            op = self.tokens[self.i][1]
            self.i += 1
            node = (op, node, self.factor())
        return node

    def factor(self):
        kind, value, pos = self.peek()
        self.i += 1
        if kind == "num":
            return ("num", Decimal(value))
        if kind == "name":
            return ("name", value)
        if value == "-":
            return ("neg", self.factor())
        if value == "(":
            node = self.expression()
            if self.peek()[1] != ")":
                raise FormulaError(_("A bracket is not closed."), self.peek()[2])
            self.i += 1
            return node
        raise FormulaError(_("The formula ends too early.") if kind == "end" else _("Unexpected %(text)s.", text=value), pos)


def _names(node) -> set[str]:
    if node[0] == "name":
        return {node[1]}
    if node[0] == "num":
        return set()
    return set().union(*(_names(n) for n in node[1:]))


def evaluate(formula: Formula, inputs: Mapping[str, Decimal]) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 28
        return _eval(formula.tree, inputs)


def _eval(node, inputs):
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "name":
        if node[1] not in inputs:
            raise FormulaError(_("No value given for %(name)s.", name=node[1]))
        return Decimal(inputs[node[1]])
    if kind == "neg":
        return -_eval(node[1], inputs)
    left, right = _eval(node[1], inputs), _eval(node[2], inputs)
    if kind == "+":
        return left + right
    if kind == "-":
        return left - right
    if kind == "*":
        return left * right
    if right == 0:
        raise FormulaError(_("Division by zero."))
    return left / right


@dataclass(frozen=True)
class Price:
    fen: int
    exact_yuan: Decimal
    reason: str


def price_fen(formula: Formula, cost_fen: int, *, step_fen: int = 1, mode: str = "half_up",
              weight_g: int | None = None) -> Price:
    """The selling price in fen for a cost in fen, rounded to ``step_fen`` by ``mode``."""
    if mode not in ROUNDING_MODES:
        raise FormulaError(_("Unknown rounding %(mode)s.", mode=mode))
    if step_fen < 1:
        raise FormulaError(_("The rounding step must be at least 1 fen."))
    inputs = {"cost": Decimal(cost_fen) / 100}
    if weight_g is not None:
        inputs["weight"] = Decimal(weight_g)
    exact = evaluate(formula, inputs)
    steps = (exact * 100 / step_fen).quantize(Decimal(1), rounding=ROUNDING_MODES[mode])
    fen = int(steps) * step_fen
    if fen <= 0:
        raise FormulaError(_("The formula gives %(price)s yuan for a cost of %(cost)s: not a price.", price=exact, cost=inputs["cost"]))
    return Price(fen, exact, f"{formula.text} with cost={inputs['cost']} = {exact:.4f}, rounded {mode} to {step_fen} fen")
