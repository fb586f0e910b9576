"""Wagtail's editor works under the admin's Content-Security-Policy: no violations while
editing, the preview panel renders the page, and a page can be scheduled to go live through the
schedule dialog. (tests/test_server.py checks that the worker publishes scheduled pages.)"""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.browser.conftest import DESKTOP, log_in_official

DRAFT = """
import json
from wagtail.models import Page
from courses.models import HomePage
page = Page(title="Lịch học dịp Tết", slug="lich-hoc-dip-tet", live=False)
HomePage.objects.get().add_child(instance=page)
page.save_revision()
print("DRAFT", page.pk)
"""

SCHEDULED = """
import json
from wagtail.models import Page
page = Page.objects.get(slug="lich-hoc-dip-tet")
revision = page.latest_revision
print("SCHEDULED", json.dumps({
    "live": page.live,
    "go_live_at": page.go_live_at and page.go_live_at.isoformat(),
    "approved_go_live_at": revision.approved_go_live_at and revision.approved_go_live_at.isoformat(),
}))
"""


def csp_violations(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


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


def test_scheduling_a_page_works_under_the_admin_policy(live_site, new_page):
    page = new_page(viewport=DESKTOP)
    violations = csp_violations(page)
    log_in_official(page, live_site)
    draft_id = live_site.manage("shell", "-c", DRAFT).split("DRAFT ")[1].strip()
    go_live = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(second=0, microsecond=0) + timedelta(days=2)

    page.goto(f"{live_site.base}/admin/pages/{draft_id}/edit/")
    page.locator("[data-side-panel-toggle='status']").click()
    page.locator("[data-a11y-dialog-show='schedule-publishing-dialog']").first.click()
    dialog = page.locator("#schedule-publishing-dialog")
    dialog.locator("#id_go_live_at").fill(go_live.strftime("%Y-%m-%d %H:%M"))
    save = dialog.get_by_role("button", name="Lưu lịch hẹn giờ")
    save.focus()  # leaving the field closes the date picker, which covers the button
    page.keyboard.press("Enter")
    page.wait_for_selector(".messages .success")
    page.locator("[data-side-panel-toggle='status']").click()
    page.get_by_text("Sau khi hẹn giờ:").wait_for()  # the draft now carries a schedule
    publish = page.locator("button[name=action-publish]")
    if not publish.is_visible():  # in the footer's menu of further actions
        page.locator("footer [data-w-dropdown-target='toggle']").last.click()
    publish.click()
    page.wait_for_url(lambda url: "/edit/" not in url)

    found = live_site.manage("shell", "-c", SCHEDULED).split("SCHEDULED ")[1]
    state = json.loads(found)
    assert state["live"] is False
    assert datetime.fromisoformat(state["go_live_at"]) == go_live
    assert datetime.fromisoformat(state["approved_go_live_at"]) == go_live
    assert violations == [], violations
