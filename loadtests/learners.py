"""The concurrent-learner suite (DESIGN §5): signed-in learners who hold one live socket each and
work through lessons, quizzes and a practice procedure over HTTP.

Run through the harness (``make loadtest`` / ``make loadtest-smoke``, see loadtests/harness.py),
which seeds the learners and writes two files this suite reads:

- ``LOADTEST_SESSIONS``: one session key per line (learners start signed in; sign-in itself is
  measured apart, at the rate these learners would cause, by loadtests/logins.py);
- ``LOADTEST_PLAN``: JSON with the course URLs, the practice quiz, the practice scenario and
  certificate tokens to verify.

The learner model, and why
--------------------------
An adult beginner on a cheap phone is slow, and that is the point of the platform. Each learner
repeats one of four activities, chosen at random with these weights:

========================  ======  ==========================================================
activity                  weight  actions (think time before each, seconds)
========================  ======  ==========================================================
reading                   45 %    course page (glance 5 to 30), lesson (find it 3 to 20), mark
                                  it done (read it 60 to 300, mode 120), next lesson (3 to 20), mark
                                  it done (60 to 300): 5 actions, ≈ 350 s
practice quiz             25 %    intro (5 to 30), start (5 to 20), five answers each autosaved
                                  (15 to 90, mode 35: read, think, tap), submit (5 to 40): 8
                                  actions, ≈ 290 s
practice procedure        20 %    start (5 to 30), declare and submit the dossier (8 to 60), then
                                  wait for the pushed "Đã trả kết quả" (the time line takes 30
                                  s) and look the dossier up (3 to 15), open the result (3 to 15):
                                  ≈ 5 actions, ≈ 90 s
dashboard and checking    10 %    dashboard (5 to 30), verify a certificate (5 to 30): 2 actions
========================  ======  ==========================================================

Think times are triangular (min, max, mode). That gives one HTTP action every 42.4 s per learner
on average (``python loadtests/model.py`` computes it), within the ≤ 60 s the issue asks; the harness reports the rate the schedules
*offered* beside the rate *achieved*. Pacing is fixed: each learner keeps its own timetable and
the next action is due one think time after the previous one was *due*, not after its response
came back, so a slow server cannot lower the offered load by being slow. All actions but the
certificate check are per-learner pages or writes.

Every response is checked for its status and a marker of the right page. The socket answers the
server's protocol pings while reading; a dossier status push carries the moment of the change,
so the delay from change to arrival is reported as "notification delay". A socket that closes
when the harness did not close it is a failure.
"""

import functools
import json
import os
import random
import re
import string
import time
from itertools import count
from pathlib import Path

import gevent
import gevent.event
import websocket
from locust import FastHttpUser, LoadTestShape, argument_parser, between, events, runners, task
from locust.exception import StopUser
from locust.runners import MasterRunner

from loadtests import model, socket_counts
from loadtests.greeting import TryAgainLater, read_greeting, read_handshake_lines_peeking
from loadtests.model import (
    ANSWER,
    DOSSIER_CODE,
    FIND_LESSON,
    GLANCE,
    LOOK,
    READ_LESSON,
    SANDBOX_STEP,
    START,
    SUBMIT,
    SUBMITTED,
)

# A browser reads the handshake's response in one go; websocket-client reads it a byte at a time.
read_handshake_lines_peeking()

SESSIONS = Path(os.environ.get("LOADTEST_SESSIONS", "var/loadtest/sessions.txt"))
PLAN = Path(os.environ.get("LOADTEST_PLAN", "var/loadtest/plan.json"))
# Where sockets go: the front (as browsers do) unless the harness lists the servers directly.
# The front's addresses: each learner uses one, as phones reach the site from many addresses
# (and one address would run out of ephemeral ports at 28,000 connections).
HOSTS = [host for host in os.environ.get("LOADTEST_HOSTS", "").split(",") if host]
# The smoke run plays the same model faster (think times divided by this), so that every action
# appears within its minute; the full run uses 1.
SPEED = float(os.environ.get("LOADTEST_SPEED", "1"))
# As the pages say (settings.LIVE_RECONNECT_SPREAD_SECONDS): after the server closes an open
# socket, the first try waits a random time up to this many seconds. The harness sets both.
RECONNECT_SPREAD = float(os.environ.get("LOADTEST_RECONNECT_SPREAD", "60"))

