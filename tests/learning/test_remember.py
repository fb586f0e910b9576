"""{% remember %} (learning/templatetags/remember.py) and the page layout that uses it."""

import re

import pytest
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from learning.notifications import notify_learner
from tests.factories import ProfileFactory


class Counted:
    """A value that counts how often a template shows it."""

    def __init__(self, text: str) -> None:
        self.text, self.shown = text, 0

    def __str__(self) -> str:
        self.shown += 1
        return self.text


def render(source: str, **context) -> str:
    return Template("{% load i18n remember %}" + source).render(Context(context))


def test_a_stretch_is_rendered_once_and_its_fresh_parts_every_time():
    template = Template(
        "{% load remember %}{% remember %}<p>{{ kept }}, {% fresh %}{{ name }}{% endfresh %}!</p>{% endremember %}"
    )
    kept = Counted("Xin chào")

    first = template.render(Context({"kept": kept, "name": "An"}))
    second = template.render(Context({"kept": kept, "name": "<Bình>"}))

    assert first == "<p>Xin chào, An!</p>"
    assert second == "<p>Xin chào, &lt;Bình&gt;!</p>"  # still escaped
    assert kept.shown == 1


def test_the_key_and_the_language_each_get_their_own_rendering():
    template = Template(
        '{% load i18n remember %}{% remember signed_in %}{% if signed_in %}{% translate "Đăng xuất" %}'
        '{% else %}{% translate "Đăng nhập" %}{% endif %}{% endremember %}'
    )

    with translation.override("vi"):
        assert template.render(Context({"signed_in": True})) == "Đăng xuất"
        assert template.render(Context({"signed_in": False})) == "Đăng nhập"
    with translation.override("en"):
        assert template.render(Context({"signed_in": True})) == "Log out"
        assert template.render(Context({"signed_in": False})) == "Log in"
    with translation.override("vi"):
        assert template.render(Context({"signed_in": True})) == "Đăng xuất"


def test_a_changed_setting_is_seen_at_once():
    """Settings are fixed while a server runs; tests change them, and what was kept goes."""
    template = Template(
        "{% load remember tz %}{% remember %}{% get_current_timezone as zone %}{{ zone }}{% endremember %}"
    )
    assert template.render(Context()) == "Asia/Ho_Chi_Minh"
    with override_settings(TIME_ZONE="UTC"):
        assert template.render(Context()) == "UTC"
    assert template.render(Context()) == "Asia/Ho_Chi_Minh"


def test_fresh_parts_inside_an_included_template_are_rendered_every_time():
    engine = Engine(
        loaders=[
            (
                "django.template.loaders.locmem.Loader",
                {"part.html": "{% load remember %}({% fresh %}{{ n }}{% endfresh %})"},
            )
        ],
        libraries={"remember": "learning.templatetags.remember"},
    )
    template = engine.from_string(
        '{% load remember %}{% remember %}[{% include "part.html" %}]{% endremember %}'
    )
    assert [template.render(Context({"n": n})) for n in (1, 2)] == ["[(1)]", "[(2)]"]


def test_a_fresh_part_outside_a_stretch_is_plain_template():
    assert render("{% fresh %}{{ n }}{% endfresh %}", n=3) == "3"


@pytest.mark.parametrize(
    "source",
    [
        "{% remember %}{% block title %}{% endblock %}{% endremember %}",
        "{% remember %}{% remember %}{% endremember %}{% endremember %}",
        "{% fresh now %}{% endfresh %}",
    ],
)
def test_stretches_that_cannot_be_kept_are_refused_when_parsed(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)


def test_a_fresh_part_in_a_loop_is_refused():
    with pytest.raises(TemplateSyntaxError):
        render(
            "{% remember %}{% for n in numbers %}{% fresh %}{{ n }}{% endfresh %}{% endfor %}{% endremember %}",
            numbers=[1, 2],
        )


# --- The page layout -----------------------------------------------------------------------------

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def layout_tokens(html: str) -> list[str]:
    """The tokens of the header's sign-out form and of the footer's language form."""
    sign_out = html[html.index('action="/dang-xuat/"') :]
    language = html[html.index('class="language-form"') :]
    return [TOKEN.search(sign_out).group(1), TOKEN.search(language).group(1)]


@pytest.mark.django_db
def test_each_learner_sees_their_own_unread_count_and_form_tokens():
    pages = {}
    for name, unread in [("an", 2), ("binh", 0), ("chi", 1)]:
        user = ProfileFactory().user
        for n in range(unread):
            notify_learner(user, kind="test", title=f"Tin {n}")
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        pages[name] = (client, client.get("/tai-khoan/").content.decode())

    assert "data-unread-count>2<" in pages["an"][1]
    assert "data-unread-count" not in pages["binh"][1]
    assert "data-unread-count>1<" in pages["chi"][1]
    tokens = {name: layout_tokens(html) for name, (_client, html) in pages.items()}
    # One token per page, in both forms, masked anew for each page.
    assert all(header == footer for header, footer in tokens.values())
    assert len({header for header, _footer in tokens.values()}) == 3

    # Each page's token is the one its learner's session accepts: signing out works.
    client = pages["binh"][0]
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": tokens["binh"][0]})
    assert response.status_code == 200 and "Bạn đã đăng xuất" in response.content.decode()
    assert ">Đăng xuất<" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_language_form_returns_to_the_page_it_was_sent_from(learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    for path in ["/tai-khoan/", "/thong-bao/"]:
        html = client.get(path).content.decode()
        assert f'<input name="next" type="hidden" value="{path}">' in html
        assert '<option value="vi" lang="vi" selected>Tiếng Việt</option>' in html
        assert '<option value="en" lang="en">English</option>' in html

    token = layout_tokens(html)[1]
    response = client.post(
        reverse("set_language"), {"csrfmiddlewaretoken": token, "language": "en", "next": "/thong-bao/"}
    )
    assert response.status_code == 302 and response["Location"] == "/thong-bao/"

    html = client.get("/thong-bao/").content.decode()
    assert '<html lang="en">' in html
    assert ">Log out<" in html and ">Đăng xuất<" not in html
    assert '<option value="en" lang="en" selected>English</option>' in html
    assert '<option value="vi" lang="vi">Tiếng Việt</option>' in html


@pytest.mark.django_db
def test_a_visitor_after_a_learner_gets_the_visitors_header(learner_client):
    assert ">Đăng xuất<" in learner_client.get("/").content.decode()

    html = Client().get("/").content.decode()

    assert ">Đăng xuất<" not in html and "Học của tôi" not in html
    assert ">Đăng nhập<" in html and ">Đăng ký<" in html
