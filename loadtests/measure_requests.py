"""What one request of each kind in the learner model costs the server: CPU milliseconds, SQL
queries and bytes, in-process through Django's handler (no HTTP server, no socket), under the
load test's settings and data. Prints figures; it asserts nothing.

    .venv/bin/python loadtests/measure_requests.py [--repeat 40] [--profile] [--queries]
    .venv/bin/python loadtests/measure_requests.py --instructions [--repeat 10] [--only dashboard,lesson]

It uses the load test's own PostgreSQL database and Redis index, seeding them as
`make loadtest-smoke` does when they are empty. Each request kind is warmed up, then repeated;
the figure is the median of process CPU time (time.process_time) per request. --profile also
writes a cProfile of every kind to var/loadtest/profiles/.

CPU time on a shared host drifts by half within hours, more than most code changes. With
--instructions the child runs under valgrind's callgrind instead, and the figure is the number
of instructions each request executed in the server process: the same for the same code and
data whatever else the machine is doing, so two commits can be compared on any hour (about 50
times slower; valgrind from apt). Callgrind writes its counts each time the child calls a
marker function (os.getpriority, which nothing else here calls), so each request is one part.

The budget this is measured against: 40,000 learners at one action per 42 s is about 950
requests/s; on two cores shared with the load generator, PostgreSQL and Redis, a request can
cost the server only a millisecond or two.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parent(args: argparse.Namespace) -> None:
    from loadtests.harness import PROFILES, VAR, Harness

    harness = Harness("measure", PROFILES["smoke"])
    harness.ensure_services()
    if not (VAR / "plan.json").exists() or not (VAR / "sessions.txt").exists():
        harness.seed()
    else:
        harness.manage("migrate", "--noinput")  # the code may be newer than the seeded database
    command = [sys.executable, __file__, "--child", "--repeat", str(args.repeat)]
    if args.profile:
        command.append("--profile")
    if args.queries:
        command.append("--queries")
    if args.only:
        command += ["--only", args.only]
    if not args.instructions:
        subprocess.run(command, cwd=ROOT, env=harness.env, check=True)
        return
    parts = VAR / "instructions"  # one measurement at a time: they share the learner's attempts
    shutil.rmtree(parts, ignore_errors=True)
    parts.mkdir(parents=True)
    # The same hash seed each time, so that dictionaries and sets do the same work.
    env = {**harness.env, "PYTHONHASHSEED": "0", "MEASURE_PARTS": str(parts)}
    try:
        subprocess.run([*callgrind(parts), *command, "--instructions"], cwd=ROOT, env=env, check=True)
        print_instructions(parts)
    finally:
        shutil.rmtree(parts)


MARKER_SYMBOL = "os_getpriority*"  # CPython's C function behind os.getpriority


def callgrind(parts: Path) -> list[str]:
    """valgrind's command line that writes a part into `parts` at each mark()."""
    return [
        "valgrind", "--quiet", "--tool=callgrind", "--cache-sim=no", "--dump-instr=no", "--dump-line=no",
        f"--dump-before={MARKER_SYMBOL}", f"--callgrind-out-file={parts / 'part'}",
    ]  # fmt: skip


def mark() -> None:
    """Ends a part of callgrind's count (the child runs under --dump-before=MARKER_SYMBOL)."""
    os.getpriority(os.PRIO_PROCESS, 0)


def part_totals(parts: Path) -> dict[int, int]:
    """Instructions per part: part k is what ran between the (k-1)-th marker and the k-th."""
    totals = {}
    for path in parts.glob("part*"):
        text = path.read_text()
        number = int(re.search(r"^part: (\d+)$", text, re.MULTILINE).group(1))
        totals[number] = int(re.search(r"^totals: (\d+)$", text, re.MULTILINE).group(1))
    return totals


def print_instructions(parts: Path) -> None:
    import statistics

    labels = json.loads((parts / "labels.json").read_text())  # the label of the part after each marker
    totals = part_totals(parts)
    counts: dict[str, list[int]] = {}
    for index, label in enumerate(labels):
        if label:
            counts.setdefault(label, []).append(totals[index + 2])
    print(
        f"\nInstructions per request in the server process (callgrind; median of {len(next(iter(counts.values())))}):"
    )
    print(f"{'request':<28} {'median':>10} {'least':>10}")
    for label, values in counts.items():
        print(f"{label:<28} {statistics.median(values) / 1e6:9.2f}M {min(values) / 1e6:9.2f}M")


