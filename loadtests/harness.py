"""The load-test harness: ``make loadtest`` (40,000 learners) and ``make loadtest-smoke``.

    .venv/bin/python loadtests/harness.py smoke|full [--learners N] [--locust-workers N]
        [--http-workers N] [--servers N]

It starts the production topology on this machine — nginx in front (loadtests/nginx.conf.template),
several Daphne processes behind it, the worker, PostgreSQL and Redis (the running ones, in a
database and a Redis index of its own; started only if down, and then stopped again) — seeds the
data, runs the learner suite (loadtests/learners.py) in distributed Locust, drives the phases
(ramp, steady state, exam-start spike, mass reconnect, step-up past the target), watches every
process's CPU and memory and the presence count, judges the run against the thresholds below
and writes the report. It stops everything it started, also when interrupted.
"""

import argparse
import base64
import csv
import json
import math
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import psutil
import redis
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from loadtests import model, socket_counts  # noqa: E402

BIN = Path(sys.executable).parent
VAR = ROOT / "var" / "loadtest"
RESULTS = ROOT / "loadtests" / "results"
DATABASE = "loadtest"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
REDIS_URL = "redis://127.0.0.1:6379/7"
PRESENCE_PREFIX = "loadtest:presence"


def http_sockets(count: int) -> list[Path]:
    """Where each gunicorn process listens."""
    return [VAR / f"gunicorn-{n}.sock" for n in range(count)]


LEARNER_SOCKETS = VAR / "learner-sockets"  # each Locust worker's count (loadtests/socket_counts.py)
FRONT_PORT = 8700
FIRST_SERVER_PORT = 8701

# Pass/fail, written before any run (issue #10).
THRESHOLDS = {
    "http_p95_ms": 1000,
    "http_p99_ms": 2000,
    "error_rate": 0.001,
    "achieved_rate_ratio": 0.95,
    "locust_cpu_percent": 90,
    "notification_p95_ms": 2000,
}


@dataclass
class Profile:
    learners: int
    spawn_rate: float  # learners arriving per second during the ramp
    steady: int  # seconds
    spike: int
    reconnect: int
    servers: int
    locust_workers: int
    speed: float  # think times divided by this (see learners.py)
    fronts: int  # 127.0.0.x addresses nginx listens on, to spread the client's ephemeral ports
    nginx_workers: int
    http_workers: int  # gunicorn worker processes serving HTTP (Daphne keeps the sockets)
    # After a server closes an open socket, each learner waits a random time up to this many
    # seconds before reconnecting (settings.LIVE_RECONNECT_SPREAD_SECONDS, live.js).
    reconnect_spread: int
    # Past the target to find the knee: (share of the target, seconds), so a run with --learners N
    # steps up from N too.
    step_up: list[tuple[float, int]] = field(default_factory=list)

    def step_up_learners(self) -> list[tuple[int, int]]:
        return [(round(self.learners * share), seconds) for share, seconds in self.step_up]


PROFILES = {
    "smoke": Profile(
        learners=300,
        spawn_rate=100,
        steady=60,
        spike=30,
        # The restart alone takes 5-12 s here, and a learner's retries back off in real seconds.
        reconnect=60,
        servers=2,
        locust_workers=1,
        speed=8,
        fronts=1,
        nginx_workers=1,
        http_workers=2,
        reconnect_spread=10,
    ),
    "full": Profile(
        learners=40_000,
        # Arrivals over ten minutes (66.7 a second at 40,000): three times the rate at which the
        # learner model's own 30-minute sessions bring learners in (model.login_rate, 22.2 a
        # second), as when a class or a campaign starts together, and as long as the 45 minutes
        # allow beside the other phases. A newly arrived learner acts more often than one in the
        # middle of an activity (a course page, then a lesson, within the first minute), so a ramp
        # offers more requests than the steady state of the same learners: arrivals over 200 s
        # (until 7 Dec) offered about twice the steady rate per learner while they lasted (an
        # action every 19-23 s), and their queue was still draining two minutes into the steady
        # state.
        spawn_rate=40_000 / 600,
        steady=600,
        spike=90,
        reconnect=180,
        servers=4,
        locust_workers=6,
        speed=1,
        fronts=4,
        nginx_workers=4,
        http_workers=4,
        reconnect_spread=90,
        step_up=[(1.1, 90), (1.2, 90), (1.3, 90)],
    ),
}


