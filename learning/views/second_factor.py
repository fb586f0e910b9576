from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from learning.accounts import second_factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã 6 số trong ứng dụng xác thực"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
        error_messages={"required": _("Vui lòng nhập mã 6 số.")},
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("wagtailadmin_home")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for a TOTP code; the first time, show the QR code to enrol an authenticator app."""
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('wagtailadmin_login')}?next={reverse('second_factor')}")
    if not second_factor.needs_second_factor(user):
        return redirect(_next_url(request))
    device = second_factor.get_confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = second_factor.get_or_create_pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = second_factor.seconds_until_next_try(device)
        if wait:
            form.add_error(
                "code",
                _("Bạn vừa nhập sai. Để an toàn, hãy đợi %(seconds)s giây rồi nhập mã đang hiện.")
                % {"seconds": wait},
            )
        elif second_factor.check_code(request, device, form.cleaned_data["code"]):
            return redirect(_next_url(request))
        else:
            form.add_error(
                "code",
                _(
                    "Mã chưa đúng hoặc đã hết hạn. Mã đổi sau mỗi 30 giây: hãy nhập mã đang hiện trong ứng dụng."
                ),
            )
    context = {"form": form, "enrolling": enrolling, "next": _next_url(request)}
    if enrolling:
        context.update(
            qr_data_uri=second_factor.qr_svg_data_uri(device),
            secret=second_factor.secret_base32(device),
            issuer=second_factor.issuer(),
        )
    return render(request, "learning/second_factor.html", context)
