"""axe-core (WCAG 2.0/2.1 A and AA) on every page, at 320 px and 1280 px."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, log_in_learner, log_in_official
from tests.browser.pages import FORM_ERROR_STATES, LEARNER_PAGES, VISITOR_PAGES

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
VIEWPORTS = {"320": PHONE, "1280": DESKTOP}
axe = Axe()


def assert_accessible(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"a11y-{name}.png", full_page=True)
    results = axe.run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
    ]
    assert not violations, f"{name}: {json.dumps(summary, ensure_ascii=False, indent=1)}"


def assert_no_horizontal_scroll(page, name: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("name", VISITOR_PAGES)
def test_visitor_pages(live_site, new_page, name, width):
    page = new_page(viewport=VIEWPORTS[width])
    page.goto(live_site.base + VISITOR_PAGES[name])
    assert_no_horizontal_scroll(page, name)
    assert_accessible(page, f"{name}-{width}")


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("name", FORM_ERROR_STATES)
def test_forms_showing_errors(live_site, new_page, name, width):
    path, submit = FORM_ERROR_STATES[name]
    page = new_page(viewport=VIEWPORTS[width])
    page.goto(live_site.base + path)
    page.click(submit)
    page.wait_for_selector(".error-summary")
    assert_accessible(page, f"{name}-{width}")


@pytest.mark.parametrize("width", VIEWPORTS)
def test_learner_pages(live_site, new_page, width):
    page = new_page(viewport=VIEWPORTS[width])
    log_in_learner(page, live_site)
    for name, path in LEARNER_PAGES.items():
        page.goto(live_site.base + path)
        assert_no_horizontal_scroll(page, name)
        assert_accessible(page, f"{name}-{width}")


@pytest.mark.parametrize("width", VIEWPORTS)
def test_second_factor_page(live_site, new_page, width):
    page = new_page(viewport=VIEWPORTS[width])
    page.goto(live_site.base + "/admin/login/")
    page.fill("#id_username", "canbo.demo")
    page.fill("#id_password", "demo-canbo-2025")
    page.click("button[type=submit]")
    page.wait_for_url("**/can-bo/xac-thuc-hai-buoc/**")
    assert_accessible(page, f"second-factor-{width}")


def test_official_reaches_the_admin_with_password_and_code(live_site, new_page):
    page = new_page(viewport=DESKTOP)
    log_in_official(page, live_site)
    assert "Bảng điều khiển" in page.content() or page.url.endswith("/admin/")
