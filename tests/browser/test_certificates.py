"""The demo learner's certificate in Chromium: their list, the share page, the public
verification page and the look-up form, accessible and light, for anyone on a phone."""

from tests.browser.conftest import DESKTOP, PHONE, log_in_learner
from tests.browser.test_accessibility import assert_accessible, assert_no_horizontal_scroll
from tests.browser.test_page_weight import BUDGET_BYTES, first_load_bytes, record


def test_verification_from_the_share_link_and_by_short_code(live_site, new_page):
    learner = new_page(viewport=PHONE)
    log_in_learner(learner, live_site)
    learner.goto(live_site.base + "/chung-nhan-cua-toi/1/")
    link = learner.input_value("#share-link")
    code = learner.locator("dd code").inner_text()
    assert "/chung-nhan/" in link and len(code) == 11

    for viewport, width in ((PHONE, "320"), (DESKTOP, "1280")):
        visitor = new_page(viewport=viewport)  # anyone: not signed in
        visitor.goto(link.replace("http://127.0.0.1:8000", live_site.base))
        assert "Chứng nhận hợp lệ" in visitor.content()
        assert_no_horizontal_scroll(visitor, f"certificate-verify-{width}")
        assert_accessible(visitor, f"certificate-verify-{width}")

    visitor = new_page(viewport=PHONE)
    visitor.goto(live_site.base + "/tra-cuu-chung-nhan/")
    visitor.fill("#ma", code.lower())
    visitor.click("main form button[type=submit]")
    visitor.wait_for_url("**/chung-nhan/*/")
    assert "Chứng nhận hợp lệ" in visitor.content()
    visitor.goto(live_site.base + "/tra-cuu-chung-nhan/?ma=AAAAA-AAAAA")
    assert "Không tìm thấy" in visitor.content()
    assert_accessible(visitor, "certificate-lookup-not-found-320")

    total, by_type = first_load_bytes(
        new_page(viewport=PHONE), link.replace("http://127.0.0.1:8000", live_site.base)
    )
    record("certificate-verify", total, by_type)
    assert total <= BUDGET_BYTES
