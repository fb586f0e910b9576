from django.conf import settings
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog, set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses import routing
from learning.views import accounts, courses, health, notifications, places, quizzes, sandboxes, second_factor

accounts_patterns = [
    path("dang-ky/", accounts.register, name="register"),
    path("dang-nhap/", accounts.LoginView.as_view(), name="login"),
    path("dang-xuat/", accounts.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", accounts.profile, name="profile"),
    path("tai-khoan/doi-mat-khau/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("tai-khoan/du-lieu.json", accounts.export_data, name="export_data"),
    path("tai-khoan/xoa/", accounts.delete_account, name="delete_account"),
    path("thong-bao/", notifications.notification_list, name="notifications"),
    path("thong-bao/da-doc/", notifications.mark_notifications_read, name="notifications_read"),
    path(
        "thong-bao/<int:notification_id>/da-doc/",
        notifications.mark_notifications_read,
        name="notification_read",
    ),
    path("quen-mat-khau/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/",
        accounts.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "quen-mat-khau/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "quen-mat-khau/xong/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

learning_patterns = [
    path("hoc-cua-toi/", courses.dashboard, name="dashboard"),
    path("hoc/khoa-hoc/<int:course_id>/ghi-danh/", courses.enrol, name="enrol"),
    path("hoc/bai/<int:lesson_id>/hoan-thanh/", courses.complete, name="complete_lesson"),
    path(
        "hoc/bai/<int:lesson_id>/cau-hoi/<str:block_id>/", courses.answer_checkpoint, name="answer_checkpoint"
    ),
    path("bai-kiem-tra/<int:quiz_id>/", quizzes.quiz_intro, name="quiz"),
    path("bai-kiem-tra/<int:quiz_id>/bat-dau/", quizzes.start, name="start_quiz"),
    path("bai-lam/<int:attempt_id>/", quizzes.take, name="attempt"),
    path("bai-lam/<int:attempt_id>/cau/<int:position>/", quizzes.save, name="save_answer"),
    path(
        "bai-lam/<int:attempt_id>/cau/<int:position>/hinh/<int:option>/",
        quizzes.option_picture,
        name="option_picture",
    ),
    path("bai-lam/<int:attempt_id>/ket-qua/", quizzes.result, name="attempt_result"),
    path("thuc-hanh/<slug:slug>/", sandboxes.intro, name="sandbox"),
    path("thuc-hanh/<slug:slug>/bat-dau/", sandboxes.start, name="sandbox_start"),
    path("thuc-hanh/luot/<int:run_id>/", sandboxes.run_page, name="sandbox_run"),
    path("thuc-hanh/luot/<int:run_id>/lam-lai/", sandboxes.restart, name="sandbox_restart"),
    path(
        "thuc-hanh/luot/<int:run_id>/bien-lai/<int:step_index>.pdf",
        sandboxes.receipt,
        name="sandbox_receipt",
    ),
]

urlpatterns = [
    path("healthz/", health.health, name="health"),
    path("dia-ban/<int:province_code>/xa.json", places.communes_of_province, name="communes"),
    path("", include((accounts_patterns, "accounts"))),
    path("", include((learning_patterns, "learning"))),
    path("", include("certificates.urls")),
    path("", include("learning.class_urls")),
    path("can-bo/xac-thuc-hai-buoc/", second_factor.verify, name="second_factor"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.SERVE_MEDIA:
    from django.views.static import serve

    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns += [re_path(rf"^{media_prefix}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

# Wagtail's page serving catches everything else, so it goes last: first with routes taken
# from memory (courses/routing.py), then Wagtail's own patterns (its helpers, and the name
# "wagtail_serve" that page URLs are reversed with).
urlpatterns += [
    re_path(r"^((?:[\w\-]+/)*)$", routing.serve, name="serve_page"),
    path("", include(wagtail_urls)),
]

handler400 = "learning.views.errors.bad_request"
handler403 = "learning.views.errors.permission_denied"
handler404 = "learning.views.errors.page_not_found"
handler500 = "learning.views.errors.server_error"
