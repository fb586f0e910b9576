"""Seed learners for a load test, with signed-in sessions created in bulk.

    manage.py seed_load_learners --learners 40000 --sessions var/loadtest/sessions.txt

Learners are named ``tai000001`` …, spread over every province (and a real commune of each),
all four learner groups and a spread of birth years. They share ONE password hash computed once
(Argon2 stays the production hasher; hashing 40,000 passwords would take the better part of an
hour and measures nothing a learner does), and each gets a fresh session written in bulk where
a sign-in writes it (the database and, with cached sessions, the cache), so the test starts from
signed-in learners (login is to be measured separately, at a realistic rate). Running it again reuses the learners and writes new sessions. It refuses to run with
production settings.
"""

import itertools
import json
import random
import sys
from datetime import timedelta
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from courses.choices import LearnerGroup
from learning.models import Commune, Profile, User

PREFIX = "tai"
PASSWORD = "tai-thu-2025"  # noqa: S105 - printed in the load-test report; these accounts exist only for it
BATCH = 2000


class Command(BaseCommand):
    help = "Tạo người học và phiên đăng nhập hàng loạt cho bài kiểm tra tải."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--learners", type=int, required=True)
        parser.add_argument("--sessions", type=Path, required=True, help="file to write session keys to")
        parser.add_argument("--plan", type=Path, help="file to write what the learners will use (JSON)")

    def handle(self, *args, learners: int, sessions: Path, plan: Path | None = None, **options) -> None:
        if not settings.DEMO_CONTENT_ALLOWED:
            raise CommandError("Load-test learners have a known password; refused in production settings.")
        users = self.ensure_learners(learners)
        keys = self.create_sessions(users)
        sessions.parent.mkdir(parents=True, exist_ok=True)
        sessions.write_text("\n".join(keys) + "\n")
        self.stdout.write(f"{len(keys)} phiên đăng nhập → {sessions}")
        if plan is not None:
            plan.parent.mkdir(parents=True, exist_ok=True)
            plan.write_text(json.dumps(load_test_plan(), ensure_ascii=False, indent=2))
            self.stdout.write(f"Kế hoạch → {plan}")

    def progress(self, label: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def ensure_learners(self, count: int) -> list[tuple[int, str]]:
        existing = dict(User.objects.filter(username__startswith=PREFIX).values_list("username", "pk"))
        wanted = [f"{PREFIX}{n:06d}" for n in range(1, count + 1)]
        missing = [name for name in wanted if name not in existing]
        if missing:
            password = make_password(PASSWORD)  # once: see the module's note
            rng = random.Random(2025)  # noqa: S311 - reproducible spread, not a secret
            communes = list(Commune.objects.order_by("code").values_list("pk", "province_id"))
            by_province: dict[int, list[int]] = {}
            for commune, province in communes:
                by_province.setdefault(province, []).append(commune)
            places = itertools.cycle(sorted(by_province.items()))
            groups = itertools.cycle([group for group, _label in LearnerGroup.choices])
            now = timezone.now()
            for start in range(0, len(missing), BATCH):
                names = missing[start : start + BATCH]
                with transaction.atomic():
                    made = User.objects.bulk_create(
                        [User(username=name, password=password) for name in names]
                    )
                    profiles = []
                    for user in made:
                        province, province_communes = next(places)
                        profiles.append(
                            Profile(
                                user=user,
                                full_name=f"Người học thử {user.username[len(PREFIX) :]}",
                                birth_year=rng.randint(1950, 2005),
                                province_id=province,
                                commune_id=rng.choice(province_communes),
                                learner_group=next(groups),
                                consent_at=now,
                            )
                        )
                    Profile.objects.bulk_create(profiles)
                self.progress("Người học", start + len(names), len(missing))
            existing = dict(User.objects.filter(username__startswith=PREFIX).values_list("username", "pk"))
        return [(existing[name], name) for name in wanted]

    def create_sessions(self, users: list[tuple[int, str]]) -> list[str]:
        store = import_module(settings.SESSION_ENGINE).SessionStore
        backend = settings.AUTHENTICATION_BACKENDS[0]
        hashes = dict(User.objects.filter(pk__in=[pk for pk, _name in users]).values_list("pk", "password"))
        expire = timezone.now() + timedelta(days=2)
        keys, cached = [], {}
        for start in range(0, len(users), BATCH):
            batch = users[start : start + BATCH]
            rows = []
            for pk, _name in batch:
                user = User(pk=pk, password=hashes[pk])
                data = {
                    "_auth_user_id": str(pk),
                    "_auth_user_backend": backend,
                    "_auth_user_hash": user.get_session_auth_hash(),
                }
                key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
                rows.append(Session(session_key=key, session_data=store().encode(data), expire_date=expire))
                cached[getattr(store, "cache_key_prefix", "") + key] = data
                keys.append(key)
            Session.objects.bulk_create(rows)
            if hasattr(store, "cache_key_prefix"):  # cached_db: a sign-in's save writes the cache too
                caches[settings.SESSION_CACHE_ALIAS].set_many(
                    cached, int((expire - timezone.now()).total_seconds())
                )
            cached.clear()
            self.progress("Phiên đăng nhập", start + len(batch), len(users))
        return keys


PRACTICE_QUIZ = "Ôn tập an toàn trên mạng (luyện tập)"
PRACTICE_SCENARIO = "nop-ho-so-va-theo-doi"


def load_test_plan() -> dict:
    """What load-test learners use: the demo courses, a practice quiz they may take again and
    again, and a short practice dossier whose status changes are pushed to them. The quiz and the
    scenario are made here as an official would make them in the admin. (Certificates to verify
    are added by the harness: learning does not look into certificates.)"""
    from courses.models import CoursePage, Scenario
    from quizzes.models import Quiz, QuizDraw

    quiz = Quiz.objects.filter(title=PRACTICE_QUIZ).first()
    if quiz is None:
        quiz = Quiz(title=PRACTICE_QUIZ, attempts_allowed=0, wait_minutes=0, pass_percent=70)
        quiz.draws = [QuizDraw(tag="an-toan-khong-gian-mang", count=5)]
        quiz.save()
    Scenario.objects.get_or_create(
        slug=PRACTICE_SCENARIO,
        defaults={
            "title": "Nộp một hồ sơ và theo dõi trạng thái",
            "summary": "Nộp hồ sơ thực hành rồi theo dõi khi cơ quan tiếp nhận và xử lý.",
            "look": "portal",
            "steps": [
                ("declare_submit", {"agency_code": "H15.50"}),
                (
                    "track_status",
                    {
                        "timeline": [
                            {"status": "Đã tiếp nhận", "after_seconds": 10, "note": ""},
                            {"status": "Đang xử lý", "after_seconds": 20, "note": ""},
                            {"status": "Đã trả kết quả", "after_seconds": 30, "note": ""},
                        ]
                    },
                ),
            ],
        },
    )
    return {
        "courses": [course.url for course in CoursePage.objects.live().order_by("path")],
        "quiz": quiz.pk,
        "scenario": PRACTICE_SCENARIO,
    }
