"""Community delivery: facilitator classes (lớp học of the Tổ công nghệ số cộng đồng), the help
they give, and the province a programme manager's reports are limited to."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .places import Commune, Province


class LearningClass(models.Model):
    """A class a facilitator runs at a place and date; learners join it with its code."""

    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="classes_led",
        verbose_name=_("người hướng dẫn"),
    )
    name = models.CharField(_("tên lớp"), max_length=150)
    place = models.CharField(_("địa điểm"), max_length=200, help_text=_("Ví dụ: Nhà văn hoá thôn 3."))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    meets_on = models.DateField(_("ngày học"))
    # Short, unambiguous (Crockford base 32), typed from a poster: see learning/classes.py.
    join_code = models.CharField(_("mã vào lớp"), max_length=12, unique=True)
    join_open = models.BooleanField(_("đang nhận học viên"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lớp học")
        verbose_name_plural = _("lớp học")
        ordering = ["-meets_on", "-pk"]
        permissions = [("lead_classes", _("Mở lớp và hướng dẫn học viên"))]

    def __str__(self) -> str:
        return self.name


class ClassMembership(models.Model):
    learning_class = models.ForeignKey(LearningClass, on_delete=models.CASCADE, related_name="memberships")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="class_memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    # Registered by the facilitator for someone without phone skills yet; then the learner's
    # consent, given in person, is recorded with its time.
    assisted_registration = models.BooleanField(default=False)
    consent_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learning_class", "learner"], name="class_member_once"),
            models.CheckConstraint(
                condition=Q(assisted_registration=False) | Q(consent_recorded_at__isnull=False),
                name="assisted_registration_has_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learning_class_id}:{self.learner_id}"


class AssistedMark(models.Model):
    """A facilitator's note that a course, or one sandbox step, was done with their help: reports
    count these as assisted completions rather than independent ones."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    learning_class = models.ForeignKey(LearningClass, on_delete=models.CASCADE, related_name="assisted_marks")
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    run = models.ForeignKey(
        "learning.SandboxRun", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    step_index = models.PositiveSmallIntegerField(null=True, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(course__isnull=False) & Q(run__isnull=True) & Q(step_index__isnull=True))
                | (Q(course__isnull=True) & Q(run__isnull=False) & Q(step_index__isnull=False)),
                name="assisted_mark_course_or_step",
            ),
            models.UniqueConstraint(
                fields=["learner", "course"], condition=Q(course__isnull=False), name="assisted_course_once"
            ),
            models.UniqueConstraint(
                fields=["run", "step_index"], condition=Q(run__isnull=False), name="assisted_step_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id}:{self.course_id or self.run_id}"


class PasswordResetCode(models.Model):
    """A one-time code a facilitator gives a member who has no e-mail to reset their password.
    Only a hash is stored; it expires, can be used once, and allows a few wrong tries."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="reset_code_expires_later"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id}@{self.created_at:%Y-%m-%d %H:%M}"


class ReportScope(models.Model):
    """A programme manager whose reports are limited to one province."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_scope"
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("phạm vi báo cáo")
        verbose_name_plural = _("phạm vi báo cáo")
        permissions = [("view_reports", _("Xem báo cáo và tải CSV"))]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.province_id}"
