"""Facilitator classes (DESIGN §4a): join codes, joining, assisted registration, one-time
password-reset codes, what a facilitator sees of each member's progress, and the help they mark.

Every action that a facilitator takes checks here that the class is theirs, whatever the view
already did: a class's members and their data belong to its facilitator alone.
"""

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from courses.models import CoursePage
from courses.sandboxes.kinds import REGISTRY
from learning import progress
from learning.accounts.backends import find_user_by_login
from learning.accounts.forms import RegistrationForm
from learning.accounts.registration import register_learner
from learning.models import (
    AssistedMark,
    ClassMembership,
    Commune,
    Enrollment,
    LearningClass,
    LessonProgress,
    PasswordResetCode,
    Province,
    RunState,
    SandboxRun,
    StepRecord,
    User,
)
from learning.roles import is_facilitator
from quizzes.models import Attempt

# Crockford's base 32: no I, L, O or U, so nothing on a poster reads as something else.
JOIN_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
JOIN_CODE_LENGTH = 6  # 32**6 ≈ 10**9 codes: collisions are rare and retried
_JOIN_CODE_ATTEMPTS = 8
# What people type for the letters the alphabet leaves out.
_TYPED_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})

RESET_CODE_DIGITS = 8
RESET_CODE_LIFETIME = timedelta(hours=24)
RESET_CODE_MAX_FAILURES = 5
_RESET_CODE_SALT = "learning.classes.reset-code"


class ClassActionRefused(Exception):
    """An action refused for a reason the person should read (in Vietnamese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class JoinRefused(ClassActionRefused):
    pass


class ResetCodeRefused(ClassActionRefused):
    pass


def check_leads(user: User, learning_class: LearningClass) -> None:
    """Raise PermissionDenied unless ``user`` is a facilitator and this class is theirs."""
    if not (is_facilitator(user) and learning_class.facilitator_id == user.pk):
        raise PermissionDenied


# --- classes and join codes ---------------------------------------------------------------


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(raw: str) -> str | None:
    """The code as stored, from what someone typed ("7kq-m2p", "7KQ M2P"), or None if malformed."""
    code = "".join(ch for ch in (raw or "").upper() if ch not in " -.").translate(_TYPED_LOOKALIKES)
    if len(code) != JOIN_CODE_LENGTH or any(ch not in JOIN_CODE_ALPHABET for ch in code):
        return None
    return code


def format_join_code(code: str) -> str:
    """Grouped for reading aloud and typing: 7KQM2P → 7KQ-M2P."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def open_class(
    facilitator: User, *, name: str, place: str, province: Province, commune: Commune, meets_on: date
) -> LearningClass:
    """Open a class with a fresh join code; opening the same class again returns the first one."""
    if not is_facilitator(facilitator):
        raise PermissionDenied
    if commune.province_id != province.pk:
        raise ValueError("The commune is not in the province.")
    with transaction.atomic():
        # A double tap on "Mở lớp" (same name, place and day) must not open two classes. Two taps
        # sent together would both find none: one facilitator opens classes one at a time, by
        # locking their own row (PostgreSQL; SQLite's transactions already run one at a time).
        list(User.objects.select_for_update().filter(pk=facilitator.pk).values_list("pk"))
        existing = LearningClass.objects.filter(
            facilitator=facilitator, name=name, place=place, commune=commune, meets_on=meets_on
        ).first()
        if existing is not None:
            return existing
        for _attempt in range(_JOIN_CODE_ATTEMPTS):
            try:
                with transaction.atomic():
                    return LearningClass.objects.create(
                        facilitator=facilitator,
                        name=name,
                        place=place,
                        province=province,
                        commune=commune,
                        meets_on=meets_on,
                        join_code=new_join_code(),
                    )
            except IntegrityError:
                continue  # the code is taken: draw another
    raise RuntimeError("No free join code after several draws.")


def set_joining(facilitator: User, learning_class: LearningClass, is_open: bool) -> None:
    """Open or close the class to learners joining with its code."""
    check_leads(facilitator, learning_class)
    LearningClass.objects.filter(pk=learning_class.pk).update(join_open=is_open)
    learning_class.join_open = is_open


def get_class_for_code(raw_code: str) -> LearningClass:
    """The class a typed or scanned code names; JoinRefused says what is wrong with the code."""
    code = normalize_join_code(raw_code)
    if code is None:
        raise JoinRefused(
            _("Mã vào lớp gồm %(length)s chữ và số, ví dụ 7KQ-M2P. Hãy xem lại mã trên áp phích.")
            % {"length": JOIN_CODE_LENGTH}
        )
    learning_class = LearningClass.objects.filter(join_code=code).first()
    if learning_class is None:
        raise JoinRefused(
            _("Không có lớp nào có mã %(code)s. Hãy xem lại mã trên áp phích hoặc hỏi người hướng dẫn.")
            % {"code": format_join_code(code)}
        )
    return learning_class