def child(args: argparse.Namespace) -> None:
    import cProfile
    import statistics
    import time

    import django

    django.setup()
    if args.instructions:
        # The same questions, options and persona each time: an attempt page's cost depends on
        # which questions were drawn (a matching question renders a drop-down per option).
        import random

        import learning.sandboxes
        import quizzes.attempts

        quizzes.attempts._system_random = random.Random(0)
        learning.sandboxes._system_random = random.Random(1)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils.http import urlencode
    from django.utils.text import slugify

    from loadtests.harness import VAR
    from loadtests.model import SUBMITTED

    plan = json.loads((VAR / "plan.json").read_text())
    session = (VAR / "sessions.txt").read_text().split()[0]
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    csrf = "m" * 32
    client.cookies[settings.CSRF_COOKIE_NAME] = csrf

    def post(url: str, data: dict):
        """As a browser's form and the quiz page's script send it: URL-encoded, not multipart."""
        return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")

    def get(url: str) -> str:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.content.decode()

    course = plan["courses"][0]
    lessons = sorted(set(re.findall(rf'href="({re.escape(course)}[^"]+/[^"]+/)"', get(course))))
    # A lesson to mark done: one without a quick question to answer first (a learner with one
    # unanswered is sent back to it).
    done_url, done_lesson = next(
        (match.group(0), int(match.group(1)))
        for url in lessons
        if 'name="choice"' not in (page := get(url))
        and (match := re.search(r"/hoc/bai/(\d+)/hoan-thanh/", page))
    )
    from learning.models import LessonProgress

    learner_id = int(client.session["_auth_user_id"])

    def not_done_yet():
        """Untimed set-up: the lesson is not done yet, so marking it done writes, as it mostly does."""
        LessonProgress.objects.filter(lesson_id=done_lesson, learner_id=learner_id).delete()

    quiz = plan["quiz"]
    start = post(f"/bai-kiem-tra/{quiz}/bat-dau/", {"csrfmiddlewaretoken": csrf})
    attempt = start["Location"]
    page = get(attempt)
    # The first question with choices to tick (the order is shuffled per attempt; a matching
    # question has drop-downs instead).
    position, revision, options = next(
        (position, revision, choices)
        for position, revision in re.findall(r'name="rev(\d+)" value="(\d+)"', page)
        if len(choices := re.findall(rf'name="q{position}" value="(\d+)"', page)) > 1
    )
    answer = {"csrfmiddlewaretoken": csrf, f"q{position}": options[0], f"rev{position}": revision}

    def autosave():
        """A learner changing their mind: each save picks the other of two options, so it writes."""
        answer[f"q{position}"] = options[1] if answer[f"q{position}"] == options[0] else options[0]
        response = post(f"{attempt}cau/{position}/", answer)
        answer[f"rev{position}"] = str(response.json()["revision"])  # as the page's script does
        return response

    run = post(f"/thuc-hanh/{plan['scenario']}/bat-dau/", {"csrfmiddlewaretoken": csrf})["Location"]
    token = plan.get("certificates", [None])[0]
    fresh = {}

    def fresh_run():
        """Untimed set-up: a run of its own at its first step (the declaration), as a learner has."""
        fresh["run"] = post(f"/thuc-hanh/{plan['scenario']}/bat-dau/", {"csrfmiddlewaretoken": csrf})[
            "Location"
        ]
        fresh["run"] = post(f"{fresh['run']}lam-lai/", {"csrfmiddlewaretoken": csrf})["Location"]
        fresh["step"] = re.search(r'name="buoc" value="(\d+)"', get(fresh["run"])).group(1)

    def submit_dossier():
        data = {"csrfmiddlewaretoken": csrf, "buoc": fresh["step"], "cam_doan": "1"}
        return post(fresh["run"], data)

    def filed_run():
        """Untimed set-up: a run whose dossier has just been filed, as the learner then has it."""
        fresh_run()
        submit_dossier()

    def filed_run_read():
        """... and its code read off the tracking page."""
        filed_run()
        fresh["code"] = SUBMITTED.search(get(fresh["run"])).group(1)

    def look_up():
        data = {"csrfmiddlewaretoken": csrf, "buoc": str(int(fresh["step"]) + 1), "ma_ho_so": fresh["code"]}
        return post(fresh["run"], data)

    opened = {"attempt": attempt}
    made_attempts = [int(attempt.strip("/").split("/")[-1])]  # what this measurement made, removed at the end

    def submit_open_attempt():
        """Untimed set-up: the learner's open attempt is handed in, so that a start draws anew."""
        page = client.get(opened["attempt"]).content.decode()  # a finished one redirects
        key = re.search(r'name="submit_key" value="([^"]+)"', page)
        if key:
            data = {"csrfmiddlewaretoken": csrf, "submit": "1", "submit_key": key.group(1)}
            post(opened["attempt"], data)

    def start_quiz():
        response = post(f"/bai-kiem-tra/{quiz}/bat-dau/", {"csrfmiddlewaretoken": csrf})
        assert response["Location"].startswith("/bai-lam/"), response["Location"]
        opened["attempt"] = response["Location"]
        made_attempts.append(int(response["Location"].strip("/").split("/")[-1]))
        return response

    def fresh_attempt():
        """Untimed set-up: a new attempt, its questions with choices answered (saved as chosen), and
        the form as the browser will send it: every answer again, with the revisions."""
        submit_open_attempt()
        start_quiz()
        page = get(opened["attempt"])
        key = re.search(r'name="submit_key" value="([^"]+)"', page).group(1)
        form = {"csrfmiddlewaretoken": csrf, "submit": "1", "submit_key": key}
        for number, revision in re.findall(r'name="rev(\d+)" value="(\d+)"', page):
            form.update({f"rev{number}": revision, f"was{number}": ""})
            choices = re.findall(rf'name="q{number}" value="(\d+)"', page)
            if not choices:
                form.update(dict.fromkeys(re.findall(rf'name="(q{number}-\d+)"', page), ""))
                continue
            saved = post(
                f"{opened['attempt']}cau/{number}/",
                {"csrfmiddlewaretoken": csrf, f"q{number}": choices[0], f"rev{number}": revision},
            )
            form.update(
                {
                    f"q{number}": choices[0],
                    f"q{number}-shown": "1",
                    f"rev{number}": str(saved.json()["revision"]),
                }
            )
        opened["form"] = form

    def submit_quiz():
        return post(opened["attempt"], opened["form"])

    kinds = {
        "dashboard": lambda: client.get("/hoc-cua-toi/"),
        "course page": lambda: client.get(course),
        "lesson": lambda: client.get(lessons[0]),
        "lesson done": (not_done_yet, lambda: post(done_url, {"csrfmiddlewaretoken": csrf})),
        "quiz intro": lambda: client.get(f"/bai-kiem-tra/{quiz}/"),
        "quiz attempt": lambda: client.get(attempt),
        "quiz answer (autosave)": autosave,
        "quiz start": (submit_open_attempt, start_quiz),
        "quiz submit": (fresh_attempt, submit_quiz),
        "sandbox start": lambda: post(
            f"/thuc-hanh/{plan['scenario']}/bat-dau/", {"csrfmiddlewaretoken": csrf}
        ),
        "sandbox step": lambda: client.get(run),
        "sandbox submit dossier": (fresh_run, submit_dossier),
        "sandbox track page": (filed_run, lambda: client.get(fresh["run"])),
        "sandbox look up": (filed_run_read, look_up),
        "sandbox restart": (
            filed_run,
            lambda: post(f"{fresh['run']}lam-lai/", {"csrfmiddlewaretoken": csrf}),
        ),
        "certificate verification": (lambda: client.get(f"/chung-nhan/{token}/")) if token else None,
        "health check (floor)": lambda: client.get("/healthz/"),
    }
    profiles = VAR / "profiles"
    profiles.mkdir(exist_ok=True)
    rows = []
    labels: list[str | None] = []  # with --instructions: what each part after a marker was
    for name, request in kinds.items():
        if request is None or (args.only and not any(word in name for word in args.only.split(","))):
            continue
        setup, request = request if isinstance(request, tuple) else (None, request)
        for _ in range(3):
            if setup:
                setup()
            request()
        times, queries, sizes, statuses = [], [], [], set()
        profiler = cProfile.Profile() if args.profile else None
        for _ in range(args.repeat):
            if setup:
                setup()
            with CaptureQueriesContext(connection) as captured:
                if profiler:
                    profiler.enable()
                started = time.process_time()
                if args.instructions:
                    mark()  # the part that starts here is this request
                    labels.append(name)
                response = request()
                if args.instructions:
                    mark()
                    labels.append(None)
                times.append((time.process_time() - started) * 1000)
                if profiler:
                    profiler.disable()
            queries.append(len(captured.captured_queries))
            sizes.append(len(response.content))
            statuses.add(response.status_code)
        if profiler:
            profiler.dump_stats(profiles / f"{slugify(name)}.prof")
        if args.queries:
            print(f"\n{name}:")
            for query in captured.captured_queries:
                sql = query["sql"]
                # Django compiles an ORDER BY by hashing every selected column: worth seeing.
                ordered = sql.rfind(" ORDER BY ")
                print(f"  {sql[:160]}" + (f" …{sql[ordered:][:80]}" if ordered > 0 else ""))
        rows.append(
            (name, statistics.median(times), min(times), max(queries), statistics.median(sizes), statuses)
        )

    # Left behind, they would change what the next measurement measures: past 12 attempts the
    # quiz intro and start also count the older ones and look for the best (quizzes/attempts.py).
    from quizzes.models import Attempt

    Attempt.objects.filter(pk__in=made_attempts).delete()
    not_done_yet()  # likewise: the next measurement finds the lesson to mark done by its form
    if args.instructions:
        (Path(os.environ["MEASURE_PARTS"]) / "labels.json").write_text(json.dumps(labels))
        return  # under valgrind, times say nothing: the parent prints the counts

    print(f"\nPer-request server cost, in-process, median of {args.repeat} ({settings.SETTINGS_MODULE}):")
    # The least is steadier than the median where the machine's speed drifts (a shared host).
    print(f"{'request':<28} {'CPU ms':>7} {'least':>7} {'queries':>8} {'bytes':>8}  status")
    for name, cpu, least, count, size, statuses in rows:
        print(f"{name:<28} {cpu:7.2f} {least:7.2f} {count:8d} {size:8.0f}  {sorted(statuses)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--profile", action="store_true", help="also write cProfile stats per request kind")
    parser.add_argument("--queries", action="store_true", help="also print the SQL of one request per kind")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions under callgrind instead of timing"
    )
    parser.add_argument(
        "--only", help="measure only the request kinds whose names contain one of these (a,b)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning.settings.loadtest")
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
