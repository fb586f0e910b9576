from wagtail import hooks

from learning.views.courses import PAGE_VIEWS


@hooks.register("before_serve_page")
def serve_course_pages_with_learner_state(page, request, serve_args, serve_kwargs):
    view = PAGE_VIEWS.get(type(page))
    if view is not None:
        return view(request, page)
    return None


@hooks.register("register_admin_urls")
def quiz_report_urls():
    from django.urls import path

    from learning.views import quiz_reports

    return [
        path("bai-kiem-tra/<int:quiz_id>/thong-ke/", quiz_reports.statistics, name="quiz_statistics"),
        path("bai-kiem-tra/<int:quiz_id>/luot-lam.csv", quiz_reports.attempts_csv, name="quiz_attempts_csv"),
    ]


@hooks.register("register_snippet_listing_buttons")
def quiz_report_buttons(snippet, user, next_url=None):
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from wagtail.admin.widgets import ListingButton

    from quizzes.models import Quiz

    if isinstance(snippet, Quiz) and user.has_perm("quizzes.view_quiz"):
        yield ListingButton(
            _("Thống kê"), reverse("quiz_statistics", args=[snippet.pk]), icon_name="table", priority=50
        )
        yield ListingButton(
            _("Tải CSV"), reverse("quiz_attempts_csv", args=[snippet.pk]), icon_name="download", priority=60
        )
