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
        connect_kept_values()


def connect_kept_values() -> None:
    """What makes a value kept in the shared cache stale (learning/kept.py)."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from learning.accounts.backends import account_changed, permissions_changed
    from learning.models import Notification, User
    from learning.notifications import unread_changed

    def on_account(sender, instance, **kwargs) -> None:
        account_changed(instance.pk)

    def on_permissions(sender, **kwargs) -> None:
        permissions_changed()

    def on_notification(sender, instance, **kwargs) -> None:
        unread_changed(instance.learner_id)

    for signal in (post_save, post_delete):
        signal.connect(on_account, sender=User, weak=False, dispatch_uid=f"kept-account-{id(signal)}")
        signal.connect(
            on_notification, sender=Notification, weak=False, dispatch_uid=f"kept-unread-{id(signal)}"
        )
        for model in (Group, Permission):
            signal.connect(
                on_permissions,
                sender=model,
                weak=False,
                dispatch_uid=f"kept-perms-{model.__name__}-{id(signal)}",
            )
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(
            on_permissions, sender=through, weak=False, dispatch_uid=f"kept-perms-{through.__name__}"
        )
