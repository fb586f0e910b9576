"""Sign-in at a realistic rate, measured apart from the learners' steady state.

The learners of loadtests/learners.py start from sessions made in bulk, so the steady state
never pays for a password check. Here it is paid in full: each simulated person opens the
sign-in page and posts a load-test account's username and password, which the server checks
against its Argon2 hash (the production hasher), then drops the session and does it again
LOGIN_PACING seconds later. The harness starts as many of them as the rate in
loadtests/model.py needs (LOADTEST_LEARNERS learners at LOADTEST_SPEED).
"""

import os
import random
import re
import sys
import time
from pathlib import Path

from locust import HttpUser, constant_pacing, task

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loadtests import model

PREFIX = "tai"  # as learning/management/commands/seed_load_learners.py names its accounts
PASSWORD = "tai-thu-2025"  # noqa: S105 - the load-test accounts' published password
LEARNERS = int(os.environ.get("LOADTEST_LEARNERS", "300"))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SignInUser(HttpUser):
    wait_time = constant_pacing(model.LOGIN_PACING)

    def on_start(self) -> None:
        # People do not sign in on the same second: each starts somewhere in the first pacing
        # interval and keeps that place (started together, every sign-in came in one burst).
        time.sleep(random.uniform(0, model.LOGIN_PACING))

    @task
    def sign_in(self) -> None:
        self.client.cookies.clear()  # a phone that signed out
        with self.client.get("/dang-nhap/", name="sign-in page", catch_response=True) as page:
            token = TOKEN.search(page.text or "")
            if page.status_code != 200 or token is None:
                page.failure(f"{page.status_code}, no form")
                return
        username = f"{PREFIX}{random.randint(1, LEARNERS):06d}"
        with self.client.post(
            "/dang-nhap/",
            data={"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD},
            headers={"Referer": f"{self.host}/dang-nhap/"},
            allow_redirects=False,
            name="sign in",
            catch_response=True,
        ) as answer:
            if answer.status_code != 302 or not answer.headers.get("Location", "").endswith("/hoc-cua-toi/"):
                answer.failure(f"{answer.status_code}, not signed in")
