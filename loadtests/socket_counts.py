"""How many live sockets the learners themselves hold, as each Locust worker counts them.

The servers' own count (presence) includes handshakes whose client had already given up and
retried, so under overload it can exceed the learners there are (4,838 "held" of 4,500 on the
night of 6 Dec). Each worker writes its count to a file of its own every second; the harness
adds them up. Apart from the Locust suite (loadtests/learners.py) so that it can be tested
without gevent.
"""

import os
from pathlib import Path


def write(path: Path, sockets: int) -> None:
    """Replace the worker's count at once: a reader never sees a half-written file."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(str(sockets))
    os.replace(partial, path)


def total(directory: Path) -> int | None:
    """The sum over the workers' files, or None while no worker has written yet."""
    counts = [int(path.read_text()) for path in directory.glob("worker-*")]
    return sum(counts) if counts else None
