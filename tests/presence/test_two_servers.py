"""Presence across two real Daphne processes sharing Redis: connect, clean close, abrupt close,
a peer gone silent (no close, no answer to pings) and a server process killed outright — its
learners leave the totals within the TTL."""

import json
import os
import signal
import socket
import time
import uuid

import pytest
import websocket
from django.test import override_settings

from learning import presence
from tests.live_site import LiveSite, stop

pytestmark = [pytest.mark.server]
REDIS_URL = "redis://127.0.0.1:6379/5"  # a database of its own, away from the suite's
TTL = 3

MAKE_LEARNERS = """
import json
from importlib import import_module
from django.conf import settings
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
from learning.models import Commune
from tests.courses.builders import build_course
from tests.factories import ProfileFactory
course = build_course(modules=1, lessons_per_module=1)
out = {"course": course.pk, "cookies": []}
for code in (1, 79, 48, 1):
    commune = Commune.objects.filter(province_id=code).first()
    user = ProfileFactory(province=commune.province, commune=commune).user
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    out["cookies"].append(session.session_key)
print(json.dumps(out))
"""


@pytest.fixture
def two_servers(tmp_path):
    prefix = f"test:presence:{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update(
        DJANGO_SETTINGS_MODULE="learning.settings.dev",
        VAR_DIR=str(tmp_path),
        PYTHONUNBUFFERED="1",
        REDIS_URL=REDIS_URL,
        PRESENCE_TTL_SECONDS=str(TTL),
        PRESENCE_KEY_PREFIX=prefix,
    )
    first = LiveSite(var=tmp_path, env=env)
    first.logs.mkdir(exist_ok=True)
    first.manage("migrate", "--noinput")
    facts = json.loads(first.manage("shell", "-c", MAKE_LEARNERS).strip().splitlines()[-1])
    second = LiveSite(var=tmp_path, env=env)
    first.start_server()
    second.start_server()
    with override_settings(REDIS_URL=REDIS_URL, PRESENCE_TTL_SECONDS=TTL, PRESENCE_KEY_PREFIX=prefix):
        yield first, second, facts
    stop(first.server)
    stop(second.server)


def connect(site: LiveSite, session_key: str, course: int | None = None) -> websocket.WebSocket:
    query = f"?course={course}" if course else ""
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{site.port}/ws/live/{query}",
        cookie=f"sessionid={session_key}",
        origin=site.base,
        timeout=5,
    )
    assert json.loads(ws.recv()) == {"type": "hello"}
    return ws


def eventually(expected, timeout: float = 10) -> presence.Counts:
    deadline = time.monotonic() + timeout
    while True:
        counts = presence.online_counts()
        if expected(counts) or time.monotonic() > deadline:
            return counts
        time.sleep(0.2)


def test_presence_is_right_across_processes_and_survives_a_killed_one(two_servers):
    first, second, facts = two_servers
    course, (a, b, c, d) = facts["course"], facts["cookies"]
    on_first = connect(first, a, course)
    on_second_b = connect(second, b, course)
    on_second_c = connect(second, c)
    counts = eventually(lambda counts: counts.learners == 3)
    assert counts == presence.Counts(3, {course: 2}, {1: 1, 79: 1, 48: 1})

    on_first.close()  # a clean close
    assert eventually(lambda counts: counts.learners == 2).by_province == {79: 1, 48: 1}

    on_second_b.sock.shutdown(socket.SHUT_RDWR)  # the phone lost its network: no close frame
    on_second_b.sock.close()
    assert eventually(lambda counts: counts.learners == 1) == presence.Counts(1, {}, {48: 1})

    on_first_d = connect(first, d, course)
    assert eventually(lambda counts: counts.learners == 2).learners == 2
    os.kill(second.server.pid, signal.SIGKILL)  # the process dies with C's socket open
    second.server.wait()
    started = time.monotonic()
    counts = eventually(lambda counts: counts.learners == 1, timeout=TTL + 5)
    print(f"presence: a killed process's learners left the totals after {time.monotonic() - started:.1f} s")
    assert counts == presence.Counts(1, {course: 1}, {1: 1})
    on_first_d.close()
    on_second_c.close()


def test_a_socket_gone_silent_is_dropped_by_its_pings_and_leaves_the_totals(two_servers):
    _first, second, facts = two_servers
    course, (a, *_rest) = facts["course"], facts["cookies"]
    second.stop_server()  # again, pinging every second and giving up after 2 (production: 55 and 30)
    second.start_server(["--ping-interval", "1", "--ping-timeout", "2"])
    silent = connect(second, a, course)  # from now on it never reads: pings go unanswered
    assert eventually(lambda counts: counts.learners == 1).by_course == {course: 1}

    started = time.monotonic()
    counts = eventually(lambda counts: counts.learners == 0, timeout=15)

    print(f"presence: a silent socket left the totals after {time.monotonic() - started:.1f} s")
    assert counts == presence.Counts(0, {}, {})
    with pytest.raises((websocket.WebSocketException, OSError)):
        for _ in range(20):  # the server closed it: reading finds the end (after any pings queued)
            silent.recv()


def test_a_server_stopped_for_a_deploy_takes_its_learners_out_of_the_totals_as_it_stops(two_servers):
    first, second, facts = two_servers
    course, (a, b, *_rest) = facts["course"], facts["cookies"]
    on_first = connect(first, a, course)
    on_second = connect(second, b, course)
    assert eventually(lambda counts: counts.learners == 2).learners == 2

    second.stop_server()  # SIGTERM, as a deploy stops a process

    # At once, not after the TTL: the key was refreshed less than a second ago and would live on
    # for two more; counted with the new process's, B would be online twice while reconnecting.
    assert presence.online_counts() == presence.Counts(1, {course: 1}, {1: 1})
    second.start_server()
    on_second = connect(second, b, course)
    assert eventually(lambda counts: counts.learners == 2).by_course == {course: 2}
    on_first.close()
    on_second.close()
