"""Certificates in the admin: search, filter, inspect, revoke, re-issue and export as CSV."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton

from certificates.issuing import reissue_certificate, revoke_certificate
from certificates.models import Certificate, CertificateState
from courses.models import CoursePage
from learning.models import Province
from learning.spreadsheets import safe_cell

MANAGE = "certificates.change_certificate"


class CertificateFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Khoá học"), queryset=CoursePage.objects.order_by("title")
    )
    state = django_filters.ChoiceFilter(label=gettext_lazy("Trạng thái"), choices=CertificateState.choices)
    issued_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Ngày cấp"), widget=DateRangePickerWidget
    )
    province = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Tỉnh/thành"),
        queryset=Province.objects.order_by("name"),
        field_name="learner__profile__province",
    )

    class Meta:
        model = Certificate
        fields = ["course", "state", "issued_at", "province"]


class CertificateIndexView(generic.IndexView):
    # Names and reasons are typed by people; a CSV cell must never run as a formula.
    custom_field_preprocess = {
        field: {"csv": safe_cell}
        for field in ("learner_name", "course_title", "province_name", "revoked_reason", "issuer_name")
    }

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("learner__profile__province")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.is_valid and self.request.user.has_perm(MANAGE):
            buttons.append(
                ListingButton(
                    _("Thu hồi"),
                    reverse("certificate_revoke", args=[instance.pk]),
                    icon_name="cross",
                    priority=40,
                )
            )
            buttons.append(
                ListingButton(
                    _("Cấp lại"),
                    reverse("certificate_reissue", args=[instance.pk]),
                    icon_name="repeat",
                    priority=50,
                )
            )
        return buttons


class CertificateViewSet(ModelViewSet):
    model = Certificate
    name = "certificate_admin"
    url_prefix = "chung-nhan-da-cap"
    icon = "doc-full"
    menu_label = gettext_lazy("Chứng nhận")
    menu_order = 300
    add_to_admin_menu = True
    index_view_class = CertificateIndexView
    inspect_view_enabled = True
    # Certificates are issued by the platform, never typed in; officials revoke or re-issue.
    add_view_enabled = False
    edit_view_enabled = False
    delete_view_enabled = False
    copy_view_enabled = False
    form_fields = ["revoked_reason"]
    list_display = ["learner_name", "course_title", "display_code", "issued_at", "state"]
    search_fields = ["learner_name", "short_code", "course_title"]
    search_backend_name = None
    filterset_class = CertificateFilterSet
    list_export = [
        "short_code", "learner_name", "course_title", "province_name", "issued_at", "score", "state",
        "revoked_at", "revoked_reason", "issuer_name",
    ]  # fmt: skip
    export_headings = {
        "short_code": gettext_lazy("Mã tra cứu"),
        "learner_name": gettext_lazy("Họ và tên"),
        "course_title": gettext_lazy("Khoá học"),
        "province_name": gettext_lazy("Tỉnh/thành"),
        "issued_at": gettext_lazy("Ngày cấp"),
        "score": gettext_lazy("Điểm (%)"),
        "state": gettext_lazy("Trạng thái"),
        "revoked_at": gettext_lazy("Thu hồi lúc"),
        "revoked_reason": gettext_lazy("Lý do thu hồi"),
        "issuer_name": gettext_lazy("Đơn vị cấp"),
    }
    export_filename = "chung-nhan"
    inspect_view_fields = [
        "learner_name", "course_title", "content_version", "score", "issued_at", "issuer_name", "signatory_name",
        "short_code", "state", "revoked_at", "revoked_reason", "superseded_by",
    ]  # fmt: skip


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet()


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do thu hồi"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Người kiểm tra chứng nhận sẽ thấy lý do này."),
    )


def _certificate_for(request, pk: int) -> Certificate:
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied
    return get_object_or_404(Certificate, pk=pk)


def revoke_view(request, pk: int):
    certificate = _certificate_for(request, pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and certificate.is_valid:
        revoke_certificate(certificate, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, _("Đã thu hồi chứng nhận %(code)s.") % {"code": certificate.display_code})
        return redirect("certificate_admin:index")
    return TemplateResponse(
        request,
        "certificates/admin/revoke.html",
        {
            "certificate": certificate,
            "form": form,
            "page_title": _("Thu hồi chứng nhận"),
            "header_title": _("Thu hồi chứng nhận"),
        },
    )


def reissue_view(request, pk: int):
    certificate = _certificate_for(request, pk)
    if request.method == "POST":
        try:
            replacement = reissue_certificate(certificate, by=request.user)
        except ValueError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _(
                    "Đã cấp lại: chứng nhận mới %(new)s mang tên “%(name)s”; chứng nhận cũ %(old)s đã được đánh dấu là đã thay thế."
                )
                % {
                    "new": replacement.display_code,
                    "name": replacement.learner_name,
                    "old": certificate.display_code,
                },
            )
        return redirect("certificate_admin:index")
    profile = getattr(certificate.learner, "profile", None)
    return TemplateResponse(
        request,
        "certificates/admin/reissue.html",
        {
            "certificate": certificate,
            "new_name": profile.full_name if profile else "",
            "page_title": _("Cấp lại chứng nhận"),
            "header_title": _("Cấp lại chứng nhận"),
        },
    )


@hooks.register("register_admin_urls")
def certificate_action_urls():
    return [
        path("chung-nhan/<int:pk>/thu-hoi/", revoke_view, name="certificate_revoke"),
        path("chung-nhan/<int:pk>/cap-lai/", reissue_view, name="certificate_reissue"),
    ]
