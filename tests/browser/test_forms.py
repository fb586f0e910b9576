"""Forms as people use them: picking a commune after the province, pressing Enter to save."""

from tests.browser.conftest import PHONE, log_in_learner


def test_commune_list_follows_the_province_and_enter_saves(live_site, new_page):
    page = new_page(viewport=PHONE)
    log_in_learner(page, live_site)
    page.goto(live_site.base + "/tai-khoan/")
    assert page.locator("[data-refresh-communes]").count() == 0  # removed when the script runs

    page.select_option("#id_province", label="Thành phố Đà Nẵng")
    page.wait_for_selector("#id_commune option:nth-child(11)", state="attached")
    assert page.locator("#id_commune option", has_text="Phường Hải Châu").count() == 1
    page.select_option("#id_commune", label="Phường Hải Châu")
    page.fill("#id_full_name", "Nguyễn Thị Mai")
    page.press("#id_full_name", "Enter")

    page.wait_for_selector("text=Đã lưu thông tin của bạn.")
    assert page.input_value("#id_commune") == page.eval_on_selector(
        "#id_commune option:checked", "option => option.value"
    )
    assert page.locator("#id_commune option:checked").inner_text() == "Phường Hải Châu"


def test_without_javascript_the_commune_list_comes_from_the_server(live_site, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_site.base + "/dang-ky/")
        page.select_option("#id_province", label="Thành phố Đà Nẵng")
        page.click("button[name=refresh_communes]")
        page.wait_for_selector("text=Danh sách xã/phường đã được cập nhật")
        assert page.locator("#id_commune option", has_text="Phường Hải Châu").count() == 1
        assert page.locator(".error-summary").count() == 0
    finally:
        context.close()
