"""Django's ``i18n`` template library, with the translations of fixed text kept per catalogue.

``{% translate "Nộp bài" %}`` costs Django about 13 µs on every render: a lazy proxy, the
catalogue look-up, checks for dates and numbers, escaping. A quiz page holds some forty such
tags, yet their output changes only with the language. ``{% blocktranslate %}`` re-renders its
message from the template's tokens and looks it up again each time, for a message that is fixed
too: only the values put into it change.

This library is Django's own — every tag and filter, under the name ``i18n`` (set in
``TEMPLATES``), so every template, Wagtail's included, uses it unchanged — except for two
nodes:

- ``{% translate %}`` of a literal string, without filters: its output is kept per active
  catalogue. A variable, a filter or a variable context is rendered as Django does.
- ``{% blocktranslate %}`` without a plural: its translated message is kept per active catalogue;
  the values put into it are rendered on every call, as before.

The first render in a catalogue goes through Django's code, so what is kept is exactly what
Django renders. "The active catalogue" is the translation object Django has activated (one per
language, for the life of the process), so ``{% language %}``, ``translation.override`` — also
to ``None`` — and a reload of changed message files each get their own.
"""

import weakref

from django import template
from django.core.signals import setting_changed
from django.template.base import render_value_in_context
from django.templatetags import i18n as django_i18n
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import trans_real

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)

CATALOGUES_KEPT = 8  # per node: the languages, plus the odd override; a safeguard, not a tuning knob
_nodes: "weakref.WeakSet[template.Node]" = weakref.WeakSet()


def active_catalogue():
    """The translation object rendering now; None means the default language's."""
    return getattr(trans_real._active, "value", None)


def is_constant(expression) -> bool:
    """A quoted string with no filters (a ``FilterExpression`` resolves it once, when parsed)."""
    return expression is None or (not expression.filters and isinstance(expression.var, str))


class KeptTranslateNode(django_i18n.TranslateNode):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kept: dict = {}
        _nodes.add(self)

    def render(self, context) -> str:
        key = (active_catalogue(), context.autoescape)
        value = self.kept.get(key)
        if value is None:
            value = super().render(context)
            if self.asvar:
                value = context[self.asvar]
            if len(self.kept) >= CATALOGUES_KEPT:
                self.kept.clear()
            self.kept[key] = value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


class KeptBlockTranslateNode(django_i18n.BlockTranslateNode):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.message, self.names = self.render_token_list(self.singular)
        self.kept: dict = {}
        _nodes.add(self)

    def render(self, context, nested=False) -> str:
        catalogue = active_catalogue()
        result = self.kept.get(catalogue)
        if result is None:
            if self.message_context:
                result = translation.pgettext(self.message_context.resolve(context), self.message)
            else:
                result = translation.gettext(self.message)
            if len(self.kept) >= CATALOGUES_KEPT:
                self.kept.clear()
            self.kept[catalogue] = result
        with context.push({name: value.resolve(context) for name, value in self.extra_context.items()}):
            data = {name: self.render_value(name, context) for name in self.names}
        try:
            result %= data
        except (KeyError, ValueError):  # a malformed translation: Django's own path falls back to the source
            return super().render(context, nested)
        if self.asvar:
            context[self.asvar] = SafeString(result)
            return ""
        return result

    @staticmethod
    def render_value(name: str, context) -> str:
        if name in context:
            value = context[name]
        else:
            default = context.template.engine.string_if_invalid
            value = default % name if "%s" in default else default
        return render_value_in_context(value, context)


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    if is_constant(node.message_context) and not node.filter_expression.filters:
        variable = node.filter_expression.var
        if isinstance(variable, template.Variable) and variable.literal is not None:
            return KeptTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)
    return node


@register.tag("blocktranslate")
@register.tag("blocktrans")
def do_block_translate(parser, token):
    node = django_i18n.do_block_translate(parser, token)
    if node.countervar is None and is_constant(node.message_context):  # no plural
        return KeptBlockTranslateNode(
            node.extra_context,
            node.singular,
            node.plural,
            message_context=node.message_context,
            trimmed=node.trimmed,
            asvar=node.asvar,
            tag_name=node.tag_name,
        )
    return node


def forget_all(**_kwargs) -> None:
    """A changed setting (in tests) can change the default language or the message files."""
    for node in list(_nodes):
        node.kept.clear()


setting_changed.connect(forget_all, dispatch_uid="kept-i18n-forget-all")
