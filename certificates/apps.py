from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Chứng nhận")

    def ready(self) -> None:
        from certificates import issuing
        from certificates.models import Certificate
        from learning.accounts.privacy import register_export_section
        from learning.reports.stages import register_stage
        from learning.signals import course_completed

        course_completed.connect(issuing.on_course_completed, dispatch_uid="certificates-course-completed")
        pre_delete.connect(
            issuing.on_learner_deleted,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="certificates-learner-deleted",
        )
        register_export_section(
            "certificates",
            lambda user: [
                {
                    "course": certificate.course_title,
                    "name": certificate.learner_name,
                    "issued_at": certificate.issued_at.isoformat(),
                    "short_code": certificate.display_code,
                    "state": certificate.state,
                }
                for certificate in Certificate.objects.filter(learner=user)
            ],
            covers=["certificates.Certificate.learner"],
        )
        # The funnel's last stage; learning cannot import certificates, so it is registered here.
        register_stage(
            "certified",
            _("Được cấp chứng nhận"),
            Certificate.objects.current,
            time_field="issued_at",
            order=40,
        )
