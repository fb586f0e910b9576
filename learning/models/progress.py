"""Where each learner stands: enrolments, completed lessons, checkpoint answers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enrollment(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="enrollments")
    enrolled_at = models.DateTimeField(_("ghi danh lúc"), auto_now_add=True)
    # "Resume where you left off": the last lesson opened, whatever the device.
    last_lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_opened_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("ghi danh")
        verbose_name_plural = _("ghi danh")
        constraints = [
            models.UniqueConstraint(fields=["learner", "course"], name="enrollment_once_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} → {self.course_id}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class LessonProgress(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(_("hoàn thành lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("bài đã học")
        verbose_name_plural = _("bài đã học")
        constraints = [models.UniqueConstraint(fields=["learner", "lesson"], name="lesson_completed_once")]
        indexes = [models.Index(fields=["learner", "course"], name="progress_learner_course_idx")]

    def __str__(self) -> str:
        return f"{self.learner_id} ✓ {self.lesson_id}"


class CheckpointAnswer(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkpoint_answers"
    )
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    choice = models.PositiveSmallIntegerField()
    chosen_text = models.CharField(max_length=250)
    correct = models.BooleanField()
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("câu trả lời kiểm tra nhanh")
        verbose_name_plural = _("câu trả lời kiểm tra nhanh")
        constraints = [
            models.UniqueConstraint(fields=["learner", "lesson", "block_id"], name="checkpoint_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} → {self.lesson_id}/{self.block_id}"
