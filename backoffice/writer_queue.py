"""One SQLite writer at a time per process, served in the order they came.

SQLite's busy handler makes a waiting writer sleep and poll: under sixteen
threads of writes some waiter keeps losing the race and gives up after the
busy timeout ("database is locked"). Writers of one process (the web
server's threads, the embedded jobs) therefore queue here, first come first
served, before ``BEGIN IMMEDIATE``; the busy timeout is left to settle with
other processes (a worker, a command)."""
from __future__ import annotations

import threading
from collections import deque

from sqlalchemy import event
from sqlalchemy.engine import Engine

TURN = "sqlite_writer_turn"  # key in the connection's info: this connection holds the turn
WAIT_SECONDS = 60.0  # a writer queued longer than this gets an error, not an endless wait


class WriterTimeout(RuntimeError):
    pass


class FifoLock:
    """A lock handed to its waiters in the order they asked."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._waiting: deque[threading.Event] = deque()

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held and not self._waiting:
                self._held = True
                return True
            turn = threading.Event()
            self._waiting.append(turn)
        if turn.wait(timeout):
            return True
        with self._mutex:
            if turn in self._waiting:  # still queued: leave the queue
                self._waiting.remove(turn)
                return False
        return True  # handed over just as the wait ended

    def release(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().set()  # the lock passes straight to the next in line
            else:
                self._held = False


def install(engine: Engine, begin_immediate):
    """Queue ``engine``'s writers: returns what begins a writer's transaction,
    ``begin_immediate(connection)`` once its turn came."""
    queue = FifoLock()

    def take_turn(connection) -> None:
        if not queue.acquire(WAIT_SECONDS):
            raise WriterTimeout(f"waited over {WAIT_SECONDS:.0f} s for the database's other writers")
        connection.info[TURN] = True
        try:
            begin_immediate(connection)
        except BaseException:
            connection.info.pop(TURN, None)
            queue.release()
            raise

    def end_turn(connection) -> None:
        if connection.info.pop(TURN, False):
            queue.release()

    event.listen(engine, "commit", end_turn)
    event.listen(engine, "rollback", end_turn)

    @event.listens_for(engine.pool, "checkin")
    def _checkin(_dbapi_connection, record) -> None:  # whatever happened, a pooled connection holds no turn
        if record is not None and record.info.pop(TURN, False):
            queue.release()

    return take_turn
