"""`make run` for real: migrate, demo content, the worker and Daphne as separate processes.

Uses the embedded default (SQLite file, in-memory channel layer) in a temporary folder, which
is what a newcomer gets, whatever database the rest of the suite runs on.
"""

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import websocket

pytestmark = pytest.mark.server

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(live_site):
    return {
        "base": live_site.base,
        "port": live_site.port,
        "demo_output": live_site.demo_output,
        "logs": live_site.logs,
    }


def test_home_page_is_vietnamese_with_a_visible_register_link(site):
    response = requests.get(site["base"] + "/", timeout=5)
    assert response.status_code == 200
    assert '<html lang="vi">' in response.text
    assert ">Đăng ký<" in response.text


def test_static_files_are_served(site):
    html = requests.get(site["base"] + "/", timeout=5).text
    css = re.search(r'href="(/static/css/site\.[^"]*css)"', html).group(1)
    response = requests.get(site["base"] + css, timeout=5)
    assert response.status_code == 200
    assert "font-size" in response.text


def test_admin_login_is_served(site):
    response = requests.get(site["base"] + "/admin/login/", timeout=5)
    assert response.status_code == 200
    assert 'name="password"' in response.text


def post_form(session: requests.Session, url: str, data: dict) -> requests.Response:
    """Open the form page for its CSRF token, then submit, as a browser would."""
    page = session.get(url, timeout=5)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(url, data={"csrfmiddlewaretoken": token, **data}, timeout=15)


def register(site) -> requests.Session:
    session = requests.Session()
    communes = session.get(site["base"] + "/dia-ban/1/xa.json", timeout=5).json()["communes"]
    response = post_form(
        session,
        site["base"] + "/dang-ky/",
        {
            "full_name": "Phạm Văn Thành",
            "phone": "0977 123 456",
            "password1": "Thanh-cong-2025",
            "password2": "Thanh-cong-2025",
            "birth_year": "1955",
            "province": "1",
            "commune": str(communes[0]["code"]),
            "learner_group": "nguoi_dan",
            "consent": "on",
        },
    )
    assert response.status_code == 200, response.text
    assert response.url.endswith("/hoc-cua-toi/")
    assert "Đăng ký thành công" in response.text
    return session


def test_registration_flow_and_authenticated_websocket(site):
    session = register(site)
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{site['port']}/ws/live/",
        cookie=f"sessionid={session.cookies['sessionid']}",
        origin=site["base"],
        timeout=5,
    )
    try:
        assert ws.recv() == '{"type": "hello"}'
    finally:
        ws.close()


def test_websocket_refuses_anonymous_visitors_and_foreign_origins(site):
    with pytest.raises(websocket.WebSocketBadStatusException) as anonymous:
        websocket.create_connection(f"ws://127.0.0.1:{site['port']}/ws/live/", origin=site["base"], timeout=5)
    assert anonymous.value.status_code == 403

    session = register_other(site)
    with pytest.raises(websocket.WebSocketBadStatusException) as foreign:
        websocket.create_connection(
            f"ws://127.0.0.1:{site['port']}/ws/live/",
            cookie=f"sessionid={session.cookies['sessionid']}",
            origin="https://evil.example",
            timeout=5,
        )
    assert foreign.value.status_code == 403


def register_other(site) -> requests.Session:
    session = requests.Session()
    response = post_form(
        session, site["base"] + "/dang-nhap/", {"username": "0912345678", "password": "demo-hocvien-2025"}
    )
    assert response.url.endswith("/hoc-cua-toi/")
    return session


def test_worker_beside_the_server_publishes_scheduled_pages(site):
    deadline = time.monotonic() + 30
    while requests.get(site["base"] + "/lich-khai-giang/", timeout=5).status_code != 200:
        assert time.monotonic() < deadline, (site["logs"] / "worker.log").read_text()
        time.sleep(0.3)


def test_demo_command_prints_how_officials_log_in(site):
    assert "canbo.demo" in site["demo_output"]
    assert "/admin/" in site["demo_output"]


def test_locust_suite_runs_against_the_server_without_failures(site, tmp_path):
    result = subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            "loadtests/locustfile.py",
            "--headless",
            "--users",
            "5",
            "--spawn-rate",
            "5",
            "--run-time",
            "4s",
            "--host",
            site["base"],
            "--only-summary",
            "--csv",
            str(tmp_path / "smoke"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    stats = (tmp_path / "smoke_stats.csv").read_text()
    aggregated = next(line for line in stats.splitlines() if line.startswith(",Aggregated"))
    requests_made, failures = (int(value) for value in aggregated.split(",")[2:4])
    assert requests_made > 0
    assert failures == 0


def test_certificate_tokens_never_reach_the_servers_access_log(site):
    token = re.search(r"/chung-nhan/([A-Za-z0-9_-]{40,})/", site["demo_output"]).group(1)
    assert requests.get(f"{site['base']}/chung-nhan/{token}/", timeout=10).status_code == 200
    deadline = time.monotonic() + 10
    log = ""
    while "/chung-nhan/[redacted]/" not in log and time.monotonic() < deadline:
        time.sleep(0.2)
        log = (site["logs"] / "daphne.log").read_text()
    assert "/chung-nhan/[redacted]/" in log
    assert token not in log
