"""Display labels for the codes stored in the database.

Each domain defines the labels of its own codes in its labels.py (the shared
layer's in jobs_labels.py and outbox_labels.py); the app imports them all, so
the `label` template filter knows every group.
"""
from __future__ import annotations

LABELS: dict[str, dict[str, object]] = {}


def define(groups: dict[str, dict[str, object]]) -> None:
    for group, labels in groups.items():
        if group in LABELS and LABELS[group] is not labels:
            raise ValueError(f"label group {group!r} is defined twice")
        LABELS[group] = labels


def label(kind: str, value: str | None) -> str:
    if value is None:
        return ""
    return str(LABELS[kind].get(value, value))  # an unknown code shows as stored rather than vanishing
