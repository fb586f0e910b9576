"""Run one action from many threads released at the same instant (race tests)."""

import threading
from collections.abc import Callable

from django.db import connection


def all_at_once(action: Callable[[], object], threads: int) -> tuple[list[object], list[Exception]]:
    """Results and errors of ``action`` run by ``threads`` threads together, each with its own
    database connection (closed afterwards, so PostgreSQL can drop the test database)."""
    barrier = threading.Barrier(threads)
    results: list[object] = []
    errors: list[Exception] = []

    def run():
        try:
            barrier.wait(timeout=30)
            results.append(action())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results, errors
