from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learning.notifications import mark_read


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(request.user.notifications.all(), 20).get_page(request.GET.get("trang"))
    return render(request, "learning/notifications.html", {"page": page})


@login_required
@require_POST
def mark_notifications_read(request: HttpRequest, notification_id: int | None = None) -> HttpResponse:
    if mark_read(request.user, notification_id) and notification_id is None:
        messages.success(request, _("Đã đánh dấu tất cả thông báo là đã đọc."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "accounts:notifications"
    return redirect(target)