def join_class(learner: User, raw_code: str) -> tuple[ClassMembership, bool]:
    """Join the class with this code; joining again returns the same membership (created=False)."""
    learning_class = get_class_for_code(raw_code)
    if learning_class.facilitator_id == learner.pk:
        raise JoinRefused(_("Bạn là người hướng dẫn của lớp này nên không vào lớp như một học viên."))
    existing = ClassMembership.objects.filter(learning_class=learning_class, learner=learner).first()
    if existing is not None:
        return existing, False
    if not learning_class.join_open:
        raise JoinRefused(
            _("Lớp “%(name)s” đã ngừng nhận học viên. Hãy hỏi người hướng dẫn của lớp.")
            % {"name": learning_class.name}
        )
    try:
        with transaction.atomic():
            return ClassMembership.objects.create(learning_class=learning_class, learner=learner), True
    except IntegrityError:  # a double tap: the other request joined
        return ClassMembership.objects.get(learning_class=learning_class, learner=learner), False


# --- assisted registration ------------------------------------------------------------------


@transaction.atomic
def register_for_class(facilitator: User, learning_class: LearningClass, form: RegistrationForm) -> User:
    """Register a learner the facilitator is helping, exactly as they would register themselves,
    and make them a member with the consent they gave in person: all of it, or nothing."""
    check_leads(facilitator, learning_class)
    if form.cleaned_data.get("consent") is not True:
        raise ValueError("Assisted registration needs the learner's recorded consent.")
    user = register_learner(form)
    ClassMembership.objects.create(
        learning_class=learning_class,
        learner=user,
        assisted_registration=True,
        consent_recorded_at=user.profile.consent_at,
    )
    return user


# --- one-time password-reset codes ----------------------------------------------------------


def may_receive_reset_code(learner: User) -> bool:
    """Only plain learners: a facilitator must never be able to take over an official's account."""
    return not (
        learner.is_staff
        or learner.is_superuser
        or is_facilitator(learner)
        or learner.has_perm("wagtailadmin.access_admin")
    )


def _reset_code_hash(learner_id: int, code: str) -> str:
    # Keyed with SECRET_KEY: 10**8 codes are too few for a plain or salted hash to resist a
    # leaked database, and an HMAC costs nothing per try.
    return salted_hmac(_RESET_CODE_SALT, f"{learner_id}:{code}", algorithm="sha256").hexdigest()


def issue_reset_code(facilitator: User, membership: ClassMembership) -> str:
    """A new 8-digit code for a member, shown once; only its HMAC is kept. Older unused codes die."""
    check_leads(facilitator, membership.learning_class)
    learner = membership.learner
    if not may_receive_reset_code(learner):
        raise ResetCodeRefused(
            _(
                "Tài khoản này có quyền hướng dẫn hoặc quản trị, nên không cấp mã đặt lại mật khẩu ở đây "
                "được. Hãy nhờ quản trị viên."
            )
        )
    code = f"{secrets.randbelow(10**RESET_CODE_DIGITS):0{RESET_CODE_DIGITS}d}"
    now = timezone.now()
    with transaction.atomic():
        PasswordResetCode.objects.filter(
            learner=learner, used_at__isnull=True, expires_at__gt=now, created_at__lt=now
        ).update(expires_at=now)
        PasswordResetCode.objects.create(
            learner=learner,
            issued_by=facilitator,
            code_hash=_reset_code_hash(learner.pk, code),
            expires_at=now + RESET_CODE_LIFETIME,
        )
    return code


def get_live_reset_code(learner: User, now: datetime | None = None) -> PasswordResetCode | None:
    """The learner's code that may still be used, if any."""
    now = now or timezone.now()
    # Only the newest code counts: issuing a new one kills the older ones.
    reset = PasswordResetCode.objects.filter(learner=learner).order_by("-created_at", "-pk").first()
    if (
        reset is None
        or reset.used_at is not None
        or reset.expires_at <= now
        or reset.failed_tries >= RESET_CODE_MAX_FAILURES
    ):
        return None
    return reset


def _refused() -> ResetCodeRefused:
    # One message for an unknown login, a wrong, used, expired or dead code: it reveals nothing.
    return ResetCodeRefused(
        _(
            "Tên đăng nhập hoặc mã đặt lại mật khẩu chưa đúng, hoặc mã đã hết hạn. Hãy kiểm tra lại, "
            "hoặc nhờ người hướng dẫn lớp cấp mã mới."
        )
    )


