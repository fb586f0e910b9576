"""A small world with known numbers at every stage of the funnel, and officials to read it.

Learners (level: 0 registered, 1 enrolled (one lesson done, a failed quiz), 2 lessons completed,
3 final quiz passed, 4 certified), all in course A (two required lessons, a final quiz):

    place            group           age band   levels                 reg enr les pas cer
    Hà Nội / HK      citizen         60+        4 4 4 4 3 2             6   6   6   5   4
    Hà Nội / HK      public servant  18-34      4 2 1 0                 4   3   2   1   1
    Hà Nội / other   citizen         60+        4 4 4 4 4 1             6   6   5   5   5
    P2 / c2          citizen         35-49      4 1 0                   3   2   1   1   1
    P3 / c3          worker          18-34      4 4 4 4 4 2 1           7   7   6   5   5
                                                              total    26  24  20  17  16

Everything happened "recently" (within the last 30 days) except: all of P3, and the registration
(only) of the first Hà Nội / other learner, which are 400 days old. The three HK public servants
who enrolled also enrolled in course B (no quiz, no lesson done).
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from certificates.issuing import issue_certificate
from certificates.models import Certificate
from courses.choices import LearnerGroup
from learning.models import Commune, Enrollment, LessonProgress, Profile, Province, ReportScope, User
from learning.roles import FACILITATORS, MANAGERS
from quizzes.models import Attempt
from tests.courses.builders import build_course, lessons_of
from tests.quizzes.builders import make_quiz

OLD_DAYS = 400


@dataclass
class World:
    course_a: object
    course_b: object
    hanoi: Province
    p2: Province
    p3: Province
    hoan_kiem: Commune
    hanoi_other: Commune
    c2: Commune
    c3: Commune
    learners: dict[str, list[User]] = field(default_factory=dict)


_count = iter(range(1, 10_000))


def make_learner(commune: Commune, group: str, birth_year: int, name: str = "Người Học") -> User:
    """A learner with a profile (no password: these tests never sign learners in)."""
    n = next(_count)
    user = User.objects.create(username=f"bc{n}")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    Profile.objects.create(
        user=user,
        full_name=f"{name} {n}",
        birth_year=birth_year,
        province=commune.province,
        commune=commune,
        learner_group=group,
        consent_at=timezone.now(),
    )
    return user


def reach(learner: User, level: int, course, quiz, lessons, *, now: datetime.datetime) -> None:
    """Take the learner to ``level`` in ``course`` (see the module docstring)."""
    if level < 1:
        return
    enrollment = Enrollment.objects.create(learner=learner, course=course)
    LessonProgress.objects.create(learner=learner, lesson=lessons[0], course=course)
    if level == 1:
        Attempt.objects.create(
            quiz=quiz, learner=learner, number=1, attempts_allowed=0, pass_percent=60, state="finished",
            started_at=now, finished_at=now, points=1, max_points=5, percent=20, passed=False,
        )  # fmt: skip
        return
    LessonProgress.objects.create(learner=learner, lesson=lessons[1], course=course)
    if level < 3:
        return
    Attempt.objects.create(
        quiz=quiz, learner=learner, number=1, attempts_allowed=0, pass_percent=60, state="finished",
        started_at=now, finished_at=now, points=4, max_points=5, percent=80, passed=True,
    )  # fmt: skip
    if level < 4:
        return
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=now)
    issue_certificate(learner, course)


def backdate(learner: User, when: datetime.datetime, *, registration_only: bool = False) -> None:
    Profile.objects.filter(user=learner).update(created_at=when)
    if registration_only:
        return
    Enrollment.objects.filter(learner=learner).update(enrolled_at=when)
    Enrollment.objects.filter(learner=learner, completed_at__isnull=False).update(completed_at=when)
    LessonProgress.objects.filter(learner=learner).update(completed_at=when)
    Attempt.objects.filter(learner=learner).update(started_at=when, finished_at=when)
    Certificate.objects.filter(learner=learner).update(issued_at=when)


def build_world() -> World:
    now = timezone.now()
    year = timezone.localdate().year
    course_a = build_course(modules=1, lessons_per_module=2)
    quiz = make_quiz(pass_percent=60)
    course_a.final_quiz = quiz
    course_a.save_revision().publish()
    course_b = build_course(modules=1, lessons_per_module=1)
    lessons = lessons_of(course_a)

    hoan_kiem = Commune.objects.select_related("province").get(name="Phường Hoàn Kiếm")
    hanoi = hoan_kiem.province
    hanoi_other = Commune.objects.filter(province=hanoi).exclude(pk=hoan_kiem.pk).order_by("code").first()
    p2, p3 = Province.objects.exclude(pk=hanoi.pk).order_by("code")[:2]
    c2 = Commune.objects.filter(province=p2).order_by("code").first()
    c3 = Commune.objects.filter(province=p3).order_by("code").first()
    world = World(course_a, course_b, hanoi, p2, p3, hoan_kiem, hanoi_other, c2, c3)

    plan = {
        "hk_citizens": (hoan_kiem, LearnerGroup.CITIZEN, year - 65, [4, 4, 4, 4, 3, 2]),
        "hk_servants": (hoan_kiem, LearnerGroup.PUBLIC_SERVANT, year - 30, [4, 2, 1, 0]),
        "hanoi_other": (hanoi_other, LearnerGroup.CITIZEN, year - 70, [4, 4, 4, 4, 4, 1]),
        "p2": (c2, LearnerGroup.CITIZEN, year - 40, [4, 1, 0]),
        "p3": (c3, LearnerGroup.WORKER, year - 20, [4, 4, 4, 4, 4, 2, 1]),
    }
    for name, (commune, group, born, levels) in plan.items():
        world.learners[name] = []
        for level in levels:
            learner = make_learner(commune, group, born)
            reach(learner, level, course_a, quiz, lessons, now=now)
            world.learners[name].append(learner)
    for learner, level in zip(world.learners["hk_servants"], plan["hk_servants"][3], strict=True):
        if level >= 1:
            Enrollment.objects.create(learner=learner, course=course_b)
    old = now - datetime.timedelta(days=OLD_DAYS)
    for learner in world.learners["p3"]:
        backdate(learner, old)
    backdate(world.learners["hanoi_other"][0], old, registration_only=True)
    return world


@pytest.fixture
def world(db) -> World:
    return build_world()


def admin_client_for(client, user: User):
    """Signed in with the second factor, as after a real admin login."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def manager(db) -> User:
    user = User.objects.create(username="quanly", is_staff=False)
    user.groups.add(Group.objects.get(name=MANAGERS))
    return user


@pytest.fixture
def manager_client(client, manager):
    return admin_client_for(client, manager)


@pytest.fixture
def scoped_manager(db, world) -> User:
    user = User.objects.create(username="quanlyhanoi")
    user.groups.add(Group.objects.get(name=MANAGERS))
    ReportScope.objects.create(user=user, province=world.hanoi)
    return user


@pytest.fixture
def scoped_client(client, scoped_manager):
    return admin_client_for(client, scoped_manager)


@pytest.fixture
def facilitator(db) -> User:
    user = User.objects.create(username="hotro")
    user.groups.add(Group.objects.get(name=FACILITATORS))
    return user
