"""Certificates: exactly one current certificate per learner and course."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certificates.codes import display_short_code


class CertificateState(models.TextChoices):
    CURRENT = "current", _("Còn hiệu lực")
    REVOKED = "revoked", _("Đã thu hồi")
    SUPERSEDED = "superseded", _("Đã được thay bằng chứng nhận mới")


class CertificateQuerySet(models.QuerySet):
    def current(self):
        return self.filter(state=CertificateState.CURRENT)


class Certificate(models.Model):
    # Kept when the account or course is deleted: the public page must still answer "revoked".
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người học"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("khoá học"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # What the certificate says, fixed at issue time.
    learner_name = models.CharField(_("họ và tên"), max_length=150)
    course_title = models.CharField(_("tên khoá học"), max_length=255)
    content_version = models.PositiveIntegerField(_("phiên bản nội dung"), null=True, blank=True)
    score = models.FloatField(_("điểm bài kiểm tra cuối khoá (%)"), null=True, blank=True)
    issued_at = models.DateTimeField(_("cấp lúc"))
    issuer_name = models.CharField(_("đơn vị cấp"), max_length=200)
    signatory_name = models.CharField(_("người ký"), max_length=150)
    signatory_title = models.CharField(_("chức vụ người ký"), max_length=150)
    # How it is found: in the QR code and links, and typed by hand.
    token = models.CharField(max_length=64, unique=True, editable=False)
    short_code = models.CharField(_("mã tra cứu"), max_length=10, unique=True, editable=False)
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=CertificateState.choices, default=CertificateState.CURRENT
    )
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_reason = models.CharField(_("lý do thu hồi"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("thay bằng"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("chứng nhận")
        verbose_name_plural = _("chứng nhận")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"], condition=Q(state="current"), name="certificate_one_current"
            ),
            models.CheckConstraint(
                condition=Q(state="current") | Q(revoked_at__isnull=False), name="certificate_ended_has_date"
            ),
        ]
        indexes = [models.Index(fields=["issued_at"], name="certificate_issued_idx")]

    def __str__(self) -> str:
        return f"{self.learner_name} · {self.course_title} · {self.display_code}"

    @property
    def display_code(self) -> str:
        return display_short_code(self.short_code)

    @property
    def is_valid(self) -> bool:
        return self.state == CertificateState.CURRENT

    @property
    def province_name(self) -> str:
        profile = getattr(self.learner, "profile", None) if self.learner_id else None
        return profile.province.name if profile else ""

    @property
    def status_index(self) -> int:
        """This certificate's bit in the revocation status list."""
        return self.pk
