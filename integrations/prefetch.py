"""Reading the next page while the caller stores the current one."""
from __future__ import annotations

import queue
import threading
from typing import Iterator, TypeVar

T = TypeVar("T")
_DONE = object()


class Prefetched(Iterator[T]):
    """The iterator `prefetch` returns; `ready_within` tells whether the next
    item is there or arrives within a moment (a caller may commit its work
    while it would otherwise wait longer)."""

    def __init__(self, items: Iterator[T], buffer: queue.Queue):
        self._items, self._buffer = items, buffer

    def ready_within(self, seconds: float) -> bool:
        buffer = self._buffer
        with buffer.not_empty:  # the queue's own condition (holding its lock), notified on every put
            return buffer.not_empty.wait_for(lambda: len(buffer.queue) > 0, seconds)

    def __next__(self) -> T:
        return next(self._items)

    def close(self) -> None:
        self._items.close()


def prefetch(pages: Iterator[T], depth: int = 3) -> Prefetched[T]:
    """Yield what `pages` yields, produced by a background thread up to `depth`
    items ahead, so network waits overlap with the caller's work. Errors are
    re-raised in the caller, in order; stopping early stops the producer."""
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    return Prefetched(_consume(pages, buffer), buffer)


def _consume(pages: Iterator[T], buffer: queue.Queue) -> Iterator[T]:
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in pages:
                while not stop.is_set():
                    try:
                        buffer.put(("item", item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            buffer.put(("done", _DONE))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            buffer.put(("error", exc))

    worker = threading.Thread(target=produce, name="prefetch", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = buffer.get()
            if kind == "done":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        while worker.is_alive():  # drain so a blocked producer can see the stop
            try:
                buffer.get_nowait()
            except queue.Empty:
                worker.join(0.05)
