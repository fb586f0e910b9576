"""Officials' report pages in Chromium: accessible (axe) and without sideways scrolling, on a
phone and a desktop, with the demo's few hundred learners behind the numbers."""

from tests.browser.conftest import DESKTOP, PHONE, log_in_official
from tests.browser.test_accessibility import assert_accessible, assert_no_horizontal_scroll

REPORT_PAGES = {
    "report-progress": "/admin/bao-cao/tien-do/",
    "report-progress-province": "/admin/bao-cao/tien-do/?province=1",
    "report-practice": "/admin/bao-cao/thuc-hanh/",
    "report-live": "/admin/bao-cao/dang-hoc/",
}


def test_report_pages_are_accessible_on_phone_and_desktop(live_site, new_page):
    page = new_page(viewport=DESKTOP)
    log_in_official(page, live_site)
    signed_in = page.context.storage_state()
    for viewport, width in ((DESKTOP, "1280"), (PHONE, "320")):
        page = new_page(viewport=viewport, storage_state=signed_in)
        for name, path in REPORT_PAGES.items():
            page.goto(live_site.base + path)
            page.wait_for_selector("main table")
            assert "< 5" in page.inner_text("main") or "Tổng" in page.inner_text("main")
            assert_no_horizontal_scroll(page, f"{name}-{width}")
            assert_accessible(page, f"{name}-{width}")
