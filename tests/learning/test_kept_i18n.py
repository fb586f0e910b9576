"""The i18n template library with kept translations (learning/templatetags/kept_i18n.py).

Every template renders exactly as with Django's own library, in every language, and fixed text
is translated once per catalogue."""

import pytest
from django.template import Context, Engine, Template, TemplateSyntaxError, engines
from django.utils import translation

from learning.templatetags import kept_i18n

DJANGOS_OWN = Engine(libraries={"i18n": "django.templatetags.i18n"})

SOURCES = [
    '{% translate "Nộp bài" %}',
    "{% trans 'Nộp bài' %}",
    '{% translate "Nộp bài" as label %}[{{ label }}]',
    '{% translate "Nộp bài" noop %}',
    "{% translate word %}",
    '{% translate "Nộp bài"|upper %}',
    '{% translate "Pin còn 5% — 100%% chắc" %}',
    '{% translate "May" context "long month name" %}',
    '{% translate "May" context kind %}',
    "{% blocktranslate with n=3 total=5 %}Câu {{ n }}/{{ total }}{% endblocktranslate %}",
    "{% blocktrans with n=3 total=5 %}Câu {{ n }}/{{ total }}{% endblocktrans %}",
    "{% blocktranslate %}Chào {{ name }}, còn 5% nữa{% endblocktranslate %}",
    "{% blocktranslate trimmed with n=2 %}\n   Lần làm thứ\n   {{ n }}\n{% endblocktranslate %}",
    "{% blocktranslate with n=2 asvar text %}Lần làm thứ {{ n }}{% endblocktranslate %}[{{ text }}]",
    "{% blocktranslate count c=k %}một câu{% plural %}{{ c }} câu{% endblocktranslate %}",
    '{% blocktranslate context "long month name" %}May{% endblocktranslate %}',
    "{% blocktranslate %}Thiếu {{ missing }}{% endblocktranslate %}",
    "{% for l in languages %}{% language l %}{% translate 'Nộp bài' %} "
    "{% blocktranslate with n=1 total=5 %}Câu {{ n }}/{{ total }}{% endblocktranslate %};"
    "{% endlanguage %}{% endfor %}",
]

CONTEXT = {
    "word": "Nộp bài",
    "kind": "long month name",
    "name": "<b>An</b>",
    "k": 3,
    "languages": ["vi", "en", "vi"],
}


def both(source: str, **context) -> tuple[str, str]:
    source = "{% load i18n %}" + source
    ours = Template(source).render(Context({**CONTEXT, **context}))
    djangos = DJANGOS_OWN.from_string(source).render(Context({**CONTEXT, **context}))
    return ours, djangos


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("language", ["vi", "en", None])
def test_every_tag_renders_as_with_djangos_own_library(source, language):
    with translation.override(language):
        ours, djangos = both(source)
        again, _ = both(source)  # the second render may come from what was kept

    assert ours == djangos
    assert again == djangos


def test_one_template_kept_in_one_language_renders_the_next_language_at_once():
    template = Template(
        '{% load i18n %}{% translate "Nộp bài" %} · '
        "{% blocktranslate with n=2 total=5 %}Câu {{ n }}/{{ total }}{% endblocktranslate %}"
    )

    with translation.override("vi"):
        assert template.render(Context()) == "Nộp bài · Câu 2/5"
    with translation.override("en"):
        assert template.render(Context()) == "Submit · Question 2 of 5"
    with translation.override(None):  # no catalogue at all: the source text
        assert template.render(Context()) == "Nộp bài · Câu 2/5"
    with translation.override("en"):
        assert template.render(Context()) == "Submit · Question 2 of 5"


def test_fixed_text_is_translated_once_per_catalogue_and_values_every_time(monkeypatch):
    template = Template(
        '{% load i18n %}{% translate "Nộp bài" %} '
        "{% blocktranslate with n=number %}Lần làm thứ {{ n }}{% endblocktranslate %}"
    )
    looked_up = []
    gettext = translation._trans.gettext  # what gettext, gettext_lazy and Django's tags all call
    monkeypatch.setattr(
        translation._trans, "gettext", lambda message: looked_up.append(message) or gettext(message)
    )

    with translation.override("en"):
        first = template.render(Context({"number": 1}))
        looked_up_first = len(looked_up)
        second = template.render(Context({"number": "<2>"}))

    assert first == "Submit Attempt 1"
    assert second == "Submit Attempt &lt;2&gt;"  # the value is still rendered and escaped
    assert looked_up_first == 2
    assert len(looked_up) == looked_up_first


def test_a_translation_that_does_not_fit_its_values_fails_as_in_django(monkeypatch):
    source = "{% load i18n %}{% blocktranslate with n=1 %}Lần làm thứ {{ n }}{% endblocktranslate %}"
    monkeypatch.setattr(translation._trans, "gettext", lambda message: "%(khác)s")

    with pytest.raises(TemplateSyntaxError) as ours:
        Template(source).render(Context())
    with pytest.raises(TemplateSyntaxError) as djangos:
        DJANGOS_OWN.from_string(source).render(Context())

    assert str(ours.value) == str(djangos.value)


def test_every_template_loads_this_library_as_i18n():
    libraries = Engine.get_default().template_libraries

    assert libraries["i18n"] is kept_i18n.register
    assert set(libraries["i18n"].tags) == set(DJANGOS_OWN.template_libraries["i18n"].tags)
    assert libraries["i18n"].filters == DJANGOS_OWN.template_libraries["i18n"].filters


def test_no_other_template_library_name_is_given_twice():
    """The settings silence Django's warning of a name given to two libraries, for i18n's sake."""
    warnings = [warning.msg for warning in engines["django"].check() if warning.id == "templates.W003"]

    assert warnings == [
        "'i18n' is used for multiple template tag modules: "
        "'django.templatetags.i18n', 'learning.templatetags.kept_i18n'"
    ]
