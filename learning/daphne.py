"""Daphne, with capability URLs redacted from its access log and presence withdrawn on stop.

    python -m learning.daphne [daphne's own arguments] learning.asgi:application

Daphne writes its access log straight to a stream, past Python's logging, so the logging filter
in learning/capability_urls.py never sees those lines. This entry point runs Daphne's own
command line with the request part of each access-log line passed through the same redaction.

Daphne speaks no ASGI lifespan, so the one thing a stopping process owes the others — taking its
learners out of the shared presence totals (``learning.presence.withdraw``) — runs as a Twisted
shutdown trigger, on the same event loop as the sockets.
"""

import asyncio

import daphne.access
from daphne.cli import CommandLineInterface  # installs Twisted's asyncio reactor: import it first
from twisted.internet import defer, reactor

_write_entry = daphne.access.AccessLogGenerator.write_entry


def write_entry(self, host, date, request, status=None, length=None, ident=None, user=None):
    from learning.capability_urls import redact

    return _write_entry(self, host, date, redact(request), status, length, ident, user)


daphne.access.AccessLogGenerator.write_entry = write_entry


def withdraw_presence() -> defer.Deferred:
    from learning import presence

    return defer.Deferred.fromFuture(asyncio.ensure_future(presence.withdraw()))


if __name__ == "__main__":
    reactor.addSystemEventTrigger("before", "shutdown", withdraw_presence)
    CommandLineInterface.entrypoint()
