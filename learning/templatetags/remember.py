"""{% remember %}: render a stretch of a template once per process, language and key, and keep it.

Every page carries a header and a footer that are the same for everyone who sees them in one
language: links, their labels, the language form. Their translations and URLs cost more to render
than the rest of the layout, on every request. ``{% remember %}`` renders such a stretch once and
keeps the result; what differs per request sits in ``{% fresh %} … {% endfresh %}`` inside it and
is rendered every time, in its place::

    {% remember user.is_authenticated catalogue_url %}
      <a href="{% url 'accounts:profile' %}">{% translate "Tài khoản của tôi" %}</a>
      <form method="post" action="{% url 'accounts:logout' %}">{% fresh %}{% csrf_token %}{% endfresh %}…
    {% endremember %}

The rules, since a process keeps what it rendered until it restarts:
- everything the stretch shows outside ``{% fresh %}`` depends only on the active language, the
  values named after ``remember`` (the key) and what is fixed while the process runs (settings,
  URL patterns, static files, the compiled translations);
- a ``{% fresh %}`` part sees the page's context, not variables set inside the stretch (a loop's
  item, ``{% with %}``): it is rendered once per request, after the fact, in the outer context.
"""

import re
import weakref

from django import template
from django.core.signals import setting_changed
from django.template.base import Node, NodeList
from django.template.loader_tags import BlockNode
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

FRESH_PARTS = "_remember_fresh_parts"  # context key, set only while a stretch is first rendered
MARK = "\x00fresh:{}\x00"
MARKS = re.compile("\x00fresh:(\\d+)\x00")
KEYS_KEPT = 64  # per stretch; keys are few (languages × signed in or not), so this is a safeguard
_stretches: "weakref.WeakSet[RememberNode]" = weakref.WeakSet()


class RememberNode(Node):
    # {% extends %} looks for blocks through every node of the layout on each render; the
    # stretch holds none (checked when it is parsed), so that walk need not go inside it.
    child_nodelists = ()

    def __init__(self, nodelist: NodeList, key: list) -> None:
        self.nodelist, self.key = nodelist, key
        self.kept: dict[tuple, list] = {}  # key → literal text and FreshNodes, in order
        _stretches.add(self)

    def render(self, context) -> SafeString:
        key = (get_language(), *(str(part.resolve(context)) for part in self.key))
        pieces = self.kept.get(key)
        if pieces is None:
            pieces = self._first_render(context)
            if len(self.kept) >= KEYS_KEPT:
                self.kept.clear()
            self.kept[key] = pieces
        return SafeString(
            "".join(piece if isinstance(piece, str) else piece.render_now(context) for piece in pieces)
        )

    def _first_render(self, context) -> list:
        fresh: list[FreshNode] = []
        with context.push({FRESH_PARTS: fresh}):
            text = self.nodelist.render(context)
        pieces: list = []
        for index, part in enumerate(MARKS.split(text)):
            if index % 2 == 0:
                if part:
                    pieces.append(part)
            else:
                pieces.append(fresh[int(part)])
        return pieces


class FreshNode(Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context) -> str:
        fresh = context.get(FRESH_PARTS)
        if fresh is None:  # not inside {% remember %}, or it is being served from what was kept
            return self.render_now(context)
        if self in fresh:
            raise template.TemplateSyntaxError(
                "{% fresh %} is rendered once per request: it cannot repeat inside {% remember %}"
            )
        fresh.append(self)
        return MARK.format(len(fresh) - 1)

    def render_now(self, context) -> SafeString:
        return self.nodelist.render(context)


@register.tag
def remember(parser, token) -> RememberNode:
    key = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endremember",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(RememberNode):
        raise template.TemplateSyntaxError("{% remember %} cannot hold another {% remember %}")
    if nodelist.get_nodes_by_type(BlockNode):  # a child template's block differs from page to page
        raise template.TemplateSyntaxError("{% remember %} cannot hold a {% block %}")
    return RememberNode(nodelist, key)


@register.tag
def fresh(parser, token) -> FreshNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% fresh %} takes no arguments")
    nodelist = parser.parse(("endfresh",))
    parser.delete_first_token()
    return FreshNode(nodelist)


def forget_all(**_kwargs) -> None:
    """Settings are fixed while a process serves, but tests change them (override_settings)."""
    for stretch in list(_stretches):
        stretch.kept.clear()


setting_changed.connect(forget_all, dispatch_uid="remember-forget-all")
