"""Daphne, with capability URLs redacted from its access log.

    python -m learning.daphne [daphne's own arguments] learning.asgi:application

Daphne writes its access log straight to a stream, past Python's logging, so the logging filter
in learning/capability_urls.py never sees those lines. This entry point runs Daphne's own
command line with the request part of each access-log line passed through the same redaction.
"""

import daphne.access
from daphne.cli import CommandLineInterface

_write_entry = daphne.access.AccessLogGenerator.write_entry


def write_entry(self, host, date, request, status=None, length=None, ident=None, user=None):
    from learning.capability_urls import redact

    return _write_entry(self, host, date, redact(request), status, length, ident, user)


daphne.access.AccessLogGenerator.write_entry = write_entry

if __name__ == "__main__":
    CommandLineInterface.entrypoint()
