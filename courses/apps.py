from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_editorial_setup(**kwargs) -> None:
    from courses.editorial import ensure_editorial_setup

    ensure_editorial_setup()


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Khoá học")

    def ready(self) -> None:
        post_migrate.connect(_ensure_editorial_setup, sender=self)
        from courses.generation import connect_signals

        connect_signals()