def reset_password_with_code(login: str, code: str, new_password: str) -> User:
    """Set a new password with a facilitator's code: once, before it expires, within five tries.

    Raises ResetCodeRefused (the same for every reason) or ValidationError for a weak password
    (the code is then kept for another try).
    """
    now = timezone.now()
    learner = find_user_by_login(login)
    if learner is None:
        raise _refused()
    reset = get_live_reset_code(learner, now)
    if reset is None:
        raise _refused()
    digits = "".join(ch for ch in code if ch.isdigit())
    if not constant_time_compare(_reset_code_hash(learner.pk, digits), reset.code_hash):
        PasswordResetCode.objects.filter(
            pk=reset.pk, used_at__isnull=True, failed_tries__lt=RESET_CODE_MAX_FAILURES
        ).update(failed_tries=F("failed_tries") + 1)
        raise _refused()
    password_validation.validate_password(new_password, learner)
    with transaction.atomic():
        # The conditional update is the single use: of two requests with the same code, only one
        # changes a row.
        claimed = PasswordResetCode.objects.filter(
            pk=reset.pk,
            used_at__isnull=True,
            expires_at__gt=now,
            failed_tries__lt=RESET_CODE_MAX_FAILURES,
        ).update(used_at=now)
        if not claimed:
            raise _refused()
        learner.set_password(new_password)
        learner.save(update_fields=["password"])
    return learner


# --- members' progress ----------------------------------------------------------------------


@dataclass(frozen=True)
class CourseStanding:
    course: CoursePage
    done: int
    total: int
    completed: bool
    current_lesson: str  # where the member is (or goes next), "" when there is none
    assisted: bool

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class StepStanding:
    run_id: int
    scenario_title: str
    step_index: int
    step_title: str
    mistakes: int
    hints_shown: int
    done: bool
    assisted: bool

    @property
    def step_number(self) -> int:
        return self.step_index + 1


@dataclass
class MemberProgress:
    membership: ClassMembership
    courses: list[CourseStanding] = field(default_factory=list)
    quizzes_passed: int = 0
    stuck_step: StepStanding | None = None
    last_active: datetime | None = None

    @property
    def learner(self) -> User:
        return self.membership.learner

    @property
    def current(self) -> CourseStanding | None:
        """The course the member works on now: the first unfinished one (most recently opened first)."""
        return next((standing for standing in self.courses if not standing.completed), None)


def step_title(run: SandboxRun, index: int) -> str:
    raw = run.steps[index] if 0 <= index < len(run.steps) else {}
    value = raw.get("value") if isinstance(raw.get("value"), dict) else {}
    kind = REGISTRY.get(raw.get("type", ""))
    return value.get("title") or (kind.label if kind else "")


def _step_standing(record: StepRecord, run: SandboxRun, assisted: set[tuple[int, int]]) -> StepStanding:
    return StepStanding(
        run_id=run.pk,
        scenario_title=run.scenario.title,
        step_index=record.step_index,
        step_title=step_title(run, record.step_index),
        mistakes=record.mistakes,
        hints_shown=record.hints_shown,
        done=record.completed_at is not None,
        assisted=(run.pk, record.step_index) in assisted,
    )


def get_class_progress(learning_class: LearningClass) -> list[MemberProgress]:
    """Every member's progress, in a fixed number of queries whatever the class size."""
    return _progress_of(
        list(
            learning_class.memberships.select_related("learner__profile").order_by(
                "learner__profile__full_name", "learner__username"
            )
        )
    )


def get_member_progress(membership: ClassMembership) -> MemberProgress:
    return _progress_of([membership])[0]


