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


# --- reports for programme managers (learning/reports) -------------------------------------------


@hooks.register("register_admin_urls")
def report_urls():
    from django.urls import path

    from learning.reports import views
    from learning.views import live_counts

    return [
        path("bao-cao/tien-do/", views.progress, name="reports_progress"),
        path("bao-cao/thuc-hanh/", views.practice, name="reports_practice"),
        path("bao-cao/csv/<slug:slug>/", views.export, name="reports_export"),
        path("bao-cao/tai-ve/<uuid:result_id>/", views.export_status, name="reports_export_status"),
        path("bao-cao/tai-ve/<uuid:result_id>/tep/", views.export_file, name="reports_export_file"),
        path("bao-cao/dang-hoc/", live_counts.page, name="reports_live"),
        path("bao-cao/dang-hoc.json", live_counts.counts_json, name="reports_live_json"),
    ]


def _report_menu_item(label, url_name: str, icon_name: str, order: int):
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    from learning.roles import can_view_reports

    class ReportMenuItem(MenuItem):
        def is_shown(self, request):
            return can_view_reports(request.user)

    return ReportMenuItem(label, reverse(url_name), name=url_name, icon_name=icon_name, order=order)


# In Wagtail's own "Báo cáo" menu, shown to those who may read reports.
@hooks.register("register_reports_menu_item")
def progress_report_menu_item():
    from django.utils.translation import gettext_lazy as _

    return _report_menu_item(_("Tiến độ học tập"), "reports_progress", "table", 10)


@hooks.register("register_reports_menu_item")
def practice_report_menu_item():
    from django.utils.translation import gettext_lazy as _

    return _report_menu_item(_("Thực hành"), "reports_practice", "tasks", 11)


@hooks.register("register_reports_menu_item")
def live_counts_menu_item():
    from django.utils.translation import gettext_lazy as _

    return _report_menu_item(_("Đang học ngay lúc này"), "reports_live", "user", 9)


# --- deleting a user from the admin --------------------------------------------------------------


@hooks.register("before_delete_user")
def keep_accounts_others_depend_on(request, user):
    """A facilitator named on learners' records (classes, help, reset codes) is kept: the admin is
    told why, and to switch the account off instead, before any delete is tried."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from learning.accounts.privacy import why_the_account_stays

    if why_the_account_stays(user) is None:
        return None
    messages.error(
        request,
        _(
            "Không xoá được tài khoản “%(name)s”: hồ sơ của học viên khác ghi người này là người "
            "hướng dẫn (lớp học, ghi nhận hỗ trợ, mã đặt lại mật khẩu). Hãy bỏ chọn “Kích hoạt” để "
            "khoá tài khoản thay cho xoá."
        )
        % {"name": user.get_username()},
    )
    return redirect("wagtailusers_users:edit", user.pk)
