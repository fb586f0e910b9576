"""Attempts: what was drawn for a learner, what they answered, and how it was graded.

Each attempt keeps a snapshot of its questions (text, options in the order shown, the key), so
editing the bank later never changes an attempt in progress or a grade already given.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from quizzes.grading import Key, Kind


class AttemptState(models.TextChoices):
    OPEN = "open", _("Đang làm")
    FINISHED = "finished", _("Đã nộp")


class FinishedBy(models.TextChoices):
    LEARNER = "learner", _("Người học nộp")
    TIMEOUT = "timeout", _("Hết giờ, tự nộp")


class Attempt(models.Model):
    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.PROTECT, related_name="attempts")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("lần thứ"))
    # The limit in force when the attempt started (the quiz's, plus any extra attempts granted);
    # a check constraint keeps every attempt number within it. 0 means unlimited.
    attempts_allowed = models.PositiveSmallIntegerField()
    pass_percent = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=10, choices=AttemptState.choices, default=AttemptState.OPEN)
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    deadline = models.DateTimeField(_("hết giờ lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    finished_by = models.CharField(max_length=10, choices=FinishedBy.choices, blank=True)
    submit_key = models.CharField(max_length=64, blank=True)
    points = models.FloatField(_("điểm"), null=True, blank=True)
    max_points = models.PositiveSmallIntegerField(default=0)
    percent = models.FloatField(_("phần trăm"), null=True, blank=True)
    passed = models.BooleanField(_("đạt"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt làm bài")
        verbose_name_plural = _("lượt làm bài")
        constraints = [
            models.UniqueConstraint(fields=["learner", "quiz", "number"], name="attempt_number_once"),
            models.UniqueConstraint(
                fields=["learner", "quiz"], condition=Q(state="open"), name="attempt_one_open"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & (Q(attempts_allowed=0) | Q(number__lte=F("attempts_allowed"))),
                name="attempt_within_limit",
            ),
            models.CheckConstraint(
                condition=Q(state="open", finished_at__isnull=True)
                | Q(state="finished", finished_at__isnull=False, passed__isnull=False),
                name="attempt_finished_is_graded",
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"], name="attempt_open_deadline_idx")]

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.learner_id}#{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state == AttemptState.OPEN


class AttemptQuestion(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()  # 1-based, as shown
    question = models.ForeignKey(
        "quizzes.Question", on_delete=models.SET_NULL, null=True, related_name="attempt_questions"
    )
    kind = models.CharField(max_length=16)
    text = models.TextField()
    explanation = models.TextField(blank=True)
    # In the order shown to this learner: [{"id", "text", "image_id", "explanation"}, ...].
    # The browser only ever sees positions in this list, never option ids.
    options = models.JSONField()
    correct_ids = models.JSONField()  # the key; for ordering, the right order
    answer = models.JSONField(default=list)  # option ids, canonical (see grading.check_answer)
    revision = models.PositiveIntegerField(default=0)  # bumped on every save; stale saves are refused
    answered_at = models.DateTimeField(null=True, blank=True)
    points = models.FloatField(null=True, blank=True)
    correct = models.BooleanField(null=True, blank=True)  # full marks

    class Meta:
        verbose_name = _("câu trong lượt làm bài")
        verbose_name_plural = _("câu trong lượt làm bài")
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_question_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.position}"

    @property
    def key(self) -> Key:
        return Key(
            kind=Kind(self.kind),
            option_ids=tuple(option["id"] for option in self.options),
            correct_ids=tuple(self.correct_ids),
        )

    @property
    def option_ids(self) -> list[int]:
        return [option["id"] for option in self.options]

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)


class Accommodation(models.Model):
    """What an approver granted one learner for one quiz (WCAG 2.2.1: timing adjustable)."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người học"),
        on_delete=models.CASCADE,
        related_name="quiz_accommodations",
    )
    quiz = models.ForeignKey(
        "quizzes.Quiz",
        verbose_name=_("bài kiểm tra"),
        on_delete=models.CASCADE,
        related_name="accommodations",
    )
    extra_minutes = models.PositiveSmallIntegerField(_("thêm thời gian (phút)"), default=0)
    no_time_limit = models.BooleanField(_("không giới hạn thời gian"), default=False)
    extra_attempts = models.PositiveSmallIntegerField(_("thêm lượt làm bài"), default=0)
    reason = models.CharField(_("lý do"), max_length=250)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cho phép"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("cho phép lúc"), auto_now=True)

    class Meta:
        verbose_name = _("điều chỉnh cho người học")
        verbose_name_plural = _("điều chỉnh cho người học")
        constraints = [
            models.UniqueConstraint(fields=["learner", "quiz"], name="accommodation_once_per_quiz")
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.quiz}"
