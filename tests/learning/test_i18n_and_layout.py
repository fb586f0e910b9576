import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).resolve().parents[2] / "learning" / "locale"
LEARNER_PAGES = ["/", "/dang-ky/", "/dang-nhap/", "/quen-mat-khau/", "/khong-co-trang/"]


def test_vietnamese_is_the_default_language(client):
    html = client.get("/dang-nhap/").content.decode()
    assert '<html lang="vi">' in html
    assert "Số điện thoại hoặc tên đăng nhập" in html


def test_english_is_available(client):
    client.cookies["django_language"] = "en"
    html = client.get("/dang-ky/").content.decode()
    assert '<html lang="en">' in html
    assert "Sign up" in html
    assert "Đăng ký tài khoản học" not in html


def test_admin_sign_in_page_is_vietnamese(client):
    html = client.get("/admin/login/").content.decode()
    assert "Đăng nhập trang quản trị" in html


@pytest.mark.parametrize("language", ["en", "vi"])
def test_catalogues_are_complete_and_compiled(language):
    po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    untranslated = [
        message.id
        for message in catalog
        if message.id
        and (not message.string or (isinstance(message.string, tuple) and not all(message.string)))
    ]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert not untranslated
    assert not fuzzy
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), "run `make messages`"
    assert mo_path.stat().st_mtime >= po_path.stat().st_mtime


@pytest.mark.parametrize("path", LEARNER_PAGES)
def test_learner_pages_have_no_inline_script_and_a_mobile_viewport(client, path):
    html = client.get(path).content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"
    assert 'class="skip-link" href="#main"' in html
