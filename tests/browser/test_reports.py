"""Officials' report pages in Chromium: accessible (axe) and without sideways scrolling, on a
phone and a desktop, with the demo's few hundred learners behind the numbers."""

import time

from tests.browser.conftest import DESKTOP, PHONE, log_in_learner, log_in_official
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


def test_the_live_page_refreshes_its_numbers_while_it_is_open(live_site, new_page):
    official = new_page(viewport=DESKTOP)
    log_in_official(official, live_site)
    official.goto(live_site.base + REPORT_PAGES["report-live"])
    loaded_at = official.inner_text("[data-live=at]")
    learner = new_page(viewport=PHONE)
    log_in_learner(learner, live_site)  # the dashboard opens the learner's live socket
    learner.wait_for_selector("html[data-live=open]", state="attached", timeout=30_000)

    refreshes, seen, deadline = 0, loaded_at, time.monotonic() + 60
    while refreshes < 2:  # two rounds of the page's own polling, after the learner came online
        assert time.monotonic() < deadline, "the live page did not refresh itself"
        now = official.inner_text("[data-live=at]")
        refreshes, seen = refreshes + (now != seen), now
        time.sleep(0.5)

    server = official.request.get(live_site.base + "/admin/bao-cao/dang-hoc.json").json()
    assert official.inner_text("[data-live=total]") == server["total"] != "0"
