"""Run the site as `make run` does: migrate, demo content, the worker and Daphne as processes.

On the embedded default (SQLite file in a temporary folder, in-memory channel layer), unless
the suite runs with both ``DATABASE_URL`` and ``REDIS_URL``: then the site gets a database of
its own on that PostgreSQL server and a Redis database index of its own, as in production, and
both are dropped afterwards.
"""

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DAPHNE_ARGS = ["--ping-interval", "55", "--ping-timeout", "30"]
REDIS_INDEX = 12  # the suite itself uses the index REDIS_URL names

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

    def start_server(self, daphne_args: list[str] = DAPHNE_ARGS, **settings: str) -> None:
        """Start Daphne; ``settings`` are environment variables for this server alone."""
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "learning.daphne",  # Daphne with capability URLs redacted from its access log
                *daphne_args,
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "learning.asgi:application",
            ],
            cwd=ROOT,
            env={**self.env, **settings},
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

    def restart_server(self, **settings: str) -> None:
        self.stop_server()
        self.start_server(**settings)

    def stop(self) -> None:
        stop(self.server)
        stop(self.worker)
        if "DATABASE_URL" in self.env:
            drop_services(self.env)


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def own_services(database_url: str, redis_url: str) -> dict[str, str]:
    """A fresh database beside the suite's, and an emptied Redis index, for the site alone."""
    server = urlsplit(database_url)
    name = f"live_site_{os.getpid()}"
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    redis_server = urlsplit(redis_url)
    own_redis = urlunsplit(redis_server._replace(path=f"/{REDIS_INDEX}"))
    redis.Redis.from_url(own_redis).flushdb()
    return {"DATABASE_URL": urlunsplit(server._replace(path=f"/{name}")), "REDIS_URL": own_redis}


def drop_services(env: dict[str, str]) -> None:
    site_database = urlsplit(env["DATABASE_URL"])
    name = site_database.path.lstrip("/")
    with psycopg.connect(urlunsplit(site_database._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()


def start_live_site(var: Path) -> LiveSite:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}}
    env.update(DJANGO_SETTINGS_MODULE="learning.settings.dev", VAR_DIR=str(var), PYTHONUNBUFFERED="1")
    # One learner, not a crowd: after a server restart the page reconnects within 3 s, not 60.
    env.update(LIVE_RECONNECT_SPREAD_SECONDS="3")
    if os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"):
        env.update(own_services(os.environ["DATABASE_URL"], os.environ["REDIS_URL"]))
    site = LiveSite(var=var, env=env)
    site.prepare()
    site.start_worker()
    site.start_server()
    return site
