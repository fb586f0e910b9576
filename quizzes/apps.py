from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Bài kiểm tra")

    def ready(self) -> None:
        from quizzes.models import Option, Question, QuestionTag, Quiz, QuizDraw
        from quizzes.pool import bump_bank_version

        # Any edit to what quizzes draw from makes the next attempt rebuild its pool.
        for model in (Question, Option, QuestionTag, Quiz, QuizDraw):
            post_save.connect(
                bump_bank_version, sender=model, dispatch_uid=f"bank-version-save-{model.__name__}"
            )
            post_delete.connect(
                bump_bank_version, sender=model, dispatch_uid=f"bank-version-delete-{model.__name__}"
            )
