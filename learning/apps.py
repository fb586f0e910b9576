from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_roles(**kwargs) -> None:
    from learning.roles import ensure_roles

    ensure_roles()


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Người học")

    def ready(self) -> None:
        from learning import receivers
        from learning.signals import sandbox_run_completed
        from quizzes.signals import attempt_passed, deadlines_changed

        attempt_passed.connect(receivers.on_attempt_passed, dispatch_uid="learning-attempt-passed")
        deadlines_changed.connect(receivers.on_deadlines_changed, dispatch_uid="learning-deadlines-changed")
        sandbox_run_completed.connect(
            receivers.on_sandbox_run_completed, dispatch_uid="learning-sandbox-completed"
        )
        post_migrate.connect(_ensure_roles, sender=self)
