"""Text from a practice scenario shown as plain words: never a link, never rewritten by a translator."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from courses.sandboxes.kinds.scam_drill import CHANNELS

register = template.Library()

# A web address or bare domain (``https://dichvucongs.top/vn``, ``dichvucong-gov.vn.xyz``), in escaped text.
# Lower case only, ending in letters: amounts ("1.500.000") and abbreviations ("TP.HCM") never match.
WEB_ADDRESS = re.compile(
    r"(?<![\w.@/-])(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24}(?:/[A-Za-z0-9\-._~/?#=%+]*)?"
)


def _address(match: re.Match) -> str:
    address = match.group(0)
    tail = ""
    while address and address[-1] in ".?#":
        address, tail = address[:-1], address[-1] + tail
    # <wbr> lets a long address wrap on a narrow phone and splits the text, so nothing treats it as a link.
    spaced = address.replace(".", ".<wbr>").replace("/", "/<wbr>")
    return f'<span class="scam-url" translate="no">{spaced}</span>{tail}'


@register.filter(is_safe=True)
def inert_text(value) -> SafeString:
    """Escape, mark web addresses as inert addresses, and keep line breaks."""
    text = WEB_ADDRESS.sub(_address, escape(str(value or "")).replace("\r\n", "\n"))
    return mark_safe(text.replace("\n", "<br>"))  # noqa: S308 - escaped above; only our own tags added


@register.filter
def channel_label(value) -> str:
    return str(dict(CHANNELS).get(value, ""))
