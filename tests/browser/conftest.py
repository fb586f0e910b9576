"""Real-browser tests: Playwright driving Debian's Chromium against the live site.

Playwright may not download a browser here, so it is pointed at the system Chromium
(``CHROMIUM_PATH``, or ``chromium`` on the PATH). Without one these tests are skipped
locally, loudly, and fail in CI (``CI`` set), where they must run.

The site's CSP has no ``unsafe-eval``. ``Page.wait_for_function`` re-evaluates its
predicate with ``eval`` in the page whenever the first check fails, so it breaks only
on a slow run; wait on selectors, locators or URLs instead.
"""

import base64
import os
import shutil
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django_otp.oath import totp

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOW_TO_ENABLE = "install Debian's Chromium (apt-get install chromium) or set CHROMIUM_PATH"
PHONE = {"width": 320, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing in CI: the browser tests must run ({HOW_TO_ENABLE}).")
        pytest.skip(f"BROWSER TESTS DID NOT RUN: no Chromium found — {HOW_TO_ENABLE}.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, which Django's async-safety
    # check would take for async code; these tests never touch the test database.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def new_page(browser, request):
    """A fresh context and page; on failure a screenshot and a trace go to test-artifacts/."""
    contexts = []

    def make(viewport=PHONE, **options):
        context = browser.new_context(viewport=viewport, locale="vi-VN", **options)
        context.tracing.start(screenshots=True, snapshots=True)
        contexts.append(context)
        return context.new_page()

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    ARTIFACTS.mkdir(exist_ok=True)
    from playwright.sync_api import Error as PlaywrightError

    for n, context in enumerate(contexts):
        name = f"{request.node.name}-{n}".replace("/", "_")
        try:
            if failed:
                for page in context.pages:
                    page.screenshot(path=ARTIFACTS / f"{name}-failure.png", full_page=True)
                context.tracing.stop(path=ARTIFACTS / f"{name}-trace.zip")
            else:
                context.tracing.stop()
            context.close()
        except PlaywrightError:
            pass  # the test closed this context itself (a learner leaving, say)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


def log_in_learner(page, site, phone="0912345678", password="demo-hocvien-2025") -> None:
    page.goto(site.base + "/dang-nhap/")
    page.fill("#id_username", phone)
    page.fill("#id_password", password)
    page.click("main form.form button[type=submit]:not([name])")
    page.wait_for_url("**/hoc-cua-toi/")


_last_totp_step: dict[str, int] = {}


def fresh_totp(site) -> str:
    """A code for a time step not used yet: django-otp rightly refuses a code used twice."""
    step = int(time.time()) // 30
    if _last_totp_step.get(site.totp_secret, -1) >= step:
        time.sleep(30 - time.time() % 30 + 0.5)
        step = int(time.time()) // 30
    _last_totp_step[site.totp_secret] = step
    key = base64.b32decode(site.totp_secret + "=" * (-len(site.totp_secret) % 8))
    return f"{totp(key, t0=0, step=30):06d}"


def log_in_official(page, site) -> None:
    page.goto(site.base + "/admin/login/")
    page.fill("#id_username", "canbo.demo")
    page.fill("#id_password", "demo-canbo-2025")
    page.click("button[type=submit]")
    page.wait_for_url("**/can-bo/xac-thuc-hai-buoc/**")
    page.fill("#id_code", fresh_totp(site))
    page.click("main form.form button[type=submit]:not([name])")
    page.wait_for_url(lambda url: urlparse(url).path == "/admin/")
