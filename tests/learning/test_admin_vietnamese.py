"""The Wagtail admin speaks Vietnamese on the screens officials use."""

import glob
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from courses.models import HomePage

WAGTAIL = Path(__import__("wagtail").__file__).parent
# The apps whose screens officials use: pages, workflow and moderation, snippets, images,
# documents, reports, users and account (login, password), sites, redirects, forms.
OFFICIAL_APPS = [
    "admin",
    ".",
    "images",
    "documents",
    "snippets",
    "users",
    "sites",
    "contrib/redirects",
    "contrib/forms",
]
# Two plural messages about page translations, which this site does not enable: Babel refuses
# their only Vietnamese form (it names a count the English singular lacks).
KNOWN_GAPS = {
    "Deleting this page will also delete %(translation_count)s translation of this page.",
    "This page has one child page and its translations have a combined %(translation_descendant_count)s translated child pages. Unpublish these too",
}


def english_messages(domain: str):
    for app in OFFICIAL_APPS:
        for path in glob.glob(str(WAGTAIL / app / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po")):
            with open(path, "rb") as handle:
                yield from (message for message in read_po(handle) if message.id)


def test_every_admin_message_officials_see_has_vietnamese():
    missing = []
    with translation.override("vi"):
        for message in english_messages("django"):
            singular = message.id[0] if isinstance(message.id, tuple) else message.id
            if singular in KNOWN_GAPS:
                continue
            if isinstance(message.id, tuple):
                found = (
                    translation.npgettext(message.context, *message.id, 5)
                    if message.context
                    else translation.ngettext(*message.id, 5)
                )
                untranslated = found == message.id[1]
            else:
                found = (
                    translation.pgettext(message.context, singular)
                    if message.context
                    else translation.gettext(singular)
                )
                untranslated = found == singular
            if untranslated and any(ch.isalpha() for ch in singular.replace("Wagtail", "")):
                missing.append(singular)
    # A handful of messages are the same in both languages (names, codes such as "URL", "ID").
    assert len(missing) < 40, missing


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/admin/", "Tổng quan trang web"),
        ("/admin/pages/", "Trang"),
        ("/admin/images/", "Hình ảnh"),
        ("/admin/documents/", "Tài liệu"),
        ("/admin/users/", "Người dùng"),
        ("/admin/workflows/list/", "Quy trình"),
        ("/admin/reports/locked/", "Trang đang bị khoá"),
        ("/admin/account/", "Tài khoản"),
    ],
)
def test_admin_screens_are_vietnamese(official_client, path, expected):
    response = official_client.get(path)
    assert response.status_code == 200
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_page_editor_is_vietnamese(official_client):
    html = official_client.get(f"/admin/pages/{HomePage.objects.get().pk}/edit/").content.decode()
    for words in ["Lưu bản nháp", "Xuất bản", "Xem trước", "Nội dung"]:
        assert words in html, words