def _progress_of(memberships: list[ClassMembership]) -> list[MemberProgress]:
    learner_ids = [membership.learner_id for membership in memberships]
    enrollments: dict[int, list[Enrollment]] = defaultdict(list)
    for enrollment in (
        Enrollment.objects.filter(learner_id__in=learner_ids)
        .select_related("course")
        .order_by(F("last_opened_at").desc(nulls_last=True), "-enrolled_at")
    ):
        enrollments[enrollment.learner_id].append(enrollment)
    completed: dict[tuple[int, int], set[int]] = defaultdict(set)
    for learner_id, course_id, lesson_id in LessonProgress.objects.filter(
        learner_id__in=learner_ids
    ).values_list("learner_id", "course_id", "lesson_id"):
        completed[learner_id, course_id].add(lesson_id)
    assisted_courses = set(
        AssistedMark.objects.filter(learner_id__in=learner_ids, course__isnull=False).values_list(
            "learner_id", "course_id"
        )
    )
    assisted_steps = set(
        AssistedMark.objects.filter(learner_id__in=learner_ids, run__isnull=False).values_list(
            "run_id", "step_index"
        )
    )
    passed: dict[int, set[int]] = defaultdict(set)
    for learner_id, quiz_id in Attempt.objects.filter(learner_id__in=learner_ids, passed=True).values_list(
        "learner_id", "quiz_id"
    ):
        passed[learner_id].add(quiz_id)
    stuck: dict[int, StepRecord] = {}
    for record in (
        StepRecord.objects.filter(run__learner_id__in=learner_ids, mistakes__gt=0)
        .annotate(member_id=F("run__learner_id"))
        .order_by("-mistakes", "-first_seen_at")
    ):
        stuck.setdefault(record.member_id, record)
    # Only the runs of those steps, and only what names the step: runs carry heavy JSON.
    stuck_runs = SandboxRun.objects.select_related("scenario").only("learner_id", "steps", "scenario__title")
    runs = {run.pk: run for run in stuck_runs.filter(pk__in={record.run_id for record in stuck.values()})}

    outlines: dict[int, progress.CourseOutline] = {}
    members = []
    for membership in memberships:
        member = MemberProgress(membership, quizzes_passed=len(passed[membership.learner_id]))
        for enrollment in enrollments[membership.learner_id]:
            course = enrollment.course
            if course.pk not in outlines:
                outlines[course.pk] = progress.get_outline(course)
            outline = outlines[course.pk]
            done = completed[membership.learner_id, course.pk]
            resume = progress.next_lesson_to_study(course, outline, done, enrollment)
            member.courses.append(
                CourseStanding(
                    course=course,
                    done=len(done & {lesson.id for lesson in outline.lessons}),
                    total=len(outline.lessons),
                    completed=enrollment.completed_at is not None,
                    current_lesson=resume.title if resume and not enrollment.completed_at else "",
                    assisted=(membership.learner_id, course.pk) in assisted_courses,
                )
            )
            opened = enrollment.last_opened_at or enrollment.enrolled_at
            if member.last_active is None or opened > member.last_active:
                member.last_active = opened
        record = stuck.get(membership.learner_id)
        if record is not None:
            member.stuck_step = _step_standing(record, runs[record.run_id], assisted_steps)
        members.append(member)
    return members


@dataclass
class RunSteps:
    run: SandboxRun
    steps: list[StepStanding]


def get_practice_runs(membership: ClassMembership, limit: int = 5) -> list[RunSteps]:
    """The member's latest practice runs with the steps they reached, for marking help."""
    runs = list(
        SandboxRun.objects.filter(learner_id=membership.learner_id)
        .exclude(state=RunState.ABANDONED)
        .select_related("scenario")
        .order_by("-updated_at", "-pk")[:limit]
    )
    records: dict[int, list[StepRecord]] = defaultdict(list)
    for record in StepRecord.objects.filter(run__in=runs).order_by("step_index"):
        records[record.run_id].append(record)
    assisted = set(AssistedMark.objects.filter(run__in=runs).values_list("run_id", "step_index"))
    return [
        RunSteps(run, [_step_standing(record, run, assisted) for record in records[run.pk]]) for run in runs
    ]


# --- help given -----------------------------------------------------------------------------


def mark_course_assisted(
    facilitator: User, membership: ClassMembership, course: CoursePage
) -> tuple[AssistedMark, bool]:
    """Record that the member did this course with help; marking again changes nothing."""
    check_leads(facilitator, membership.learning_class)
    if not Enrollment.objects.filter(learner_id=membership.learner_id, course=course).exists():
        raise ClassActionRefused(_("Học viên chưa ghi danh khoá học này."))
    existing = AssistedMark.objects.filter(learner_id=membership.learner_id, course=course).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            mark = AssistedMark.objects.create(
                learner_id=membership.learner_id,
                learning_class=membership.learning_class,
                course=course,
                marked_by=facilitator,
            )
            return mark, True
    except IntegrityError:
        return AssistedMark.objects.get(learner_id=membership.learner_id, course=course), False


def mark_step_assisted(
    facilitator: User, membership: ClassMembership, run: SandboxRun, step_index: int
) -> tuple[AssistedMark, bool]:
    """Record that the member did one sandbox step with help; marking again changes nothing."""
    check_leads(facilitator, membership.learning_class)
    if run.learner_id != membership.learner_id or not (0 <= step_index < len(run.steps)):
        raise ClassActionRefused(_("Không tìm thấy bước thực hành này của học viên."))
    existing = AssistedMark.objects.filter(run=run, step_index=step_index).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            mark = AssistedMark.objects.create(
                learner_id=membership.learner_id,
                learning_class=membership.learning_class,
                run=run,
                step_index=step_index,
                marked_by=facilitator,
            )
            return mark, True
    except IntegrityError:
        return AssistedMark.objects.get(run=run, step_index=step_index), False
