"""What one live socket costs the server: memory and CPU of an idle connection, of a first
connect, of a disconnect and of a reconnect. Prints figures; it asserts nothing.

    .venv/bin/python loadtests/measure_sockets.py [--sockets 2000] [--redis redis://127.0.0.1:6379/6]
        [--database postgres://postgres@127.0.0.1:5432/postgres] [--clients 50]

It starts one Daphne process on a fresh database (SQLite in a temporary folder, or with
--database a new PostgreSQL database on that server, dropped afterwards), with the Redis channel
layer, presence store and cache when --redis is given, as in production. It creates signed-in
learners, opens the sockets one after another from this process, holds them idle, closes them,
and opens them once more, reading the server's resident memory and CPU time (psutil) between
the phases. The first connect of a learner works out and keeps their account (with --redis); the
reconnect finds it kept, as every learner's socket does after a deploy.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import psutil
import requests
import websocket

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

MAKE_SESSIONS = """
import json, sys
from importlib import import_module
from django.conf import settings
from django.contrib.auth.hashers import make_password
from learning.models import Commune, Profile, User
from django.utils import timezone
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
count = int(sys.argv[-1])
communes = list(Commune.objects.select_related("province")[:200])
password = make_password(None)
users = User.objects.bulk_create([User(username=f"do{n:06d}", password=password) for n in range(count)])
Profile.objects.bulk_create([
    Profile(user=user, full_name=f"Người đo {n}", birth_year=1970, province=communes[n % len(communes)].province,
            commune=communes[n % len(communes)], learner_group="nguoi_dan", consent_at=timezone.now())
    for n, user in enumerate(users)
])
keys = []
for user in users:
    session = SessionStore()
    session.update({"_auth_user_id": str(user.pk), "_auth_user_backend": settings.AUTHENTICATION_BACKENDS[0],
                    "_auth_user_hash": user.get_session_auth_hash()})
    session.create()
    keys.append(session.session_key)
print(json.dumps(keys))
"""


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def rss_mib(process: psutil.Process) -> float:
    return process.memory_info().rss / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=2000)
    parser.add_argument("--idle-seconds", type=float, default=30)
    parser.add_argument("--redis", default="", help="a Redis URL: channel layer, presence and cache in Redis")
    parser.add_argument("--database", default="", help="a PostgreSQL URL: measure on a new database there")
    parser.add_argument(
        "--clients",
        type=int,
        default=1,
        help="client threads opening the sockets at once (a burst, as in a reconnect)",
    )
    args = parser.parse_args()
    with fresh_database(args.database) as database_url:
        measure(args, database_url)


@contextmanager
def fresh_database(server_url: str):
    """A new, empty PostgreSQL database on server_url, dropped afterwards; or SQLite ("")."""
    if not server_url:
        yield ""
        return
    import psycopg

    name = f"measure_sockets_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def measure(args: argparse.Namespace, database_url: str) -> None:
    var = Path(tempfile.mkdtemp(prefix="measure-sockets-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}}
    env.update(DJANGO_SETTINGS_MODULE="learning.settings.dev", VAR_DIR=str(var), PYTHONUNBUFFERED="1")
    if args.redis:
        env.update(REDIS_URL=args.redis, PRESENCE_KEY_PREFIX=f"measure:{os.getpid()}")
    if database_url:
        env.update(DATABASE_URL=database_url)

    def manage(*command: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    manage("migrate", "--noinput")
    shell = [
        sys.executable,
        "-c",
        "import django, sys; django.setup(); exec(sys.stdin.read())",
        str(args.sockets),
    ]
    made = subprocess.run(
        shell, cwd=ROOT, env=env, input=MAKE_SESSIONS, capture_output=True, text=True, check=True
    )
    keys = json.loads(made.stdout.strip().splitlines()[-1])
    port = 8765
    server = subprocess.Popen(
        [str(BIN / "daphne"), "--ping-interval", "300", "-p", str(port), "learning.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=(var / "daphne.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if requests.get(base + "/healthz/", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        process = psutil.Process(server.pid)
        time.sleep(1)
        warm = connect_all(port, base, keys[:20])  # first sockets pay for imports and caches
        close_all(warm)
        time.sleep(1)
        rss0, cpu0, t0 = rss_mib(process), cpu_seconds(process), time.monotonic()
        sockets = connect_all(port, base, keys, args.clients)
        time.sleep(1)
        rss1, cpu1, t1 = rss_mib(process), cpu_seconds(process), time.monotonic()
        time.sleep(args.idle_seconds)
        cpu2, t2 = cpu_seconds(process), time.monotonic()
        close_all(sockets)
        time.sleep(2)
        rss3, cpu3 = rss_mib(process), cpu_seconds(process)
        t3 = time.monotonic()
        close_all(connect_all(port, base, keys, args.clients))
        t4 = time.monotonic()
        time.sleep(2)
        cpu4 = cpu_seconds(process)
        n = len(sockets)
        layer = "Redis channel layer, presence and cache" if args.redis else "in-memory channel layer"
        database = "PostgreSQL" if database_url else "SQLite"
        print(f"Daphne, one process, {layer}, {database}, {n} sockets, one learner each")
        print(
            f"  memory: {rss0:.1f} MiB before, {rss1:.1f} MiB with the sockets open, {rss3:.1f} MiB after closing"
        )
        print(f"  per idle socket: {(rss1 - rss0) * 1024 / n:.1f} KiB resident")
        print(f"  per connect (handshake, session, hello, timers): {(cpu1 - cpu0) * 1000 / n:.2f} ms CPU")
        print(
            f"  idle: {(cpu2 - cpu1) / (t2 - t1) * 100:.2f} % of one core for {n} sockets over {t2 - t1:.0f} s"
        )
        print(f"  per disconnect: {(cpu3 - cpu2) * 1000 / n:.2f} ms CPU")
        print(f"  per reconnect and disconnect (account kept): {(cpu4 - cpu3) * 1000 / n:.2f} ms CPU")
        print(f"  wall time to open them from {args.clients} client thread(s): {t1 - t0 - 1:.1f} s")
        print(f"  wall time to reopen and close them: {t4 - t3:.1f} s")
    finally:
        server.terminate()
        server.wait(timeout=15)


def connect_all(port: int, base: str, keys: list[str], clients: int = 1) -> list[websocket.WebSocket]:
    """Open one socket per key, from this many client threads at once, each waiting for hello."""

    def connect(key: str) -> websocket.WebSocket:
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}/ws/live/", cookie=f"sessionid={key}", origin=base, timeout=30
        )
        ws.recv()  # hello
        return ws

    if clients == 1:
        return [connect(key) for key in keys]
    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(connect, keys))


def close_all(sockets: list[websocket.WebSocket]) -> None:
    for ws in sockets:
        ws.close()


if __name__ == "__main__":
    main()