# A worker busy with thousands of sockets can miss Locust's heartbeat for a few seconds. With the
# default (3 missed beats) the master then gives its users to the other workers while it still
# runs them: a 4,000 run ramped to 5,649 held sockets and collapsed. A worker that really died is
# still taken out, after two minutes rather than three seconds. (Locust has no option for this.)
runners.HEARTBEAT_LIVENESS = 120

# Locust 2.47's worker works out the default options by building its whole argument parser (18 ms
# of CPU here) once for every option of every spawn message from the master: the test sits inside
# a comprehension (runners.py, `k not in argument_parser.default_args_dict()`), so about a second of
# CPU per message per worker, and the master sends each worker a message every second of a ramp
# or a step-up. A py-spy profile of a worker during a 9,000-learner ramp found 83 % of its samples
# there, on the two cores the servers share. The defaults cannot change within a run: worked out
# once per process.
argument_parser.default_args_dict = functools.cache(argument_parser.default_args_dict)

ACTIVITIES = {name: weight for name, (weight, _steps) in model.ACTIVITIES.items()}
# The exam-start spike: when the harness announces it, this share of learners drop what they
# are doing and start the practice quiz, each within the same minute.
EXAM_COHORT = float(os.environ.get("LOADTEST_EXAM_COHORT", "0.5"))
PHASE_FILE = Path(os.environ.get("LOADTEST_PHASE_FILE", "var/loadtest/phase"))
SOCKET_COUNTS = Path(os.environ.get("LOADTEST_SOCKET_COUNTS", "var/loadtest/learner-sockets"))

_sessions: list[str] = []
_plan: dict = {}
_next = count()
_worker_index, _worker_count = 0, 1
sockets_open = 0
_count_file: Path | None = None  # where this worker writes sockets_open (not the master)
phase = "ramp"
exam_bell = gevent.event.Event()


class ExamStarts(Exception):
    """This learner is in the exam cohort: leave the current activity for the quiz."""


def watch_phase() -> None:
    """Follow the harness's phase file; ring the exam bell when the spike begins. Tell the
    harness how many sockets this worker's learners hold."""
    global phase
    while True:
        try:
            if _count_file is not None:
                socket_counts.write(_count_file, sockets_open)
            current = PHASE_FILE.read_text().strip() or phase
        except OSError:  # a file system hiccup must not stop the watch (the exam bell rings here)
            current = phase
        if current != phase:
            phase = current
            if phase == "spike":
                exam_bell.set()
            else:
                exam_bell.clear()
        gevent.sleep(1)


def think(spec: tuple[float, float, float]) -> float:
    low, high, mode = spec
    return random.triangular(low, high, mode) / SPEED


@events.init.add_listener
def _load(environment, **_kwargs) -> None:
    global _worker_index, _worker_count, _count_file
    if SESSIONS.exists():
        _sessions.extend(SESSIONS.read_text().split())
    if PLAN.exists():
        _plan.update(json.loads(PLAN.read_text()))
    runner = environment.runner
    _worker_index = getattr(runner, "worker_index", 0) or 0
    _worker_count = max(1, int(os.environ.get("LOADTEST_WORKERS", "1")))
    if not isinstance(runner, MasterRunner):
        SOCKET_COUNTS.mkdir(parents=True, exist_ok=True)
        _count_file = SOCKET_COUNTS / f"worker-{_worker_index}"
    gevent.spawn(watch_phase)


def next_session() -> str:
    """Each Locust worker takes every n-th key, so no two learners share a session."""
    n = next(_next) * _worker_count + _worker_index
    return _sessions[n % len(_sessions)]


def fire(name: str, started: float, *, exception: Exception | None = None, kind: str = "WS") -> None:
    events.request.fire(
        request_type=kind,
        name=f"[{phase}] {name}",
        response_time=(time.time() - started) * 1000,
        response_length=0,
        exception=exception,
        context={},
    )


