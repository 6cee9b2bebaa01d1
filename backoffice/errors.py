from __future__ import annotations


class OperationError(Exception):
    """A business rule refused an operation. ``message`` is shown to the user
    (already translated); ``field`` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
