"""Channel-layer group names live here and nowhere else, and so does sending to a group from
synchronous code (views, and the work that runs when their transaction commits)."""

import asyncio
import atexit
import logging
import os
import threading

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

logger = logging.getLogger(__name__)


def learner_group(user_id: int) -> str:
    """The group that carries pushes meant for one learner (all of their open tabs)."""
    return f"learner.{user_id}"


def send_to_group(group: str, message: dict) -> None:
    """Send a message to a group; nobody listening is fine. Pushes are at-most-once: everything
    they say is also on the page when it is loaded again.

    The in-memory layer (one process: `make run`, tests) is sent to at once, on the running event
    loop. A layer shared between processes (Redis) is sent to by this process's sender, in the
    background: the request does not wait for the round trips to Redis."""
    layer = get_channel_layer()
    if layer is None:
        return
    if isinstance(layer, InMemoryChannelLayer):
        async_to_sync(layer.group_send)(group, message)
    else:
        SENDER.send(layer, group, message)


class Sender:
    """One event loop per process, on a thread of its own, that sends what synchronous code hands
    it, in the order it was handed over.

    `async_to_sync` from a WSGI worker starts an event loop per call, and channels_redis opens a
    new connection to Redis for each loop: a push cost a connection and six round trips inside
    the request (a quarter of filing a practice dossier's CPU, and the slowest request of the load
    test). Here the loop and its connections last as long as the process, and a failed send is
    logged, not raised into a request whose own work is already committed."""

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit  # sends waiting; beyond it (Redis unreachable for long) they are dropped
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue | None = None

    def send(self, layer, group: str, message: dict) -> None:
        loop, queue = self._started()
        loop.call_soon_threadsafe(self._enqueue, queue, (layer, group, message))

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything handed over so far has been sent (or has failed); True if it was."""
        with self._lock:
            loop, queue = (self._loop, self._queue) if self._pid == os.getpid() else (None, None)
        if loop is None:
            return True
        done = asyncio.run_coroutine_threadsafe(queue.join(), loop)
        try:
            done.result(timeout)
        except TimeoutError:
            done.cancel()
            return False
        return True

    def _started(self) -> tuple[asyncio.AbstractEventLoop, asyncio.Queue]:
        with self._lock:
            if self._pid != os.getpid():  # first use, or a forked worker: the thread did not follow
                loop = asyncio.new_event_loop()
                queue: asyncio.Queue = asyncio.Queue()
                thread = threading.Thread(
                    target=self._run, args=(loop, queue), name="channel-sender", daemon=True
                )
                thread.start()
                self._pid, self._loop, self._queue = os.getpid(), loop, queue
            return self._loop, self._queue

    def _enqueue(self, queue: asyncio.Queue, item: tuple) -> None:
        if queue.qsize() >= self.limit:
            logger.warning("Channel-layer sends are backing up; dropped a push to %s", item[1])
            return
        queue.put_nowait(item)

    def _run(self, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue) -> None:
        asyncio.set_event_loop(loop)
        loop.create_task(self._drain(queue))
        loop.run_forever()

    @staticmethod
    async def _drain(queue: asyncio.Queue) -> None:
        while True:
            layer, group, message = await queue.get()
            try:
                await layer.group_send(group, message)
            except Exception:
                logger.exception("Could not push to %s", group)
            finally:
                queue.task_done()


SENDER = Sender()
# A worker that stops on purpose lets what it has handed over leave first (at most two seconds).
atexit.register(SENDER.flush, 2.0)
