"""Personal data kept out of logs and stored error texts.

Log calls name ids, never receivers. What they cannot control is the text of
an exception: a database error quotes the failing row, a platform error may
quote a phone. Every log record and every job's stored error text goes through
``scrub`` first; SQL parameters are never logged at all (``db.make_engine``).
"""
from __future__ import annotations

import logging
import re

# PostgreSQL's DETAIL lines quote values: "Key (a, b)=(1, 138...) already
# exists", "Failing row contains (...)", 'invalid input syntax ...: "..."'.
_PG_KEY = re.compile(r"(Key \([^)]*\)=)\(.*?\)(?=\s+(?:already exists|is not present|conflicts)|\.?\s*$)", re.M)
_PG_ROW = re.compile(r"(Failing row contains )\(.*\)", re.M)
_PG_INPUT = re.compile(r'((?:invalid input (?:syntax|value) for [^:\n]*|value too long[^:\n]*): )"[^"\n]*"')
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-)\d{3,4}(\d{4})(?!\d)")
HIDDEN = "(…)"


def scrub(text: str) -> str:
    text = _PG_KEY.sub(lambda m: m.group(1) + HIDDEN, text)
    text = _PG_ROW.sub(lambda m: m.group(1) + HIDDEN, text)
    text = _PG_INPUT.sub(lambda m: m.group(1) + '"…"', text)
    text = _MOBILE.sub(r"\1****\2", text)
    return _LANDLINE.sub(r"\1****\2", text)


def error_text(exc: BaseException) -> str:
    """What a failed job stores and shows: the kind of error, its message scrubbed."""
    return scrub(f"{type(exc).__name__}: {exc}")


def install() -> None:
    """Scrub every log record as it is made, whichever handler prints it later:
    the message is rendered and scrubbed, and so is the traceback's text."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "scrubs", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed call still gets logged, as its template
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
        return record

    factory.scrubs = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
