"""Synthetic learners for the demo, so the officials' reports show something real.

A few hundred made-up people in a dozen provinces (real Province/Commune rows), at every stage of
the funnel: enrolled, part-way, lessons done, final quiz passed or failed, course completed; some
sandbox runs (with their step records and dossiers) and some completions marked as assisted in a
facilitator's class. Generated from a fixed seed, with bulk inserts and one shared unusable
password; loading again changes nothing. Completions are announced with the ordinary
``course_completed`` signal, so certificates are issued the way they always are.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from courses.choices import LearnerGroup
from courses.models import CoursePage, Scenario
from courses.sandboxes.kinds import REGISTRY
from courses.sandboxes.personas import FAMILY_NAMES, GIVEN_NAMES, MIDDLE_NAMES, make_persona
from learning.classes import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from learning.models import (
    AssistedMark,
    ClassMembership,
    Commune,
    Dossier,
    Enrollment,
    LearningClass,
    LessonProgress,
    Profile,
    Province,
    RunState,
    SandboxRun,
    StepRecord,
    User,
)
from learning.models.accounts import CONSENT_VERSION
from learning.progress import get_outline
from learning.roles import FACILITATORS
from learning.signals import course_completed
from quizzes.models import Attempt

PREFIX = "demo.hocvien."
FACILITATOR = "demo.hotro"
COUNT = 400
SEED = 757  # Decision 757/QĐ-BGDĐT
PROVINCES = 12
DAYS = 300  # registrations spread over the last ten months
BATCH = 500

GROUPS = [
    (LearnerGroup.CITIZEN, 55),
    (LearnerGroup.PUBLIC_SERVANT, 20),
    (LearnerGroup.WORKER, 15),
    (LearnerGroup.STUDENT, 10),
]
# How far a learner gets in one course: (level, weight). 1 enrolled, 2 some lessons, 3 every
# lesson, 4 every lesson and a failed quiz, 5 passed (completed).
LEVELS = [(1, 15), (2, 25), (3, 12), (4, 8), (5, 40)]


@dataclass
class DemoLearners:
    created: bool
    learners: int
    provinces: int
    enrolments: int
    completions: int
    runs: int
    assisted: int


def load_demo_learners(*, count: int = COUNT, seed: int = SEED) -> DemoLearners:
    """Create the demo learners once; a second call only counts them."""
    if User.objects.filter(username__startswith=PREFIX).exists():
        return _summary(created=False)
    courses = list(CoursePage.objects.live().select_related("final_quiz").order_by("path"))
    if not courses:
        return _summary(created=False)
    with transaction.atomic():
        rng = random.Random(seed)  # noqa: S311 - made-up people, reproducible on purpose
        completed = _Generator(rng, timezone.now(), courses).run(count)
    # After the commit, as in a real completion: certificates listen to this signal.
    for learner, course in completed:
        course_completed.send(sender=Enrollment, learner=learner, course=course)
    return _summary(created=True)


def _summary(*, created: bool) -> DemoLearners:
    learners = User.objects.filter(username__startswith=PREFIX)
    return DemoLearners(
        created=created,
        learners=learners.count(),
        provinces=Profile.objects.filter(user__in=learners).values("province").distinct().count(),
        enrolments=Enrollment.objects.filter(learner__in=learners).count(),
        completions=Enrollment.objects.filter(learner__in=learners, completed_at__isnull=False).count(),
        runs=SandboxRun.objects.filter(learner__in=learners).count(),
        assisted=AssistedMark.objects.filter(learner__in=learners).count(),
    )


def _weighted(rng: random.Random, choices: list[tuple]) -> object:
    return rng.choices([value for value, _w in choices], weights=[w for _v, w in choices])[0]


class _Generator:
    def __init__(self, rng: random.Random, now: datetime.datetime, courses: list[CoursePage]):
        self.rng, self.now, self.courses = rng, now, courses
        self.outlines = {course.pk: get_outline(course) for course in courses}

    def later(self, moment: datetime.datetime, max_days: float) -> datetime.datetime:
        return min(moment + datetime.timedelta(days=self.rng.uniform(0.02, max_days)), self.now)

    def run(self, count: int) -> list[tuple[User, CoursePage]]:
        places = self.places()
        password = make_password(None)  # one unusable hash for everyone: nobody signs in as them
        users, profiles, joined = [], [], []
        for number in range(1, count + 1):
            commune = _weighted(self.rng, places)
            sex = self.rng.choice(["nam", "nu"])
            name = (
                f"{self.rng.choice(FAMILY_NAMES)} {self.rng.choice(MIDDLE_NAMES[sex])} "
                f"{self.rng.choice(GIVEN_NAMES[sex])}"
            )
            moment = self.now - datetime.timedelta(days=self.rng.uniform(0, DAYS) ** 1.1 / DAYS**0.1)
            # Older people are the movement's priority: about half are 50 or over.
            age = int(self.rng.triangular(16, 82, 58))
            users.append(User(username=f"{PREFIX}{number:04d}", password=password, date_joined=moment))
            profiles.append(
                Profile(
                    full_name=name,
                    birth_year=self.now.year - age,
                    gender="nu" if sex == "nu" else "nam",
                    province_id=commune.province_id,
                    commune=commune,
                    learner_group=_weighted(self.rng, GROUPS),
                    consent_at=moment,
                    consent_version=CONSENT_VERSION,
                )
            )
            joined.append(moment)
        users = User.objects.bulk_create(users, batch_size=BATCH)
        for user, profile in zip(users, profiles, strict=True):
            profile.user = user
        profiles = Profile.objects.bulk_create(profiles, batch_size=BATCH)
        for profile, moment in zip(profiles, joined, strict=True):
            profile.created_at = moment  # auto_now_add wrote "now"
        Profile.objects.bulk_update(profiles, ["created_at"], batch_size=BATCH)
        completed = self.studies(users, joined)
        self.practice(users, profiles, joined)
        self.assist(profiles, completed)
        return completed

    def places(self) -> list[tuple[Commune, float]]:
        """A dozen provinces (the two largest cities always), a few communes in each, uneven sizes."""
        codes = list(Province.objects.order_by("code").values_list("code", flat=True))
        chosen = [code for code in (1, 79) if code in codes]
        chosen += self.rng.sample([code for code in codes if code not in chosen], PROVINCES - len(chosen))
        communes: dict[int, list[Commune]] = {}
        for commune in Commune.objects.filter(province_id__in=chosen).order_by("code"):
            communes.setdefault(commune.province_id, []).append(commune)
        places = []
        for rank, code in enumerate(chosen):
            size = 6.0 if rank < 2 else self.rng.uniform(0.5, 3.0)
            picked = self.rng.sample(communes[code], min(len(communes[code]), self.rng.randint(2, 5)))
            places += [(commune, size * self.rng.uniform(0.2, 1.0)) for commune in picked]
        return places

    def studies(self, users: list[User], joined: list[datetime.datetime]) -> list[tuple[User, CoursePage]]:
        enrolments, progress, attempts, completed = [], [], [], []
        for user, start in zip(users, joined, strict=True):
            taken = self.rng.sample(
                self.courses, min(len(self.courses), _weighted(self.rng, [(0, 8), (1, 55), (2, 27), (3, 10)]))
            )
            for course in taken:
                level = _weighted(self.rng, LEVELS)
                enrolled = self.later(start, 20)
                lessons = self.outlines[course.pk].lessons
                done = (
                    lessons
                    if level >= 3
                    else lessons[: self.rng.randint(0, max(len(lessons) - 1, 0))]
                    if level == 2
                    else []
                )
                moment = enrolled
                for lesson in done:
                    moment = self.later(moment, 4)
                    progress.append(
                        (LessonProgress(learner=user, lesson_id=lesson.id, course=course), moment)
                    )
                finished = None
                quiz = course.final_quiz
                if quiz is not None and level >= 4:
                    number = 1
                    if level == 4 or self.rng.random() < 0.3:
                        moment = self.later(moment, 3)
                        attempts.append(self.attempt(user, quiz, number, moment, passed=False))
                        number += 1
                    if level == 5 and (quiz.attempts_allowed == 0 or number <= quiz.attempts_allowed):
                        moment = self.later(moment, 3)
                        attempts.append(self.attempt(user, quiz, number, moment, passed=True))
                        finished = moment
                elif quiz is None and level >= 3:  # no quiz: every lesson done completes the course
                    finished = moment
                enrolments.append(
                    (
                        Enrollment(learner=user, course=course, completed_at=finished, last_opened_at=moment),
                        enrolled,
                    )
                )
                if finished is not None:
                    completed.append((user, course))
        self.insert(enrolments, "enrolled_at")
        self.insert(progress, "completed_at")
        Attempt.objects.bulk_create(attempts, batch_size=BATCH)
        return completed

    def attempt(self, user: User, quiz, number: int, moment: datetime.datetime, *, passed: bool) -> Attempt:
        percent = (
            self.rng.randint(quiz.pass_percent, 100)
            if passed
            else self.rng.randint(20, quiz.pass_percent - 1)
        )
        return Attempt(
            quiz=quiz, learner=user, number=number, attempts_allowed=quiz.attempts_allowed,
            pass_percent=quiz.pass_percent, state="finished", started_at=moment - datetime.timedelta(minutes=12),
            finished_at=moment, finished_by="learner", points=percent / 10, max_points=10, percent=percent,
            passed=passed,
        )  # fmt: skip

    @staticmethod
    def insert(rows: list[tuple], field: str) -> None:
        """Bulk insert, then put back the historical time that ``auto_now_add`` overwrote."""
        objects = (
            type(rows[0][0]).objects.bulk_create([row for row, _when in rows], batch_size=BATCH)
            if rows
            else []
        )
        for item, (_row, when) in zip(objects, rows, strict=True):
            setattr(item, field, when)
        if objects:
            type(objects[0]).objects.bulk_update(objects, [field], batch_size=BATCH)

    def practice(self, users: list[User], profiles: list[Profile], joined: list[datetime.datetime]) -> None:
        """A quarter of the learners practise one to three scenarios."""
        scenarios = list(Scenario.objects.order_by("slug"))
        if not scenarios:
            return
        runs, details = [], []
        names = {
            commune.pk: commune
            for commune in Commune.objects.filter(pk__in={p.commune_id for p in profiles}).select_related(
                "province"
            )
        }
        for user, profile, start in zip(users, profiles, joined, strict=True):
            if self.rng.random() > 0.25:
                continue
            commune = names[profile.commune_id]
            for scenario in self.rng.sample(scenarios, min(len(scenarios), self.rng.randint(1, 3))):
                steps = list(scenario.steps.raw_data)
                done = self.rng.random() < 0.7
                reached = len(steps) if done else self.rng.randint(0, max(len(steps) - 1, 0))
                began = self.later(start, 30)
                persona = make_persona(
                    self.rng, province=(commune.province_id, commune.province.name),
                    commune=(commune.pk, commune.name), level=scenario.persona_level,
                )  # fmt: skip
                mistakes = [self.rng.choice([0, 0, 0, 1, 2]) for _ in range(min(reached + 1, len(steps)))]
                hints = [min(m, self.rng.choice([0, 1])) for m in mistakes]
                finished = self.later(began, 0.05) if done else None
                runs.append(
                    (
                        SandboxRun(
                            learner=user, scenario=scenario, persona=persona.as_dict(), steps=steps,
                            step_index=reached, state=RunState.COMPLETED if done else RunState.IN_PROGRESS,
                            mistakes=sum(mistakes), hints_shown=sum(hints), completed_at=finished,
                        ),
                        began,
                    )
                )  # fmt: skip
                details.append((steps, mistakes, hints, began, finished))
        objects = SandboxRun.objects.bulk_create([run for run, _when in runs], batch_size=BATCH)
        for run, (_row, began) in zip(objects, runs, strict=True):
            run.started_at = began
        SandboxRun.objects.bulk_update(objects, ["started_at"], batch_size=BATCH)
        records, dossiers = [], []
        for run, (steps, mistakes, hints, began, finished) in zip(objects, details, strict=True):
            for index, raw in enumerate(steps[: len(mistakes)]):
                complete = index < run.step_index
                records.append(
                    StepRecord(
                        run=run, step_index=index, kind=raw["type"], first_seen_at=began,
                        completed_at=(finished or began) if complete else None,
                        mistakes=mistakes[index], hints_shown=hints[index],
                    )
                )  # fmt: skip
                kind = REGISTRY.get(raw["type"])
                if complete and kind is not None and kind.creates_dossier and raw["value"].get("agency_code"):
                    dossiers.append(
                        Dossier(
                            run=run, agency_code=raw["value"]["agency_code"], received_on=timezone.localdate(began),
                            sequence=index + 1, submitted_at=began,
                            supplemented_at=(finished or began) if any(s["type"] == "supplement" for s in steps) and finished else None,
                        )
                    )  # fmt: skip
        StepRecord.objects.bulk_create(records, batch_size=BATCH)
        Dossier.objects.bulk_create(dossiers, batch_size=BATCH)

    def assist(self, profiles: list[Profile], completed: list[tuple[User, CoursePage]]) -> None:
        """A facilitator's classes in the busiest communes; a third of their members' completions
        were done with help."""
        facilitator, _created = User.objects.get_or_create(
            username=FACILITATOR, defaults={"password": make_password(None)}
        )
        facilitator.groups.add(Group.objects.get_or_create(name=FACILITATORS)[0])
        by_commune: dict[int, list[Profile]] = {}
        for profile in profiles:
            by_commune.setdefault(profile.commune_id, []).append(profile)
        busiest = sorted(by_commune, key=lambda code: (-len(by_commune[code]), code))[:6]
        classes = {}
        for code in busiest:
            sample = by_commune[code][0]
            classes[code] = LearningClass.objects.create(
                facilitator=facilitator, name="Lớp Bình dân học vụ số (mẫu)", place="Nhà văn hoá (mẫu)",
                province_id=sample.province_id, commune_id=code,
                meets_on=timezone.localdate(self.now) - datetime.timedelta(days=self.rng.randint(20, 200)),
                join_code="".join(self.rng.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH)),
            )  # fmt: skip
        members = {
            profile.user_id: classes[profile.commune_id]
            for profile in profiles
            if profile.commune_id in classes
        }
        memberships = []
        for user_id, learning_class in members.items():
            assisted = self.rng.random() < 0.3
            memberships.append(
                ClassMembership(
                    learning_class=learning_class, learner_id=user_id, assisted_registration=assisted,
                    consent_recorded_at=self.now if assisted else None,
                )
            )  # fmt: skip
        ClassMembership.objects.bulk_create(memberships, batch_size=BATCH)
        marks = [
            AssistedMark(learner=user, learning_class=members[user.pk], course=course, marked_by=facilitator)
            for user, course in completed
            if user.pk in members and self.rng.random() < 0.45
        ]
        AssistedMark.objects.bulk_create(marks, batch_size=BATCH)
