"""Capability URLs: addresses where a secret in the URL is the only key to what they show.

They are listed here and nowhere else, with the parts that are the secret, so that logs can
keep the secret out: ``RedactCapabilityURLs`` (a logging filter on the console handler, see
``LOGGING`` in the settings) rewrites every log line that holds one of these addresses.
"""

import logging
import re
from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver

REDACTED = "[redacted]"

# URL name → the path parameters that are the secret.
CAPABILITY_URLS: dict[str, tuple[str, ...]] = {
    # The certificate's 256-bit token: printed in the QR code, shared by the learner.
    "certificates:verify": ("token",),
    "certificates:credential": ("token",),
    "certificates:status": ("token",),
    # Django's password-reset link (sent by e-mail), for learners and for officials.
    "accounts:password_reset_confirm": ("uidb64", "token"),
    "wagtailadmin_password_reset_confirm": ("uidb64", "token"),
    # A facilitator class's join code, from its poster.
    "classes:join_code": ("code",),
}
# URL name → query parameters that are the secret (a certificate's short code typed by hand).
CAPABILITY_QUERY_PARAMETERS: dict[str, tuple[str, ...]] = {
    "certificates:lookup": ("ma",),
}

# What may follow a path in a log line (end of the path); path parameters never hold these.
_AFTER_PATH = r"""(?=$|[\s?#"'<>,;)\]])"""
_SEGMENT = r"""[^/\s?#"'<>]+"""


def _regex_chain(patterns, namespace: str = "", prefix: str = ""):
    for entry in patterns:
        piece = entry.pattern.regex.pattern.removeprefix("^").removesuffix(r"\Z").removesuffix("$")
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
            yield from _regex_chain(entry.url_patterns, inner or namespace, prefix + piece)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), prefix + piece


@cache
def _path_regexes() -> dict[str, re.Pattern]:
    """The listed URL names as regexes that find their paths inside any text."""
    found = {}
    for name, regex in _regex_chain(get_resolver().url_patterns):
        if name in CAPABILITY_URLS or name in CAPABILITY_QUERY_PARAMETERS:
            found.setdefault(name, re.compile("/" + regex.replace("[^/]+", _SEGMENT) + _AFTER_PATH))
    return found


def listed_names_missing() -> list[str]:
    """Listed URL names that the URL configuration does not have (a renamed route)."""
    known = _path_regexes()
    return [name for name in (*CAPABILITY_URLS, *CAPABILITY_QUERY_PARAMETERS) if name not in known]


def _redact_path(match: re.Match, secrets: tuple[str, ...]) -> str:
    text, start = match.group(0), match.start()
    for name in sorted(secrets, key=lambda n: match.start(n), reverse=True):
        if match.group(name) is not None:
            text = text[: match.start(name) - start] + REDACTED + text[match.end(name) - start :]
    return text


def redact(text: str) -> str:
    """``text`` with the secret part of every capability URL in it replaced by ``[redacted]``."""
    regexes = _path_regexes()
    for name, secrets in CAPABILITY_URLS.items():
        if name in regexes:
            text = regexes[name].sub(lambda m, s=secrets: _redact_path(m, s), text)
    for name, parameters in CAPABILITY_QUERY_PARAMETERS.items():
        if name in regexes:
            query = re.compile(regexes[name].pattern.removesuffix(_AFTER_PATH) + r"""\?[^\s#"'<>]*""")
            secret = re.compile(rf"(^|[?&])({'|'.join(map(re.escape, parameters))})=[^&]*")
            text = query.sub(lambda m, s=secret: s.sub(rf"\1\2={REDACTED}", m.group(0)), text)
    return text


class RedactCapabilityURLs(logging.Filter):
    """Rewrite log records so that no capability URL's secret reaches a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