class LearnerUser(FastHttpUser):
    """A signed-in learner with one live socket, working through the platform."""

    wait_time = between(0, 0)  # the activities keep their own timetable

    def __init__(self, environment) -> None:
        if HOSTS:
            self.host = random.choice(HOSTS)
        super().__init__(environment)
        # The learner keeps its own cookies (the session, the CSRF token, Django's messages) and
        # sends them in a Cookie header of its own, as a browser does. Locust's cookie jar could
        # only parse every Set-Cookie and work out, for every request, cookies it would never
        # send (a request with a Cookie header gets none from the jar): 0.14 ms of the client's
        # CPU a request, 13 % (the dashboard through one gunicorn, 8 × 1,500 requests).
        self.client.client.cookiejar = None

    def on_start(self) -> None:
        if not _sessions:
            raise StopUser
        self.session = next_session()
        self.csrf = "".join(random.choices(string.ascii_letters + string.digits, k=32))
        self.cookie = f"sessionid={self.session}; csrftoken={self.csrf}"
        self.messages = ""  # Django's messages cookie, kept as a browser keeps it
        self.due = time.time() + random.uniform(0, 30) / SPEED  # spread the first actions
        self.result_ready = False
        self.in_cohort = random.random() < EXAM_COHORT
        self.heard_bell = False
        self.socket: websocket.WebSocket | None = None
        self.told_to_wait = False  # the server was too busy for the last handshake
        self.closing = False
        self.lessons: dict[str, list[str]] = {}
        self.connect()
        self.reader = gevent.spawn(self.read_socket)

    def on_stop(self) -> None:
        global sockets_open
        self.closing = True
        if self.socket is not None:
            self.socket.close()
            sockets_open -= 1
        self.reader.kill(block=False)

    # The live socket --------------------------------------------------------------------

    def ws_url(self) -> str:
        return f"{self.host.replace('http', 'ws', 1)}/ws/live/"

    def connect(self) -> bool:
        global sockets_open
        started = time.time()
        try:
            self.socket = websocket.create_connection(
                self.ws_url(), cookie=f"sessionid={self.session}", origin=self.host, timeout=30
            )
            read_greeting(self.socket)
            self.socket.settimeout(None)
        except Exception as error:
            # A server too busy for the handshake: come back within the spread, as live.js does.
            self.told_to_wait = isinstance(error, TryAgainLater)
            if self.socket is not None:
                self.socket.close(timeout=0)
            self.socket = None
            fire("socket connect", started, exception=error)
            return False
        sockets_open += 1
        fire("socket connect", started)
        return True

    def read_socket(self) -> None:
        """Read pushes (answering pings inside recv) until the learner stops."""
        global sockets_open
        failures = 0
        dropped = False
        while not self.closing:
            if self.socket is None:
                # As live.js does: a live socket the server closed is reopened after a random
                # wait up to the spread; a failed try waits longer each time (exponential
                # back-off with jitter, at most a minute); a try turned away as too busy waits a
                # random time within the spread, or within the back-off once that is longer. A
                # whole cohort dropped at once does not come back as one storm of handshakes.
                if dropped:
                    gevent.sleep(random.random() * RECONNECT_SPREAD)
                    dropped = False
                else:
                    failures += 1
                    ceiling = min(60.0, 2.0**failures)
                    if self.told_to_wait:
                        gevent.sleep(random.random() * max(RECONNECT_SPREAD, ceiling))
                        self.told_to_wait = False
                    else:
                        gevent.sleep(ceiling / 2 + random.random() * ceiling / 2)
                if self.connect():
                    failures = 0
                continue
            try:
                text = self.socket.recv()
            except Exception as error:
                if self.closing:
                    return
                sockets_open -= 1
                self.socket = None
                dropped = True
                fire("socket closed", time.time(), exception=error)
                continue
            if not text:
                continue
            message = json.loads(text)
            if message.get("kind") == "dossier-status" and message.get("at"):
                at = _parse_time(message["at"])
                fire("notification delay", at)
                code = DOSSIER_CODE.search(message.get("title", ""))
                if code and "Đã trả kết quả" in message.get("title", ""):
                    self.result_ready = code.group(0)  # the learner reads the code off the notice

    # HTTP actions -------------------------------------------------------------------------

    def wait(self, spec) -> None:
        """Fixed pacing: the next action is due a think time after the previous one was due.

        While waiting, a learner of the exam cohort hears the bell and leaves for the quiz."""
        self.due += think(spec)
        delay = self.due - time.time()
        if delay <= 0:
            return
        if self.in_cohort and not self.heard_bell and exam_bell.wait(timeout=delay):
            self.heard_bell = True
            raise ExamStarts
        remaining = self.due - time.time()
        if remaining > 0:
            gevent.sleep(remaining)

    def get(self, url: str, name: str, marker: str) -> str:
        with self.client.get(
            url,
            name=f"[{phase}] {name}",
            headers={"Cookie": self.cookie + self.messages},
            catch_response=True,
            allow_redirects=False,
        ) as response:
            self.keep_messages(response)
            text = response.text or ""
            if response.status_code != 200 or marker not in text:
                response.failure(f"{response.status_code}, marker {marker!r} missing")
            return text

    def post(self, url: str, name: str, data: dict, expect: int = 302) -> str:
        headers = {
            "Cookie": self.cookie + self.messages,
            "X-CSRFToken": self.csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        with self.client.post(
            url,
            name=f"[{phase}] {name}",
            data=data,
            headers=headers,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            self.keep_messages(response)
            if response.status_code != expect:
                response.failure(f"{response.status_code} instead of {expect}")
            return response.headers.get("Location", "") if expect == 302 else (response.text or "")

    def keep_messages(self, response) -> None:
        """A message ("Mã hồ sơ của bạn: …") travels in a cookie to the next page, which clears it."""
        for header in response.headers.getlist("set-cookie") if response.headers else []:
            if header.startswith("messages="):
                value = header.split(";", 1)[0]
                self.messages = "" if value in {"messages=", 'messages=""'} else f"; {value}"

    @task
    def activity(self) -> None:
        choice = random.choices(list(ACTIVITIES), weights=list(ACTIVITIES.values()))[0]
        try:
            getattr(self, choice)()
        except ExamStarts:
            self.due = time.time() + random.uniform(0, 60)  # everyone starts within the minute
            self.quiz(exam=True)

    def reading(self) -> None:
        course = random.choice(_plan["courses"])
        self.wait(GLANCE)
        html = self.get(course, "course page", "<h1")
        lessons = self.lessons.setdefault(
            course, sorted(set(re.findall(rf'href="({re.escape(course)}[^"]+/[^"]+/)"', html)))
        )
        if not lessons:
            return
        start = random.randrange(len(lessons))
        for lesson in lessons[start : start + 2]:
            self.wait(FIND_LESSON)
            page = self.get(lesson, "lesson", "data-live-course")
            done = re.search(r'action="(/hoc/bai/\d+/hoan-thanh/)"', page)
            if done is None:
                continue  # already completed, or gated: reading it is the action
            self.wait(READ_LESSON)
            self.post(done.group(1), "lesson done", {"csrfmiddlewaretoken": self.csrf})

    def quiz(self, exam: bool = False) -> None:
        quiz = _plan["quiz"]
        if not exam:
            self.wait(GLANCE)
        else:
            gevent.sleep(max(0, self.due - time.time()))
        self.get(f"/bai-kiem-tra/{quiz}/", "quiz intro", "<h1")
        self.wait(START)
        attempt = self.post(
            f"/bai-kiem-tra/{quiz}/bat-dau/", "quiz start", {"csrfmiddlewaretoken": self.csrf}
        )
        if not attempt.startswith("/bai-lam/"):
            return
        page = self.get(attempt, "quiz attempt", "submit_key")
        revisions = dict(re.findall(r'name="rev(\d+)" value="(\d+)"', page))
        key = re.search(r'name="submit_key" value="([^"]+)"', page)
        # The submit carries the whole form, as a browser sends it: every question's revision (the
        # page's script updates it after each save) and the answers chosen, saved already.
        form = {"csrfmiddlewaretoken": self.csrf, "submit": "1", "submit_key": key.group(1) if key else ""}
        for position in sorted(revisions, key=int):
            form.update({f"rev{position}": revisions[position], f"was{position}": ""})
            options = re.findall(rf'name="q{position}" value="(\d+)"', page)
            if not options:  # an ordering question: left unanswered, as some learners do
                form.update(dict.fromkeys(re.findall(rf'name="(q{position}-\d+)"', page), ""))
                continue
            self.wait(ANSWER)
            chosen = random.choice(options)
            saved = self.post(
                f"{attempt}cau/{position}/",
                "quiz answer (autosave)",
                {
                    "csrfmiddlewaretoken": self.csrf,
                    f"q{position}": chosen,
                    f"rev{position}": revisions[position],
                },
                expect=200,
            )
            revision = re.search(r'"revision": (\d+)', saved)
            form.update({f"q{position}": chosen, f"q{position}-shown": "1"})
            form[f"rev{position}"] = revision.group(1) if revision else revisions[position]
        self.wait(SUBMIT)
        self.post(attempt, "quiz submit", form)

    def procedure(self) -> None:
        scenario = _plan["scenario"]
        self.wait(GLANCE)
        run = self.post(
            f"/thuc-hanh/{scenario}/bat-dau/", "sandbox start", {"csrfmiddlewaretoken": self.csrf}
        )
        if not run.startswith("/thuc-hanh/luot/"):
            return
        page = self.get(run, "sandbox step", "buoc")
        step = re.search(r'name="buoc" value="(\d+)"', page)
        if step is None or step.group(1) != "0":  # left half-way in an earlier session: start afresh
            run = self.post(f"{run}lam-lai/", "sandbox restart", {"csrfmiddlewaretoken": self.csrf})
            page = self.get(run, "sandbox step", "buoc")
            step = re.search(r'name="buoc" value="(\d+)"', page)
            if step is None:
                return
        self.wait(SANDBOX_STEP)
        self.result_ready = False
        self.post(
            run,
            "sandbox submit dossier",
            {"csrfmiddlewaretoken": self.csrf, "buoc": step.group(1), "cam_doan": "1"},
        )
        deadline = time.time() + 45 / min(SPEED, 1.5)
        while not self.result_ready and time.time() < deadline:
            gevent.sleep(1)  # the learner waits for the pushed "Đã trả kết quả"
        self.due = max(self.due, time.time())
        self.wait(LOOK)
        page = self.get(run, "sandbox track page", "ma_ho_so")
        # Without the push (its socket was down), the learner reads the code off the page: the
        # message "Mã hồ sơ của bạn: …" that the submission left.
        left = SUBMITTED.search(page)
        code = self.result_ready or (left.group(1) if left else "")
        self.wait(LOOK)
        self.post(
            run,
            "sandbox look up",
            {
                "csrfmiddlewaretoken": self.csrf,
                "buoc": str(int(step.group(1)) + 1),
                "ma_ho_so": code,
            },
        )
        self.post(f"{run}lam-lai/", "sandbox restart", {"csrfmiddlewaretoken": self.csrf})

    def checking(self) -> None:
        self.wait(GLANCE)
        self.get("/hoc-cua-toi/", "dashboard", "<h1")
        if _plan.get("certificates"):
            self.wait(GLANCE)
            token = random.choice(_plan["certificates"])
            self.get(f"/chung-nhan/{token}/", "certificate verification", "<h1")


def _parse_time(text: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text).timestamp()


if os.environ.get("LOADTEST_STAGES"):

    class Stages(LoadTestShape):
        """The harness's timeline: (ends at second, learners, arrival rate) for each phase."""

        stages = json.loads(os.environ["LOADTEST_STAGES"])

        def tick(self):
            run_time = self.get_run_time()
            for end, learners, rate in self.stages:
                if run_time < end:
                    return learners, rate
            return None
