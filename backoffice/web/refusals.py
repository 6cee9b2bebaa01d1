"""The one way a view runs a change that a business rule may refuse.

    with refusable() as refused:
        payouts.approve(payment_id, current_user)
    if refused:
        flash(refused.message, "error")

The change runs in a savepoint of the request's transaction: when it raises
OperationError, only the change is rolled back and the refusal is kept in
``refused`` (its message is already translated; ``field`` names the form
field at fault, if any). Anything else propagates as usual.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from backoffice.db import session
from backoffice.errors import OperationError


class Refusal:
    """What refused the change, if anything; true when it was refused."""

    def __init__(self) -> None:
        self.error: OperationError | None = None

    def __bool__(self) -> bool:
        return self.error is not None

    @property
    def message(self) -> str:
        return self.error.message if self.error else ""

    @property
    def field(self) -> str | None:
        return self.error.field if self.error else None


@contextmanager
def refusable() -> Iterator[Refusal]:
    refused = Refusal()
    try:
        with session.begin_nested():
            yield refused
    except OperationError as exc:
        refused.error = exc
