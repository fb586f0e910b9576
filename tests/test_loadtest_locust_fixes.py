"""What the Locust suite changes in Locust itself, checked in a process of its own: importing
Locust patches the process's sockets with gevent."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# As a worker does with each spawn message from the master (locust/runners.py): every option
# the master sent is looked up in the default options.
SPAWN_MESSAGES = """
import json
from locust import argument_parser

builds = 0
build = argument_parser.setup_parser_arguments


def counted(*args, **kwargs):
    global builds
    builds += 1
    return build(*args, **kwargs)


argument_parser.setup_parser_arguments = counted
import loadtests.learners  # noqa: E402,F401

uncached = getattr(argument_parser.default_args_dict, "__wrapped__", argument_parser.default_args_dict)
sent = {**uncached(), "learners_plan": "plan.json"}
builds = 0
for _ in range(5):
    custom = {key for key in sent if key not in argument_parser.default_args_dict()}
print(json.dumps({
    "builds": builds,
    "options": len(sent),
    "custom": sorted(custom),
    "same_defaults": argument_parser.default_args_dict() == uncached(),
}))
"""


def test_a_worker_works_out_the_default_options_once_not_once_per_option_of_every_message():
    result = subprocess.run(
        [sys.executable, "-c", SPAWN_MESSAGES], cwd=ROOT, capture_output=True, text=True, check=True
    )
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["options"] > 50
    assert seen["builds"] <= 1  # Locust alone: one per option per message, 5 × options
    assert seen["custom"] == ["learners_plan"]
    assert seen["same_defaults"]


# A server that sets a cookie of its own on every response and writes down the Cookie headers it
# receives; a learner asks it twice.
COOKIES = """
import json
import gevent
from gevent.pywsgi import WSGIServer

import loadtests.learners as learners
from locust.env import Environment

received = []


def app(environ, start_response):
    received.append(environ.get("HTTP_COOKIE"))
    start_response("200 OK", [("Content-Type", "text/html"), ("Set-Cookie", "csrftoken=fromserver; Path=/")])
    return [b"<main>trang</main>"]


server = WSGIServer(("127.0.0.1", 0), app, log=None)
server.start()
learners.LearnerUser.host = f"http://127.0.0.1:{server.server_port}"
learner = learners.LearnerUser(Environment(user_classes=[learners.LearnerUser]))
learner.cookie, learner.messages = "sessionid=abc; csrftoken=mine", ""
pages = [learner.get("/hoc-cua-toi/", "dashboard", "<main>") for _ in range(2)]
server.stop()
print(json.dumps({"received": received, "pages": pages, "jar": learner.client.client.cookiejar is not None}))
"""


def test_a_learner_sends_its_own_cookies_and_keeps_no_cookie_jar():
    result = subprocess.run(
        [sys.executable, "-c", COOKIES], cwd=ROOT, capture_output=True, text=True, check=True
    )
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["pages"] == ["<main>trang</main>"] * 2
    assert seen["received"] == ["sessionid=abc; csrftoken=mine"] * 2
    assert not seen["jar"]  # nothing parsed from the server's Set-Cookie, nothing worked out per request
