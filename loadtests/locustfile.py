"""Locust entry point. Run: locust -f loadtests/locustfile.py --host http://127.0.0.1:8000

For now one user class: an anonymous visitor who reads the public pages a newcomer sees.
The 40,000-learner suite (sessions, WebSockets, sandboxes, quizzes) builds on this file.
"""

from locust import HttpUser, between, task


class VisitorUser(HttpUser):
    """Someone who found the site and is deciding whether to register."""

    wait_time = between(1, 3)

    @task(3)
    def home(self) -> None:
        with self.client.get("/", name="home", catch_response=True) as response:
            if "Đăng ký" not in response.text:
                response.failure("home page without the register link")

    @task(2)
    def registration_form(self) -> None:
        with self.client.get("/dang-ky/", name="register form", catch_response=True) as response:
            if 'name="consent"' not in response.text:
                response.failure("registration form without the consent box")

    @task(1)
    def communes(self) -> None:
        with self.client.get("/dia-ban/1/xa.json", name="communes json", catch_response=True) as response:
            if not response.ok or not response.json().get("communes"):
                response.failure("no communes for Hà Nội")
