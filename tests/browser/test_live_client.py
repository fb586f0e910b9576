"""The live client in a real browser: pushes shown in the live region, reconnection after the
server restarts, and nothing broken where WebSockets are unavailable."""

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
