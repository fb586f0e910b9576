"""The live client in a real browser: pushes shown in the live region, reconnection after the
server restarts, backing off from a server too busy for the handshake, and nothing broken where
WebSockets are unavailable."""

import time
from itertools import pairwise

from tests.browser.conftest import PHONE, log_in_learner

PASSWORD = "demo-hocvien-2025"
OTHER = "Doi-mat-khau-2026"


def change_password(page, site, old: str, new: str) -> None:
    page.goto(site.base + "/tai-khoan/doi-mat-khau/")
    page.fill("#id_old_password", old)
    page.fill("#id_new_password1", new)
    page.fill("#id_new_password2", new)
    page.click("main form.form button[type=submit]:not([name])")
    page.wait_for_url("**/tai-khoan/")
    assert "Đã đổi mật khẩu." in page.content()


def test_push_arrives_and_the_client_reconnects_after_a_server_restart(live_site, new_page):
    reader = new_page(viewport=PHONE)
    log_in_learner(reader, live_site)
    reader.goto(live_site.base + "/thong-bao/")
    reader.wait_for_selector("html[data-live=open]")
    writer = reader.context.new_page()

    change_password(writer, live_site, PASSWORD, OTHER)
    live = reader.locator("#live-notifications")
    live.get_by_text("Mật khẩu của bạn vừa được đổi").first.wait_for(timeout=5000)
    assert reader.get_attribute("#live-notifications", "aria-live") == "polite"

    live_site.restart_server()
    reader.wait_for_selector("html[data-live=open]", timeout=30000)
    before = live.get_by_text("Mật khẩu của bạn vừa được đổi").count()

    change_password(writer, live_site, OTHER, PASSWORD)
    live.locator(".notification").nth(before).wait_for(timeout=5000)


def test_pages_work_without_websockets(live_site, new_page):
    page = new_page(viewport=PHONE)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script("delete window.WebSocket;")
    log_in_learner(page, live_site)
    page.goto(live_site.base + "/tai-khoan/")
    page.fill("#id_full_name", "Nguyễn Thị Mai")
    page.click("main form.form button[type=submit]:not([name])")
    page.wait_for_url("**/tai-khoan/")
    assert "Đã lưu thông tin của bạn." in page.content()
    assert page.get_attribute("html", "data-live") is None
    assert errors == []


def test_refused_socket_is_retried_quietly(live_site, new_page):
    page = new_page(viewport=PHONE)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in_learner(page, live_site)
    page.context.clear_cookies()  # the socket handshake is now refused as anonymous
    page.goto(live_site.base + "/")  # an anonymous page: the live client does not even load
    assert page.get_attribute("html", "data-live") is None
    assert errors == []


# Before the page's own scripts: every value data-live takes, and a fixed "random" so that the
# waits are the longest the client may choose.
WATCH_LIVE_STATE = """
window.liveStates = [];
Math.random = function () { return 0.99; };
new MutationObserver(function (changes) {
  changes.forEach(function (change) {
    if (change.target === document.documentElement) {
      window.liveStates.push(change.target.getAttribute("data-live"));
    }
  });
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-live"]});
"""


def test_a_page_turned_away_by_a_busy_server_asks_less_and_less_often(live_site, new_page):
    page = new_page(viewport=PHONE)
    log_in_learner(page, live_site)
    page.goto("about:blank")  # no socket of an earlier page in the count
    # A server too busy for any handshake: each is accepted and closed at once with 4503.
    live_site.restart_server(LIVE_HANDSHAKES_IN_FLIGHT="0", LIVE_RECONNECT_SPREAD_SECONDS="1")
    try:
        tries: list[float] = []
        page.on("websocket", lambda socket: tries.append(time.monotonic()))
        page.add_init_script(WATCH_LIVE_STATE)
        page.goto(live_site.base + "/thong-bao/")
        page.wait_for_timeout(7500)
        states = page.evaluate("window.liveStates")
    finally:
        live_site.restart_server()  # room again, for this test's end and the tests after it
    # Never shown as live, and each wait longer than the one before: 2 s, then 4 s (a page that
    # counted the accepted socket as open waited 1 s every time).
    assert "open" not in states and "closed" in states, states
    gaps = [later - earlier for earlier, later in pairwise(tries)]
    assert len(gaps) >= 2, gaps
    assert gaps[1] > 1.5 * gaps[0] > 2.5, gaps

    # Back online, the page connects at once instead of waiting out its back-off, and is live.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("html[data-live=open]", timeout=10000)
