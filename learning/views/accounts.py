import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from learning.accounts.forms import DeleteAccountForm, LoginForm, ProfileForm, RegistrationForm
from learning.accounts.privacy import (
    AccountKept,
    delete_learner_account,
    export_learner_data,
    why_the_account_stays,
)
from learning.accounts.registration import register_learner, update_learner_profile
from learning.notifications import notify_learner

BACKEND = "learning.accounts.backends.UsernameOrPhoneBackend"


def _refreshing_communes(request: HttpRequest) -> bool:
    """The no-JavaScript path: the learner picked a province and asked for its communes."""
    return "refresh_communes" in request.POST


def _after_refreshing_communes(request: HttpRequest, form) -> None:
    form.errors.clear()
    messages.info(
        request,
        _(
            "Danh sách xã/phường đã được cập nhật theo tỉnh/thành phố bạn chọn. Hãy chọn xã/phường rồi bấm nút lưu ở cuối trang."
        ),
    )


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("learning:dashboard")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and not _refreshing_communes(request) and form.is_valid():
        try:
            user = register_learner(form)
        except IntegrityError:
            # Someone took the same phone or username between validation and saving.
            form.add_error(
                None,
                _("Số điện thoại hoặc tên đăng nhập vừa có người đăng ký. Vui lòng kiểm tra lại."),
            )
        else:
            notify_learner(
                user,
                kind="welcome",
                title=_("Chào mừng bạn đến với Bình dân học vụ số"),
                body=_(
                    "Hãy chọn một khoá học ngắn và học theo từng bước. Bạn có thể dừng lúc nào và học tiếp sau."
                ),
                url=reverse("learning:dashboard"),
            )
            login(request, user, backend=BACKEND)
            messages.success(
                request,
                _("Đăng ký thành công. Chào mừng %(name)s!") % {"name": user.display_name()},
            )
            return redirect("learning:dashboard")
    if _refreshing_communes(request):
        _after_refreshing_communes(request, form)
    return render(request, "learning/accounts/register.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "learning/accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked_out:
            response.status_code = 429
        return response


class LogoutView(auth_views.LogoutView):
    template_name = "learning/accounts/logged_out.html"


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    instance = getattr(request.user, "profile", None)
    form = ProfileForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and not _refreshing_communes(request) and form.is_valid():
        try:
            update_learner_profile(form)
        except IntegrityError:
            form.add_error("phone", _("Số điện thoại này vừa được dùng cho tài khoản khác."))
        else:
            messages.success(request, _("Đã lưu thông tin của bạn."))
            return redirect("accounts:profile")
    if _refreshing_communes(request):
        _after_refreshing_communes(request, form)
    return render(request, "learning/accounts/profile.html", {"form": form})


@login_required
def export_data(request: HttpRequest) -> HttpResponse:
    payload = json.dumps(export_learner_data(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="du-lieu-cua-toi.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            delete_learner_account(user)
        except AccountKept as kept:  # nothing deleted: the learner stays signed in and is told why
            form.add_error(None, str(kept))
        else:
            logout(request)
            messages.success(request, _("Tài khoản và dữ liệu của bạn đã được xoá."))
            return redirect("/")
    kept = why_the_account_stays(request.user) if request.method == "GET" else None
    return render(request, "learning/accounts/delete.html", {"form": form, "kept": kept})


def notify_password_changed(user) -> None:
    # Every open page of the account hears of it, so a stranger's change does not go unnoticed.
    notify_learner(
        user,
        kind="password-changed",
        title=_("Mật khẩu của bạn vừa được đổi"),
        body=_("Nếu không phải bạn đổi, hãy đặt lại mật khẩu ngay hoặc nhờ tổ công nghệ số cộng đồng giúp."),
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "learning/accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        notify_password_changed(form.user)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "learning/accounts/password_reset.html"
    email_template_name = "learning/accounts/password_reset_email.txt"
    subject_template_name = "learning/accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "learning/accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "learning/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        notify_password_changed(form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "learning/accounts/password_reset_complete.html"
