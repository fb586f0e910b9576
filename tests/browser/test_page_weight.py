"""First-load weight of each page type as a 3G phone receives it (compressed), under 100 KB."""

import json

import pytest

from tests.browser.conftest import ARTIFACTS, PHONE, log_in_learner
from tests.browser.pages import LEARNER_PAGES, VISITOR_PAGES
from tests.figures import figure

BUDGET_BYTES = 100_000
COUNTED = {"document", "stylesheet", "script", "font"}


def record(name: str, total: int, by_type: dict[str, int]) -> None:
    """Print the figure and keep it in test-artifacts/page-weight.jsonl for the report."""
    figure(f"page weight {name}: {total} B {by_type}")
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "page-weight.jsonl").open("a") as log:
        log.write(json.dumps({"page": name, "bytes": total, "by_type": by_type}) + "\n")


def first_load_bytes(page, url: str) -> tuple[int, dict[str, int]]:
    received: list = []

    def collect(request):
        received.append(request)

    page.on("requestfinished", collect)
    page.goto(url, wait_until="networkidle")
    page.remove_listener("requestfinished", collect)
    by_type: dict[str, int] = {}
    for request in received:
        if request.resource_type in COUNTED:
            sizes = request.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            by_type[request.resource_type] = by_type.get(request.resource_type, 0) + size
    return sum(by_type.values()), by_type


@pytest.mark.parametrize("name", [n for n in VISITOR_PAGES if n != "admin-login"])
def test_visitor_page_weight(live_site, new_page, name):
    page = new_page(viewport=PHONE)
    total, by_type = first_load_bytes(page, live_site.base + VISITOR_PAGES[name])
    record(name, total, by_type)
    assert total <= BUDGET_BYTES, f"{name}: {total} B {by_type}"


def test_learner_page_weight(live_site, new_page):
    login_page = new_page(viewport=PHONE)
    log_in_learner(login_page, live_site)
    signed_in = login_page.context.storage_state()
    for name, path in LEARNER_PAGES.items():
        page = new_page(viewport=PHONE, storage_state=signed_in)  # signed in, empty cache
        total, by_type = first_load_bytes(page, live_site.base + path)
        record(name, total, by_type)
        assert total <= BUDGET_BYTES, f"{name}: {total} B {by_type}"


def test_html_and_css_arrive_compressed(live_site, new_page):
    page = new_page(viewport=PHONE)
    encodings = {}
    page.on(
        "response",
        lambda r: encodings.__setitem__(r.request.resource_type, r.headers.get("content-encoding")),
    )
    page.goto(live_site.base + "/dang-ky/", wait_until="networkidle")
    assert encodings["document"] == "gzip"
    assert encodings["stylesheet"] in {"gzip", "br"}
