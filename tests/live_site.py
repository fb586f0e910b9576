"""Run the site as `make run` does: migrate, demo content, the worker and Daphne as processes.

Always the embedded default (SQLite file, in-memory channel layer) in a temporary folder,
whatever database the rest of the suite runs on.
"""

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DAPHNE_ARGS = ["--ping-interval", "55", "--ping-timeout", "30"]

SCHEDULE_PAGE = """
from datetime import timedelta
from django.utils import timezone
from wagtail.models import Page
from courses.models import HomePage
page = Page(title="Lịch khai giảng", slug="lich-khai-giang", live=False)
HomePage.objects.get().add_child(instance=page)
page.go_live_at = timezone.now() + timedelta(seconds=2)
page.save_revision().publish()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveSite:
    var: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    demo_output: str = ""
    server: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def logs(self) -> Path:
        return self.var / "logs"

    @property
    def totp_secret(self) -> str:
        return re.search(r"khoá bí mật TOTP ([A-Z2-7]+)", self.demo_output).group(1)

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def prepare(self) -> None:
        self.logs.mkdir(exist_ok=True)
        self.manage("migrate", "--noinput")
        self.demo_output = self.manage("load_demo_content")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        self.manage("shell", "-c", SCHEDULE_PAGE)
        time.sleep(2.5)  # the page's go-live time passes while no worker runs

    def start_worker(self) -> None:
        self.worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--interval", "0.2"],
            cwd=ROOT,
            env=self.env,
            stdout=(self.logs / "worker.log").open("a"),
            stderr=subprocess.STDOUT,
        )

    def start_server(self) -> None:
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "learning.daphne",  # Daphne with capability URLs redacted from its access log
                *DAPHNE_ARGS,
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "learning.asgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=(self.logs / "daphne.log").open("a"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{self.base}/healthz/", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            assert self.server.poll() is None, (self.logs / "daphne.log").read_text()
            assert time.monotonic() < deadline, (self.logs / "daphne.log").read_text()
            time.sleep(0.2)

    def stop_server(self) -> None:
        stop(self.server)

    def restart_server(self) -> None:
        self.stop_server()
        self.start_server()

    def stop(self) -> None:
        stop(self.server)
        stop(self.worker)


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_live_site(var: Path) -> LiveSite:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}}
    env.update(DJANGO_SETTINGS_MODULE="learning.settings.dev", VAR_DIR=str(var), PYTHONUNBUFFERED="1")
    site = LiveSite(var=var, env=env)
    site.prepare()
    site.start_worker()
    site.start_server()
    return site
