"""The newcomer's journey on a phone: register, enrol, finish a lesson, leave, resume elsewhere."""

from tests.browser.conftest import PHONE

PHONE_NUMBER = "0977 000 111"
PASSWORD = "Hoc-vu-so-2026"


def test_register_enrol_finish_a_lesson_and_resume_in_another_browser(live_site, new_page):
    page = new_page(viewport={"width": 360, "height": 740})
    page.goto(live_site.base + "/dang-ky/")
    page.fill("#id_full_name", "Lò Thị Xuân")
    page.fill("#id_phone", PHONE_NUMBER)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_birth_year", "1961")
    page.select_option("#id_province", label="Điện Biên")
    page.wait_for_selector("#id_commune option:nth-child(6)", state="attached")
    page.select_option("#id_commune", index=1)
    page.select_option("#id_learner_group", value="nguoi_dan")
    page.check("#id_consent")
    page.click("main form.form button[type=submit]:not([name])")
    page.wait_for_url("**/hoc-cua-toi/")

    page.click("header >> text=Khoá học")
    page.click("text=An toàn trên không gian mạng — nhận diện lừa đảo")
    page.click("main >> text=Bắt đầu học")
    page.wait_for_selector("h1")
    first_lesson = page.url
    assert "Bài 1/" in page.inner_text(".lesson-progress")

    page.locator(".checkpoint input[type=radio]").first.check()
    page.click(".checkpoint button[type=submit]")
    page.wait_for_selector(".checkpoint__result")
    page.click("text=Hoàn thành, học bài tiếp")
    page.wait_for_url(lambda url: url != first_lesson)
    second_lesson = page.url
    assert "Bài 2/" in page.inner_text(".lesson-progress")
    page.context.close()

    other = new_page(viewport=PHONE)  # another browser: no cookies, nothing cached
    other.goto(live_site.base + "/dang-nhap/")
    other.fill("#id_username", PHONE_NUMBER)
    other.fill("#id_password", PASSWORD)
    other.click("main form.form button[type=submit]:not([name])")
    other.wait_for_url("**/hoc-cua-toi/")
    assert "Đã học 1/" in other.inner_text("main")
    other.click("main .my-course >> text=Tiếp tục")
    other.wait_for_url(second_lesson)