class Harness:
    def __init__(self, name: str, profile: Profile) -> None:
        self.name, self.profile = name, profile
        self.processes: dict[str, list[subprocess.Popen]] = {}
        self.started_services: list[str] = []
        self.samples: list[dict] = []
        self.presence: list[tuple[float, str, int]] = []  # the servers' count
        self.learner_sockets: list[tuple[float, str, int | None]] = []  # the learners' own
        self.phase = "setup"
        self.phase_times: dict[str, list[float]] = {}
        self.stop_sampling = threading.Event()
        self.report = VAR / "report" / name
        self.env = self.environment()

    # --- set-up -------------------------------------------------------------------------

    def environment(self) -> dict[str, str]:
        VAR.mkdir(parents=True, exist_ok=True)
        secret = VAR / "secret_key"
        if not secret.exists():
            secret.write_text(secrets.token_urlsafe(50))
        signing = VAR / "signing_key"
        if not signing.exists():
            signing.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode())
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        hosts = ",".join(f"127.0.0.{n}" for n in range(1, self.profile.fronts + 1))
        env.update(
            DJANGO_SETTINGS_MODULE="learning.settings.loadtest",
            DATABASE_URL=DATABASE_URL,
            REDIS_URL=REDIS_URL,
            SECRET_KEY=secret.read_text().strip(),
            CERTIFICATE_SIGNING_KEY=signing.read_text().strip(),
            VAR_DIR=str(VAR),
            STATIC_ROOT=str(VAR / "static"),
            ALLOWED_HOSTS=f"{hosts},localhost",
            SITE_URL=f"http://127.0.0.1:{FRONT_PORT}",
            PRESENCE_KEY_PREFIX=PRESENCE_PREFIX,
            LIVE_RECONNECT_SPREAD_SECONDS=str(self.profile.reconnect_spread),
            TRUSTED_PROXIES="unix,127.0.0.1",  # nginx, in front of gunicorn's socket
            PYTHONUNBUFFERED="1",
        )
        return env

    def log(self, message: str) -> None:
        print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)

    def ensure_services(self) -> None:
        try:
            import psycopg

            psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
        except Exception:
            self.log("PostgreSQL is down: starting it")
            subprocess.run(["service", "postgresql", "start"], check=False)
            self.started_services.append("postgresql")
        try:
            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
        except redis.exceptions.ConnectionError:
            self.log("Redis is down: starting it")
            subprocess.run(["redis-server", "--daemonize", "yes", "--save", ""], check=True)
            self.started_services.append("redis")
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
            if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
                db.execute(f'CREATE DATABASE "{DATABASE}"')
        redis.Redis.from_url(REDIS_URL).flushdb()  # this index is the load test's own

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def seed(self) -> None:
        started = time.monotonic()
        self.manage("migrate", "--noinput")
        self.manage("load_demo_content")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        subprocess.run(
            [sys.executable, "manage.py", "seed_load_learners", "--learners", str(self.max_learners()),
             "--sessions", str(VAR / "sessions.txt"), "--plan", str(VAR / "plan.json")],
            cwd=ROOT, env=self.env, check=True,
        )  # fmt: skip
        output = self.manage(
            "shell", "-c",
            "from certificates.models import Certificate; "
            "print('TOKENS', *Certificate.objects.filter(state='current').values_list('token', flat=True)[:50])",
        )  # fmt: skip
        tokens = next(line for line in output.splitlines() if line.startswith("TOKENS")).split()[1:]
        plan = json.loads((VAR / "plan.json").read_text())
        plan["certificates"] = tokens
        (VAR / "plan.json").write_text(json.dumps(plan, indent=2))
        self.log(f"seeded in {time.monotonic() - started:.0f} s")

    def max_learners(self) -> int:
        return max([self.profile.learners, *(n for n, _s in self.profile.step_up_learners())])

    # --- processes ----------------------------------------------------------------------

    def spawn(self, role: str, command: list[str], log: str, env: dict | None = None) -> subprocess.Popen:
        logs = VAR / "logs"
        logs.mkdir(exist_ok=True)
        process = subprocess.Popen(
            command, cwd=ROOT, env=env or self.env, stdout=(logs / log).open("a"), stderr=subprocess.STDOUT
        )
        self.processes.setdefault(role, []).append(process)
        return process

    def start_servers(self, timeout: float = 60) -> None:
        for n in range(self.profile.servers):
            port = FIRST_SERVER_PORT + n
            self.spawn(
                "server",
                # A handshake queued behind a burst of reconnects gets 30 s, not Daphne's 5.
                [sys.executable, "-m", "learning.daphne", "--ping-interval", "120", "--ping-timeout", "60",
                 "--websocket_connect_timeout", "30",
                 "-b", "127.0.0.1", "-p", str(port), "learning.asgi:application"],
                f"daphne-{port}.log",
            )  # fmt: skip
        for n in range(self.profile.servers):
            self.wait_for(f"http://127.0.0.1:{FIRST_SERVER_PORT + n}/healthz/", timeout)

    def start_http(self) -> None:
        """HTTP through gunicorn (Django's WSGI path): one single-worker gunicorn per process, each
        on its own unix socket, balanced by nginx (least_conn). Several workers behind one shared
        socket split the work unevenly: nginx keeps its connections open, and whichever worker
        accepted them keeps them (a 4,000 run: 74.6 / 20.8 / 17.6 % of a core, the busy one the
        bottleneck while the machine had a core to spare).

        Each worker is gunicorn's sync worker, one request at a time: threads in one process
        contend for the GIL, and that costs CPU. The learner dashboard through one gunicorn
        under wrk (8 connections) cost 5.7 ms of CPU a request with 8 threads, 4.6 with 2,
        3.9 with 1 and 3.7 with the sync worker. Four processes keep four requests in flight,
        and nginx queues the rest. With one thread each, every worker keeps its own database
        connection (DATABASE_POOL_SIZE=0) rather than take one from a pool on every request."""
        env = {**self.env, "DATABASE_POOL_SIZE": "0"}
        for socket in http_sockets(self.profile.http_workers):
            socket.unlink(missing_ok=True)
            self.spawn(
                "http",
                [str(BIN / "gunicorn"), "learning.wsgi:application", "--bind", f"unix:{socket}",
                 "--workers", "1", "--worker-class", "sync",
                 "--backlog", "4096", "--graceful-timeout", "10"],
                f"gunicorn-{socket.stem}.log",
                env,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not all(
            socket.exists() for socket in http_sockets(self.profile.http_workers)
        ):
            time.sleep(0.3)

    def stop_servers(self) -> None:
        servers = self.processes.pop("server", [])
        for process in servers:
            process.terminate()
        for process in servers:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def start_front(self) -> None:
        conf = (ROOT / "loadtests" / "nginx.conf.template").read_text()
        servers = "\n".join(
            # One failed handshake must not take a server out of the pool for everyone else.
            f"        server 127.0.0.1:{FIRST_SERVER_PORT + n} max_fails=0;"
            for n in range(self.profile.servers)
        )
        listen = "\n".join(
            f"        listen 127.0.0.{n}:{FRONT_PORT} backlog=8192;"
            for n in range(1, self.profile.fronts + 1)
        )
        for placeholder, value in {
            "workers": str(self.profile.nginx_workers),
            "var": str(VAR),
            "servers": servers,
            "listen": listen,
            "http_servers": "\n".join(
                f"        server unix:{socket} max_fails=0;"
                for socket in http_sockets(self.profile.http_workers)
            ),
            "static": str(VAR / "static"),
        }.items():
            conf = conf.replace("{{ " + placeholder + " }}", value)
        (VAR / "nginx.conf").write_text(conf)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.spawn("front", [nginx, "-c", str(VAR / "nginx.conf"), "-g", "daemon off;"], "nginx.log")
        self.wait_for(f"http://127.0.0.1:{FRONT_PORT}/healthz/")

    def wait_for(self, url: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:  # a server still loading Django (gunicorn's workers boot after the socket) is slow
                if requests.get(url, timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SystemExit(f"{url} did not answer in {timeout} s")

    def stop_all(self) -> None:
        self.stop_sampling.set()
        for role in ["locust-logins", "locust-worker", "locust-master", "front", "http", "server", "worker"]:
            for process in self.processes.get(role, []):
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM if role != "front" else signal.SIGQUIT)
        for processes in self.processes.values():
            for process in processes:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        if "redis" in self.started_services:
            subprocess.run(["redis-cli", "shutdown", "nosave"], check=False)
        if "postgresql" in self.started_services:
            subprocess.run(["service", "postgresql", "stop"], check=False)

    # --- the run ------------------------------------------------------------------------

    def timeline(self) -> list[tuple[str, float, int, float]]:
        """(phase, ends at second, learners, spawn rate), from the start of the Locust run."""
        p = self.profile
        # Arrivals, then a minute for their first actions, or longer: a learner turned away by a
        # busy server near the last arrival waits a random time up to the reconnect spread before
        # trying again, as a page does (a 4,000 run began its steady state with 19 still waiting).
        ramp = p.learners / p.spawn_rate + max(60, p.reconnect_spread + 30)
        phases = [("ramp", ramp, p.learners, p.spawn_rate)]
        for name, seconds in [("steady", p.steady), ("spike", p.spike), ("reconnect", p.reconnect)]:
            phases.append((name, phases[-1][1] + seconds, p.learners, p.spawn_rate))
        for n, (learners, seconds) in enumerate(p.step_up_learners(), start=1):
            phases.append((f"step{n}-{learners}", phases[-1][1] + seconds, learners, p.spawn_rate))
        return phases

    def run_locust(self) -> None:
        phases = self.timeline()
        stages = [[end, learners, rate] for _name, end, learners, rate in phases]
        (VAR / "phase").write_text("ramp")
        shutil.rmtree(LEARNER_SOCKETS, ignore_errors=True)  # no count left from an earlier run
        locust_env = {
            **self.env,
            "LOADTEST_SESSIONS": str(VAR / "sessions.txt"),
            "LOADTEST_PLAN": str(VAR / "plan.json"),
            "LOADTEST_PHASE_FILE": str(VAR / "phase"),
            "LOADTEST_SOCKET_COUNTS": str(LEARNER_SOCKETS),
            "LOADTEST_SPEED": str(self.profile.speed),
            "LOADTEST_RECONNECT_SPREAD": str(self.profile.reconnect_spread),
            "LOADTEST_WORKERS": str(self.profile.locust_workers),
            "LOADTEST_STAGES": json.dumps(stages),
            "LOADTEST_HOSTS": ",".join(
                f"http://127.0.0.{n}:{FRONT_PORT}" for n in range(1, self.profile.fronts + 1)
            ),
        }
        self.report.mkdir(parents=True, exist_ok=True)
        locust = str(BIN / "locust")
        master = self.spawn(
            "locust-master",
            [locust, "-f", "loadtests/learners.py", "--master", "--headless",
             "--expect-workers", str(self.profile.locust_workers), "--host", f"http://127.0.0.1:{FRONT_PORT}",
             "--csv", str(self.report / "locust"), "--csv-full-history", "--html", str(self.report / "locust.html"),
             "--only-summary", "--stop-timeout", "10"],
            "locust-master.log", env=locust_env,
        )  # fmt: skip
        for _ in range(self.profile.locust_workers):
            self.spawn(
                "locust-worker",
                [locust, "-f", "loadtests/learners.py", "--worker"],
                "locust-worker.log",
                env=locust_env,
            )
        threading.Thread(target=self.sample, daemon=True).start()
        started = time.monotonic()
        for name, end, _learners, _rate in phases:
            self.set_phase(name)
            if name == "reconnect":
                time.sleep(2)  # the learners read the phase file every second: their closes count here
                self.restart_servers()
            while time.monotonic() - started < end and master.poll() is None:
                time.sleep(0.5)
        self.set_phase("done")
        master.wait(timeout=120)

    def settle(self, quick: float = 0.1, in_a_row: int = 5, cap: float = 180) -> None:
        """Wait until the servers have worked through what the step-ups left queued.

        The sign-in minute measures the password check at its own rate; started while gunicorn
        still drains the 130 % step's backlog, it would measure that backlog instead.
        """
        self.set_phase("settle")
        url = f"http://127.0.0.1:{FRONT_PORT}/healthz/"
        started = time.monotonic()
        fast = 0
        while fast < in_a_row and time.monotonic() - started < cap:
            began = time.monotonic()
            try:
                ok = requests.get(url, timeout=10).status_code == 200
            except requests.RequestException:
                ok = False
            fast = fast + 1 if ok and time.monotonic() - began < quick else 0
            time.sleep(0.5)
        self.settled_after = round(time.monotonic() - started, 1)
        quiet = fast >= in_a_row
        self.log(f"servers quiet after {self.settled_after} s" if quiet else f"still busy after {cap:.0f} s")

    def run_logins(self) -> None:
        """Sign-ins with the real password check, at the rate the learners would cause."""
        rate = model.login_rate(self.profile.learners, self.profile.speed)
        # Rounded up: the people offer at least the target rate (13 people at 1.33/s offered
        # 1.30/s, and one late sign-in put a slow machine under 95 %).
        users = max(1, math.ceil(rate * model.LOGIN_PACING))
        self.set_phase("logins")
        self.log(f"sign-ins: {users} people, one every {model.LOGIN_PACING:.0f} s each ({rate:.1f}/s)")
        process = self.spawn(
            "locust-logins",
            [str(BIN / "locust"), "-f", "loadtests/logins.py", "--headless", "-u", str(users), "-r", str(users),
             "-t", f"{model.LOGIN_SECONDS}s", "--host", f"http://127.0.0.1:{FRONT_PORT}",
             "--csv", str(self.report / "logins"), "--only-summary", "--stop-timeout", "10"],
            "locust-logins.log",
            env={**self.env, "LOADTEST_LEARNERS": str(self.max_learners())},
        )  # fmt: skip
        process.wait(timeout=model.LOGIN_SECONDS + 120)
        self.set_phase("done")

    def logins(self) -> dict:
        rows = {row["Name"]: row for row in csv.DictReader((self.report / "logins_stats.csv").open())}
        sign_in = rows.get("sign in")
        target = model.login_rate(self.profile.learners, self.profile.speed)
        achieved = int(sign_in["Request Count"]) / model.LOGIN_SECONDS if sign_in else 0
        return {
            "target_rate": round(target, 2),
            "achieved_rate": round(achieved, 2),
            "sign_in_ms": percentiles(sign_in),
            "sign_in_page_ms": percentiles(rows.get("sign-in page")),
            "cpu": cpu_by_role(self.samples, "logins"),
            "started_after_quiet_s": getattr(self, "settled_after", None),
        }

    def set_phase(self, name: str) -> None:
        now = time.time()
        if self.phase in self.phase_times:
            self.phase_times[self.phase].append(now)
        self.phase = name
        self.phase_times[name] = [now]
        (VAR / "phase").write_text(name)
        self.log(f"phase: {name}")

    def restart_servers(self) -> None:
        """As after a deploy: every server process stops and starts again; every socket drops."""
        self.reconnect_started = time.time()
        self.stop_servers()
        # A stopping server withdraws its presence counts (learning/daphne.py). Any left behind
        # (a server killed after its 20 s) would live for their TTL, a minute: counted with the
        # new servers', every socket would look "back" at once. Reported, then dropped.
        store = redis.Redis.from_url(REDIS_URL)
        self.presence_left_by_stopped = online_learners(store)
        if self.presence_left_by_stopped:
            self.log(f"stopped servers left {self.presence_left_by_stopped} learners counted; dropping them")
            forget_presence(store)
        self.presence_forgotten_at = time.time()
        time.sleep(1)
        # Every socket reconnects at once: on a saturated machine a restarted server can take
        # more than a minute to answer its health check (a 3,300 run was cut short at 60 s).
        self.start_servers(timeout=180)

    def sample(self) -> None:
        tracked: dict[int, tuple[str, psutil.Process]] = {}
        store = redis.Redis.from_url(REDIS_URL)
        while not self.stop_sampling.is_set():
            for role, processes in list(self.processes.items()):
                for process in processes:
                    if process.pid not in tracked and process.poll() is None:
                        try:
                            handle = psutil.Process(process.pid)
                            handle.cpu_percent()
                            tracked[process.pid] = (role, handle)
                            if role in {"front", "http"}:  # nginx's and gunicorn's workers
                                for child in handle.children():
                                    child.cpu_percent()
                                    tracked[child.pid] = (role, child)
                        except psutil.NoSuchProcess:
                            pass
            for handle in psutil.process_iter(["name"]):
                name = handle.info["name"] or ""
                role = (
                    "postgres" if name.startswith("postgres") else "redis" if name.startswith("redis") else ""
                )
                if role and handle.pid not in tracked:
                    handle.cpu_percent()
                    tracked[handle.pid] = (role, handle)
            time.sleep(2)
            now = time.time()
            for pid, (role, handle) in list(tracked.items()):
                try:
                    self.samples.append(
                        {"t": now, "phase": self.phase, "role": role, "pid": pid,
                         "cpu": handle.cpu_percent(), "rss_mib": handle.memory_info().rss / 2**20}
                    )  # fmt: skip
                except psutil.NoSuchProcess:
                    tracked.pop(pid)
            self.presence.append((now, self.phase, online_learners(store)))
            self.learner_sockets.append((now, self.phase, socket_counts.total(LEARNER_SOCKETS)))

    # --- judging and reporting ---------------------------------------------------------

    def judge(self) -> dict:
        rows = list(csv.DictReader((self.report / "locust_stats.csv").open()))
        by_phase: dict[str, list[dict]] = {}
        for row in rows:
            if row["Name"].startswith("["):
                phase, name = row["Name"][1:].split("] ", 1)
                by_phase.setdefault(phase, []).append({**row, "Name": name})
        steady = by_phase.get("steady", [])
        http = [row for row in steady if row["Type"] in {"GET", "POST"}]
        seconds = self.profile.steady
        requests_ = sum(int(row["Request Count"]) for row in http)
        failures = sum(int(row["Failure Count"]) for row in steady)
        events = sum(int(row["Request Count"]) for row in steady)
        target_rate = self.profile.learners / model.mean_interval(self.profile.speed)
        achieved_rate = requests_ / seconds if seconds else 0
        notification = next((row for row in steady if row["Name"] == "notification delay"), None)
        closed = sum(int(row["Request Count"]) for row in steady if row["Name"] == "socket closed")
        steady_presence = [count for _t, phase, count in self.presence if phase == "steady"]
        steady_held = [n for _t, phase, n in self.learner_sockets if phase == "steady" and n is not None]
        cpu = cpu_by_role(self.samples, "steady")
        logins = self.logins()
        # The servers' registrations (presence) include handshakes whose client already gave up;
        # the learners' own count of handshakes that ended in "hello" does not.
        reconnected = sum(
            int(row["Request Count"]) - int(row["Failure Count"])
            for row in by_phase.get("reconnect", [])
            if row["Name"] == "socket connect"
        )
        checks = {
            # By the learners' own count and by the servers': each can miss what the other sees.
            "every learner connected and held through the steady state": bool(steady_presence)
            and min(steady_presence) >= self.profile.learners
            and bool(steady_held)
            and min(steady_held) >= self.profile.learners
            and closed == 0,
            "every learner's socket back within the mass reconnect": reconnected >= self.profile.learners,
            "HTTP p95 ≤ 1 s for every request type": all(
                float(row["95%"]) <= THRESHOLDS["http_p95_ms"] for row in http
            ),
            "HTTP p99 ≤ 2 s for every request type": all(
                float(row["99%"]) <= THRESHOLDS["http_p99_ms"] for row in http
            ),
            "errors < 0.1 %": events > 0 and failures / events < THRESHOLDS["error_rate"],
            "achieved rate ≥ 95 % of target": achieved_rate
            >= THRESHOLDS["achieved_rate_ratio"] * target_rate,
            "no Locust process above 90 % CPU": all(
                peak <= THRESHOLDS["locust_cpu_percent"]
                for role, stats in cpu.items()
                if role.startswith("locust")
                for peak in [stats["max_process_cpu"]]
            ),
            "notification delay p95 ≤ 2 s": notification is not None
            and float(notification["95%"]) <= THRESHOLDS["notification_p95_ms"],
            "sign-in at the realistic rate: p95 ≤ 1 s, errors < 0.1 %, rate ≥ 95 %": bool(
                logins["sign_in_ms"]
            )
            and logins["sign_in_ms"]["p95"] <= THRESHOLDS["http_p95_ms"]
            and logins["sign_in_ms"]["failures"] <= THRESHOLDS["error_rate"] * logins["sign_in_ms"]["count"]
            and logins["achieved_rate"] >= THRESHOLDS["achieved_rate_ratio"] * logins["target_rate"],
        }
        return {
            "profile": self.name,
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": git_commit(),
            "learners": min(steady_held) if checks[next(iter(checks))] else 0,
            "learners_target": self.profile.learners,
            "passed": all(checks.values()),
            "checks": checks,
            "thresholds": THRESHOLDS,
            "target_rate": round(target_rate, 1),
            "achieved_rate": round(achieved_rate, 1),
            "mean_interval_s": round(model.mean_interval(self.profile.speed), 1),
            "errors": {"failures": failures, "events": events},
            "worst_http": {
                q: max(
                    ((row["Name"], float(row[f"{q[1:]}%"])) for row in http),
                    key=lambda pair: pair[1],
                    default=("-", 0),
                )
                for q in ("p95", "p99")
            },
            "sockets": {
                "presence_min_steady": min(steady_presence) if steady_presence else 0,
                "held_by_learners_min_steady": min(steady_held) if steady_held else 0,
                "closed_in_steady": closed,
                "reconnected_within_s": self.reconnect_time(),
                "reconnected_by_learners": reconnected,
                "left_counted_by_stopped_servers": getattr(self, "presence_left_by_stopped", None),
                "reconnect_spread_s": self.profile.reconnect_spread,
            },
            "notification_delay_ms": percentiles(notification),
            "logins": logins,
            "requests": {
                phase: {row["Name"]: percentiles(row) for row in phase_rows}
                for phase, phase_rows in by_phase.items()
            },
            "cpu_memory": {phase: cpu_by_role(self.samples, phase) for phase in self.phase_times},
            "knee": self.knee(by_phase),
            "profile_settings": asdict(self.profile),
            "versions": versions(),
            "topology": self.topology(),
            "differences_from_production": DIFFERENCES,
        }

    def reconnect_time(self) -> float | None:
        started = getattr(self, "reconnect_started", None)
        forgotten = getattr(self, "presence_forgotten_at", None)
        if started is None or forgotten is None:
            return None
        for moment, phase, count in self.presence:
            # A sample taken before the stopped servers' counts were dropped may still hold them.
            if moment > forgotten and phase == "reconnect" and count >= self.profile.learners:
                return round(moment - started, 1)
        return None

    def knee(self, by_phase: dict[str, list[dict]]) -> dict:
        """The first load where a threshold breaks: the step-up stages, then the steady state."""
        passed = None
        for phase in [name for name, *_rest in self.timeline() if name.startswith("step")]:
            rows = [row for row in by_phase.get(phase, []) if row["Type"] in {"GET", "POST"}]
            learners = int(phase.split("-")[1])
            failures = sum(int(row["Failure Count"]) for row in rows)
            count_ = sum(int(row["Request Count"]) for row in rows) or 1
            broke = any(float(row["95%"]) > THRESHOLDS["http_p95_ms"] for row in rows) or (
                failures / count_ >= THRESHOLDS["error_rate"]
            )
            if broke:
                return {"broke_at": learners, "last_passing": passed}
            passed = learners
        return {"broke_at": None, "last_passing": passed, "note": "no step-up stage broke a threshold"}

    def topology(self) -> str:
        p = self.profile
        return (
            f"nginx ({p.nginx_workers} workers, {p.fronts} listen address(es)) → HTTP: {p.http_workers} gunicorn "
            f"processes of 1 sync worker (WSGI, one request at a time), each on its own socket, least_conn; WebSockets: {p.servers} Daphne processes (hash on the session "
            f"cookie); 1 worker; PostgreSQL 127.0.0.1:5432 (database "
            f"{DATABASE}); Redis 127.0.0.1:6379 index 7 (channel layer, cache, presence); Locust: 1 master + "
            f"{p.locust_workers} workers; all on this {psutil.cpu_count()}-core machine"
        )

    def write(self, summary: dict) -> None:
        self.report.mkdir(parents=True, exist_ok=True)
        (self.report / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
        (self.report / "summary.md").write_text(markdown(summary))
        if self.name == "full":
            RESULTS.mkdir(exist_ok=True)
            (RESULTS / "latest.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
            (RESULTS / "latest.md").write_text(markdown(summary))
        print(markdown(summary))


DIFFERENCES = [
    "everything on one 2-core machine, load generator included; production runs the servers on their own machines",
    "loopback network: no TLS, no real latency or packet loss (settings: learning.settings.loadtest)",
    "learners are seeded with one shared password hash and start from sessions created in bulk; "
    "login is not part of the steady state",
    "the practice quiz has no attempt limit so that learners can repeat it",
]


def forget_presence(store: redis.Redis) -> None:
    """Drop every server process's published counts (all of them are stopped)."""
    members = [member.decode() for member in store.zrange(f"{PRESENCE_PREFIX}:procs", 0, -1)]
    store.delete(f"{PRESENCE_PREFIX}:procs", *(f"{PRESENCE_PREFIX}:proc:{member}" for member in members))


def online_learners(store: redis.Redis) -> int:
    members = store.zrange(f"{PRESENCE_PREFIX}:procs", 0, -1)
    if not members:
        return 0
    values = store.mget([f"{PRESENCE_PREFIX}:proc:{member.decode()}" for member in members])
    return sum(json.loads(value)["learners"] for value in values if value)


def serving_cpu(cpu_by_role: dict) -> float:
    """Mean CPU % of the processes that answer learners: gunicorn (HTTP) and Daphne (sockets)."""
    return round(sum(cpu_by_role.get(role, {}).get("mean_total_cpu", 0) for role in ("http", "server")), 1)


def percentiles(row: dict | None) -> dict:
    if row is None:
        return {}
    return {
        "count": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "p99": float(row["99%"]),
    }


def host_reference_ms(repeats: int = 7) -> float:
    """CPU milliseconds of a fixed piece of Python work (JSON, regular expressions, dictionaries:
    what a page costs the server), the least of a few tries. This machine's speed drifts by half
    within hours (a shared host); the figure, taken before and after a run, makes runs from
    different hours comparable."""
    import json
    import re

    record = {"name": "Nguyễn Văn An", "steps": [{"index": n, "done": n % 3 == 0} for n in range(40)]}
    pattern = re.compile(r'"index": (\d+)')
    times = []
    for _ in range(repeats):
        started = time.process_time()
        for n in range(2_000):
            text = json.dumps({**record, "n": n}, ensure_ascii=False)
            total = sum(int(found) for found in pattern.findall(text))
            json.loads(text)["steps"].sort(key=lambda step: (step["done"], -step["index"] + total))
        times.append((time.process_time() - started) * 1000)
    return round(min(times), 1)


def git_commit() -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip()


def versions() -> dict:
    from importlib.metadata import version

    nginx = subprocess.run(
        [shutil.which("nginx") or "nginx", "-v"], capture_output=True, text=True, check=False
    ).stderr.strip()
    return {
        "python": platform.python_version(),
        **{
            name: version(name)
            for name in ["django", "wagtail", "channels", "daphne", "channels-redis", "locust"]
        },
        "nginx": nginx.replace("nginx version: ", ""),
    }


def markdown(summary: dict) -> str:
    reference = summary.get("host_reference_ms", {"before": "?", "after": "?"})
    held = summary["sockets"].get("held_by_learners_min_steady")  # runs before 7 Dec lack it
    held_steady = f"{held:,}" if held is not None else "?"
    lines = [
        f"# Load test ({summary['profile']}): {'PASSED' if summary['passed'] else 'FAILED'}",
        "",
        f"{summary['date']}, commit {summary['commit']}. Learners held through the steady state: "
        f"**{summary['learners']:,}** of {summary['learners_target']:,}.",
        "",
        f"- Request rate: achieved {summary['achieved_rate']}/s, target {summary['target_rate']}/s "
        f"(one action every {summary['mean_interval_s']} s per learner).",
        f"- Errors: {summary['errors']['failures']} of {summary['errors']['events']} events.",
        f"- Sockets: the learners held never fewer than {held_steady} open in the steady state, and the servers "
        f"counted never fewer than {summary['sockets']['presence_min_steady']:,} (their count includes handshakes "
        "whose client gave up); "
        f"{summary['sockets']['closed_in_steady']} closed unexpectedly; after the mass reconnect the learners "
        f"had {summary['sockets'].get('reconnected_by_learners', '?'):,} sockets back (of "
        f"{summary['learners_target']:,}) by the end of the phase"
        + (
            f", each waiting a random time up to {summary['sockets']['reconnect_spread_s']} s before its first try; "
            if "reconnect_spread_s" in summary["sockets"]
            else "; "
        )
        + (
            f"the servers counted all of them registered within {summary['sockets']['reconnected_within_s']} s."
            if summary["sockets"]["reconnected_within_s"] is not None
            else "the servers never counted all of them registered during it."
        )
        + (
            f" Learners still counted by the stopped servers once they had stopped: "
            f"{summary['sockets']['left_counted_by_stopped_servers']:,}."
            if summary["sockets"].get("left_counted_by_stopped_servers") is not None
            else ""
        ),
        f"- Notification delay (ms): {summary['notification_delay_ms']}.",
        f"- Sign-in, measured apart with the Argon2 check: {summary['logins']['achieved_rate']}/s achieved, "
        f"target {summary['logins']['target_rate']}/s; sign in (ms) {summary['logins']['sign_in_ms']}; "
        f"server CPU meanwhile (gunicorn + Daphne) {serving_cpu(summary['logins']['cpu'])} %; started once the "
        f"servers were quiet after the step-ups ({summary['logins'].get('started_after_quiet_s')} s).",
        f"- Knee: {summary['knee']}.",
        "",
        "| check | result |",
        "|---|---|",
        *(f"| {check} | {'pass' if ok else 'FAIL'} |" for check, ok in summary["checks"].items()),
        "",
        "## Steady state, per request type (ms)",
        "",
        "| request | count | failures | p50 | p95 | p99 |",
        "|---|---|---|---|---|---|",
    ]
    for name, stats in sorted(summary["requests"].get("steady", {}).items()):
        lines.append(
            f"| {name} | {stats['count']} | {stats['failures']} | {stats['p50']:.0f} | {stats['p95']:.0f} | "
            f"{stats['p99']:.0f} |"
        )
    lines += ["", "## CPU and memory per role", "", "| phase | role | processes | mean total CPU % | "
              "mean CPU % per process, busiest first | max CPU % of one process | max RSS MiB |",
              "|---|---|---|---|---|---|---|"]  # fmt: skip
    for phase, roles in summary["cpu_memory"].items():
        for role, stats in sorted(roles.items()):
            each = " / ".join(
                str(mean) for mean in stats.get("mean_cpu_by_process", [])
            )  # older runs lack it
            lines.append(
                f"| {phase} | {role} | {stats['processes']} | {stats['mean_total_cpu']} | {each or '—'} | "
                f"{stats['max_process_cpu']} | {stats['max_rss_mib']} |"
            )
    lines += [
        "",
        f"Topology: {summary['topology']}.",
        "",
        f"Versions: {summary['versions']}.",
        "",
        f"Host speed: a fixed piece of Python work took {reference['before']} ms of CPU before the run and "
        f"{reference['after']} ms after (`host_reference_ms`; lower is faster; this shared host drifts).",
        "",
        "Differences from production:",
        *(f"- {item}" for item in summary["differences_from_production"]),
        "",
    ]
    return "\n".join(lines)


# The processes of a role listed one by one, busiest first, up to this many: enough to see
# whether gunicorn's workers share the load evenly, without PostgreSQL's dozens of backends.
PROCESSES_LISTED = 6


def cpu_by_role(samples: list[dict], phase: str) -> dict:
    """CPU and memory of each role in a phase, from the samples taken every 2 s.

    mean_total_cpu sums a role's processes at each moment (100 = one core); max_process_cpu is
    the busiest single sample; mean_cpu_by_process is each process's mean over the phase."""
    result: dict[str, dict] = {}
    moments: dict[tuple[str, float], float] = {}
    per_process: dict[tuple[str, int], list[float]] = {}
    for sample in samples:
        if sample["phase"] != phase:
            continue
        key = (sample["role"], sample["t"])
        moments[key] = moments.get(key, 0) + sample["cpu"]
        per_process.setdefault((sample["role"], sample["pid"]), []).append(sample["cpu"])
        stats = result.setdefault(
            sample["role"], {"processes": 0, "max_process_cpu": 0.0, "max_rss_mib": 0.0}
        )
        stats["max_process_cpu"] = max(stats["max_process_cpu"], sample["cpu"])
        stats["max_rss_mib"] = max(stats["max_rss_mib"], sample["rss_mib"])
    for role, stats in result.items():
        totals = [cpu for (r, _t), cpu in moments.items() if r == role]
        means = sorted(
            (sum(cpus) / len(cpus) for (r, _pid), cpus in per_process.items() if r == role), reverse=True
        )
        stats["mean_total_cpu"] = round(sum(totals) / len(totals), 1) if totals else 0
        stats["processes"] = len(means)
        stats["mean_cpu_by_process"] = [round(mean, 1) for mean in means[:PROCESSES_LISTED]]
        stats["max_process_cpu"] = round(stats["max_process_cpu"], 1)
        stats["max_rss_mib"] = round(stats["max_rss_mib"], 1)
    return result


def verdict(summary: dict) -> str:
    """One line: the result, the checks that failed and the figures they are judged on."""
    failed = [check for check, ok in summary["checks"].items() if not ok]
    logins = summary["logins"]
    return (
        f"{summary['profile']}: {'PASSED' if summary['passed'] else 'FAILED (' + '; '.join(failed) + ')'}; "
        f"learners {summary['learners']}/{summary['learners_target']}, "
        f"rate {summary['achieved_rate']}/{summary['target_rate']}/s, "
        f"errors {summary['errors']['failures']}/{summary['errors']['events']}, "
        + ", ".join(f"worst {q} {ms:.0f} ms ({name})" for q, (name, ms) in summary["worst_http"].items())
        + f", notification p95 {summary['notification_delay_ms'].get('p95')} ms, "
        f"sign-in {logins['achieved_rate']}/{logins['target_rate']}/s p95 {logins['sign_in_ms'].get('p95')} ms"
    )


def for_learners(profile: Profile, learners: int) -> Profile:
    """The profile for another number of learners (--learners). Arrivals keep the profile's ramp
    time (ten minutes): a smaller run is not a burst."""
    return replace(profile, learners=learners, spawn_rate=profile.spawn_rate * learners / profile.learners)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("profile", choices=sorted(PROFILES))
    parser.add_argument("--learners", type=int, help="override the profile's number of learners")
    parser.add_argument("--locust-workers", type=int, help="override the profile's Locust workers")
    parser.add_argument("--http-workers", type=int, help="override the profile's gunicorn workers")
    parser.add_argument("--servers", type=int, help="override the profile's Daphne processes")
    args = parser.parse_args()
    profile = PROFILES[args.profile]
    if args.learners:
        profile = for_learners(profile, args.learners)
    for name in ("locust_workers", "http_workers", "servers"):
        if getattr(args, name):
            setattr(profile, name, getattr(args, name))
    harness = Harness(args.profile, profile)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    reference_before = host_reference_ms()
    try:
        harness.ensure_services()
        harness.seed()
        harness.spawn("worker", [sys.executable, "manage.py", "run_worker"], "worker.log")
        harness.start_servers()
        harness.start_http()
        harness.start_front()
        harness.run_locust()
        harness.settle()
        harness.run_logins()
        summary = harness.judge()
    finally:
        harness.stop_all()
    summary["host_reference_ms"] = {"before": reference_before, "after": host_reference_ms()}
    harness.write(summary)
    # The verdict last, where a CI log's tail shows it.
    print(verdict(summary))
    sys.exit(0 if summary["passed"] else 1)


if __name__ == "__main__":
    main()
