"""Facilitator classes on the public site: facilitators are volunteers on phones, so every action
is a plain form POST; learners join with a code or the poster's QR code."""

from collections.abc import Callable
from functools import wraps

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.models import CoursePage
from learning import classes
from learning.accounts import throttle
from learning.accounts.backends import find_user_by_login
from learning.accounts.forms import CommuneChoiceField, OneLineField, ProfileFieldsForm, RegistrationForm
from learning.models import ClassMembership, LearningClass, Province, SandboxRun
from learning.notifications import notify_learner
from learning.roles import is_facilitator
from learning.views.accounts import BACKEND, notify_password_changed

# Where a visitor who scanned a poster is sent back to after registering (see the dashboard).
PENDING_JOIN_CODE = "class_join_code"


# --- forms ----------------------------------------------------------------------------------


class ClassForm(forms.ModelForm):
    name = OneLineField(
        label=gettext_lazy("Tên lớp"),
        max_length=150,
        help_text=gettext_lazy("Ví dụ: Lớp dịch vụ công trực tuyến cho người cao tuổi."),
        error_messages={"required": gettext_lazy("Vui lòng đặt tên cho lớp.")},
    )
    place = OneLineField(
        label=gettext_lazy("Địa điểm"),
        max_length=200,
        help_text=gettext_lazy("Ví dụ: Nhà văn hoá thôn 3."),
        error_messages={"required": gettext_lazy("Vui lòng ghi địa điểm học.")},
    )
    province = forms.ModelChoiceField(
        label=gettext_lazy("Tỉnh/thành phố"),
        queryset=Province.objects.all(),
        empty_label=gettext_lazy("— Chọn tỉnh/thành phố —"),
        error_messages={
            "required": gettext_lazy("Vui lòng chọn tỉnh/thành phố nơi mở lớp."),
            "invalid_choice": gettext_lazy("Tỉnh/thành phố đã chọn không có trong danh sách."),
        },
    )
    commune = CommuneChoiceField(label=gettext_lazy("Xã/phường"))
    meets_on = forms.DateField(
        label=gettext_lazy("Ngày học"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Vui lòng chọn ngày học."),
            "invalid": gettext_lazy("Ngày học chưa đúng, ví dụ 15/08/2025."),
        },
    )

    class Meta:
        model = LearningClass
        fields = ["name", "place", "province", "commune", "meets_on"]

    # The registration form's province → commune list, offered without JavaScript.
    _chosen_province_code = ProfileFieldsForm._chosen_province_code
    _offer_communes_of = ProfileFieldsForm._offer_communes_of

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].error_messages["required"] = _("Vui lòng chọn xã/phường nơi mở lớp.")
        self._offer_communes_of(self._chosen_province_code())

    def clean(self):
        cleaned = super().clean()
        province, commune = cleaned.get("province"), cleaned.get("commune")
        if province and commune and commune.province_id != province.pk:
            self.add_error(
                "commune",
                _("Xã/phường %(commune)s không thuộc %(province)s. Vui lòng chọn lại.")
                % {"commune": commune.name, "province": province.name},
            )
        return cleaned


class AssistedRegistrationForm(RegistrationForm):
    """Normal registration, filled in by the facilitator beside the learner."""

    consent = forms.BooleanField(
        label=gettext_lazy(
            "Người học đã đồng ý cho tôi đăng ký giúp, và đồng ý để nền tảng lưu và xử lý thông tin cá "
            "nhân trên đây nhằm tổ chức học tập và cấp chứng nhận."
        ),
        required=True,
        error_messages={
            "required": gettext_lazy(
                "Cần có sự đồng ý của người học thì mới đăng ký giúp được. Hãy đọc điều này cho người học "
                "nghe và hỏi ý kiến của họ."
            )
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["full_name"].help_text = _("Ghi đầy đủ, có dấu, như người học muốn in trên chứng nhận.")
        fields["phone"].help_text = _(
            "Số điện thoại của người học, dùng để đăng nhập. Nếu không có, hãy chọn tên đăng nhập bên dưới."
        )
        fields["email"].help_text = _("Không bắt buộc.")
        fields["password1"].label = _("Mật khẩu của người học")
        fields["password1"].help_text = _(
            "Cùng người học chọn một mật khẩu dễ nhớ (ít nhất 8 ký tự, không chỉ gồm chữ số). Để người học "
            "tự nhập nếu được, rồi ghi ra giấy cho họ giữ."
        )
        fields["learner_group"].label = _("Người học là")


class JoinForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã vào lớp"),
        max_length=20,
        help_text=gettext_lazy("6 chữ và số ghi trên áp phích của lớp, ví dụ 7KQ-M2P."),
        error_messages={"required": gettext_lazy("Vui lòng nhập mã vào lớp.")},
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class ResetWithCodeForm(forms.Form):
    login = forms.CharField(
        label=gettext_lazy("Số điện thoại hoặc tên đăng nhập"),
        max_length=150,
        error_messages={"required": gettext_lazy("Vui lòng nhập số điện thoại hoặc tên đăng nhập.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    code = forms.CharField(
        label=gettext_lazy("Mã đặt lại mật khẩu"),
        max_length=20,
        help_text=gettext_lazy("8 chữ số do người hướng dẫn lớp đưa cho bạn."),
        error_messages={"required": gettext_lazy("Vui lòng nhập mã 8 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    new_password1 = forms.CharField(
        label=gettext_lazy("Mật khẩu mới"),
        strip=False,
        help_text=gettext_lazy("Ít nhất 8 ký tự, không chỉ gồm chữ số."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": gettext_lazy("Vui lòng đặt mật khẩu mới.")},
    )
    new_password2 = forms.CharField(
        label=gettext_lazy("Nhập lại mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": gettext_lazy("Vui lòng nhập lại mật khẩu mới.")},
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("Hai lần nhập mật khẩu không giống nhau."))
        return cleaned


# --- helpers --------------------------------------------------------------------------------


def facilitator_required(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_facilitator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def own_class(request: HttpRequest, class_id: int) -> LearningClass:
    """The facilitator's own class; anyone else's is a 404, as if it did not exist."""
    return get_object_or_404(
        LearningClass.objects.select_related("province", "commune"), pk=class_id, facilitator=request.user
    )


def own_member(request: HttpRequest, class_id: int, member_id: int) -> ClassMembership:
    learning_class = own_class(request, class_id)
    membership = get_object_or_404(
        ClassMembership.objects.select_related("learner__profile"),
        pk=member_id,
        learning_class=learning_class,
    )
    membership.learning_class = learning_class
    return membership


def join_url(request: HttpRequest, learning_class: LearningClass) -> str:
    return request.build_absolute_uri(reverse("classes:join_code", args=[learning_class.join_code]))


def _refreshing_communes(request: HttpRequest) -> bool:
    return "refresh_communes" in request.POST


def _after_refreshing_communes(request: HttpRequest, form) -> None:
    form.errors.clear()
    messages.info(
        request,
        _(
            "Danh sách xã/phường đã được cập nhật theo tỉnh/thành phố đã chọn. Hãy chọn xã/phường rồi bấm "
            "nút ở cuối trang."
        ),
    )


def _int_or_none(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


# --- facilitator pages ----------------------------------------------------------------------


@facilitator_required
@require_GET
def my_classes(request: HttpRequest) -> HttpResponse:
    led = list(
        LearningClass.objects.filter(facilitator=request.user).annotate(member_count=Count("memberships"))
    )
    for learning_class in led:
        learning_class.join_code_display = classes.format_join_code(learning_class.join_code)
    return TemplateResponse(request, "learning/classes/mine.html", {"classes": led})


@facilitator_required
@require_http_methods(["GET", "POST"])
def create_class(request: HttpRequest) -> HttpResponse:
    profile = getattr(request.user, "profile", None)
    initial = {"province": profile.province_id, "commune": profile.commune_id} if profile else {}
    form = ClassForm(request.POST or None, initial=initial)
    if request.method == "POST" and not _refreshing_communes(request) and form.is_valid():
        learning_class = classes.open_class(request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Đã mở lớp “%(name)s”. Mã vào lớp: %(code)s.")
            % {"name": learning_class.name, "code": classes.format_join_code(learning_class.join_code)},
        )
        return redirect("classes:detail", class_id=learning_class.pk)
    if _refreshing_communes(request):
        _after_refreshing_communes(request, form)
    return TemplateResponse(request, "learning/classes/create.html", {"form": form})


@facilitator_required
@require_GET
def class_detail(request: HttpRequest, class_id: int) -> HttpResponse:
    learning_class = own_class(request, class_id)
    return TemplateResponse(
        request,
        "learning/classes/detail.html",
        {
            "learning_class": learning_class,
            "join_code": classes.format_join_code(learning_class.join_code),
            "join_url": join_url(request, learning_class),
            "members": classes.get_class_progress(learning_class),
        },
    )


@facilitator_required
@require_POST
def set_joining(request: HttpRequest, class_id: int) -> HttpResponse:
    learning_class = own_class(request, class_id)
    is_open = request.POST.get("nhan") == "1"
    classes.set_joining(request.user, learning_class, is_open)
    messages.success(
        request,
        _("Lớp đang nhận học viên vào bằng mã.") if is_open else _("Lớp đã ngừng nhận học viên mới."),
    )
    return redirect("classes:detail", class_id=learning_class.pk)


@facilitator_required
@require_GET
def poster(request: HttpRequest, class_id: int) -> HttpResponse:
    learning_class = own_class(request, class_id)
    url = join_url(request, learning_class)
    return TemplateResponse(
        request,
        "learning/classes/poster.html",
        {
            "learning_class": learning_class,
            "join_code": classes.format_join_code(learning_class.join_code),
            "join_url": url,
            "join_page_url": request.build_absolute_uri(reverse("classes:join")),
            "qr_image": segno.make(url, error="m").svg_data_uri(scale=8, border=2),
        },
    )


@facilitator_required
@require_http_methods(["GET", "POST"])
def assisted_registration(request: HttpRequest, class_id: int) -> HttpResponse:
    learning_class = own_class(request, class_id)
    form = AssistedRegistrationForm(
        request.POST or None,
        initial={"province": learning_class.province_id, "commune": learning_class.commune_id},
    )
    if request.method == "POST" and not _refreshing_communes(request) and form.is_valid():
        try:
            user = classes.register_for_class(request.user, learning_class, form)
        except IntegrityError:
            form.add_error(
                None, _("Số điện thoại hoặc tên đăng nhập vừa có người đăng ký. Vui lòng kiểm tra lại.")
            )
        else:
            notify_learner(
                user,
                kind="welcome",
                title=_("Chào mừng bạn đến với Bình dân học vụ số"),
                body=_(
                    "Bạn đã được đăng ký vào lớp “%(name)s”. Hãy chọn một khoá học ngắn và học theo từng bước."
                )
                % {"name": learning_class.name},
                url=reverse("learning:dashboard"),
            )
            membership = ClassMembership.objects.get(learning_class=learning_class, learner=user)
            messages.success(
                request,
                _("Đã đăng ký cho %(name)s và thêm vào lớp. Tên đăng nhập: %(login)s.")
                % {"name": user.display_name(), "login": user.username},
            )
            return redirect("classes:member", class_id=learning_class.pk, member_id=membership.pk)
    if _refreshing_communes(request):
        _after_refreshing_communes(request, form)
    return TemplateResponse(
        request,
        "learning/classes/assisted_registration.html",
        {"learning_class": learning_class, "form": form},
    )


@facilitator_required
@require_GET
def member_detail(request: HttpRequest, class_id: int, member_id: int) -> HttpResponse:
    membership = own_member(request, class_id, member_id)
    return TemplateResponse(
        request,
        "learning/classes/member.html",
        {
            "learning_class": membership.learning_class,
            "membership": membership,
            "member": classes.get_member_progress(membership),
            "runs": classes.get_practice_runs(membership),
            "may_issue_reset_code": classes.may_receive_reset_code(membership.learner),
            "pending_code": classes.get_live_reset_code(membership.learner),
        },
    )


@facilitator_required
@require_POST
def mark_course(request: HttpRequest, class_id: int, member_id: int) -> HttpResponse:
    membership = own_member(request, class_id, member_id)
    back = redirect("classes:member", class_id=class_id, member_id=membership.pk)
    course = CoursePage.objects.filter(pk=_int_or_none(request.POST.get("khoa_hoc"))).first()
    if course is None:
        messages.error(request, _("Không tìm thấy khoá học này. Hãy chọn lại."))
        return back
    try:
        _mark, created = classes.mark_course_assisted(request.user, membership, course)
    except classes.ClassActionRefused as refused:
        messages.error(request, refused.message)
        return back
    if created:
        messages.success(
            request, _("Đã ghi nhận: khoá “%(title)s” học với sự hỗ trợ.") % {"title": course.title}
        )
    else:
        messages.info(request, _("Khoá “%(title)s” đã được ghi nhận từ trước.") % {"title": course.title})
    return back


@facilitator_required
@require_POST
def mark_step(request: HttpRequest, class_id: int, member_id: int) -> HttpResponse:
    membership = own_member(request, class_id, member_id)
    back = redirect("classes:member", class_id=class_id, member_id=membership.pk)
    run = SandboxRun.objects.filter(
        pk=_int_or_none(request.POST.get("luot")), learner_id=membership.learner_id
    ).first()
    step_index = _int_or_none(request.POST.get("buoc"))
    try:
        if run is None or step_index is None:
            raise classes.ClassActionRefused(_("Không tìm thấy bước thực hành này của học viên."))
        _mark, created = classes.mark_step_assisted(request.user, membership, run, step_index)
    except classes.ClassActionRefused as refused:
        messages.error(request, refused.message)
        return back
    if created:
        messages.success(request, _("Đã ghi nhận: bước %(n)s làm với sự hỗ trợ.") % {"n": step_index + 1})
    else:
        messages.info(request, _("Bước %(n)s đã được ghi nhận từ trước.") % {"n": step_index + 1})
    return back


@facilitator_required
@require_POST
def issue_reset_code(request: HttpRequest, class_id: int, member_id: int) -> HttpResponse:
    membership = own_member(request, class_id, member_id)
    try:
        code = classes.issue_reset_code(request.user, membership)
    except classes.ResetCodeRefused as refused:
        messages.error(request, refused.message)
        return redirect("classes:member", class_id=class_id, member_id=membership.pk)
    response = TemplateResponse(
        request,
        "learning/classes/reset_code_issued.html",
        {
            "learning_class": membership.learning_class,
            "membership": membership,
            "code": f"{code[:4]} {code[4:]}",
            "expires_at": timezone.now() + classes.RESET_CODE_LIFETIME,
            "reset_url": request.build_absolute_uri(reverse("classes:reset_with_code")),
        },
    )
    # The code is shown once: never kept by a browser or proxy cache.
    response["Cache-Control"] = "no-store"
    return response


# --- learner pages --------------------------------------------------------------------------


def _joined(request: HttpRequest, membership: ClassMembership, created: bool) -> HttpResponse:
    request.session.pop(PENDING_JOIN_CODE, None)
    name = membership.learning_class.name
    if created:
        messages.success(request, _("Bạn đã vào lớp “%(name)s”. Chúc bạn học tốt!") % {"name": name})
    else:
        messages.info(request, _("Bạn đã ở trong lớp “%(name)s” rồi.") % {"name": name})
    return redirect("learning:dashboard")


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if not request.user.is_authenticated:
                learning_class = classes.get_class_for_code(form.cleaned_data["code"])
                return redirect("classes:join_code", code=learning_class.join_code)
            membership, created = classes.join_class(request.user, form.cleaned_data["code"])
        except classes.JoinRefused as refused:
            form.add_error("code", refused.message)
        else:
            return _joined(request, membership, created)
    return TemplateResponse(request, "learning/classes/join.html", {"form": form})


@require_http_methods(["GET", "POST"])
def join_with_code(request: HttpRequest, code: str) -> HttpResponse:
    """Where the poster's QR code leads: the class, and one button to join it."""
    try:
        learning_class = classes.get_class_for_code(code)
    except classes.JoinRefused as refused:
        form = JoinForm({"code": code[:20]})
        form.is_valid()
        form.add_error("code", refused.message)
        return TemplateResponse(request, "learning/classes/join.html", {"form": form}, status=404)
    context = {
        "learning_class": learning_class,
        "join_code": classes.format_join_code(learning_class.join_code),
    }
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        # Registering ends on the dashboard, which offers the way back here.
        request.session[PENDING_JOIN_CODE] = learning_class.join_code
        return TemplateResponse(request, "learning/classes/join_confirm.html", context)
    request.session.pop(PENDING_JOIN_CODE, None)  # back from signing in or registering
    if request.method == "POST":
        try:
            membership, created = classes.join_class(request.user, learning_class.join_code)
        except classes.JoinRefused as refused:
            context["refusal"] = refused.message
        else:
            return _joined(request, membership, created)
    context["is_member"] = learning_class.memberships.filter(learner=request.user).exists()
    context["is_own"] = learning_class.facilitator_id == request.user.pk
    return TemplateResponse(request, "learning/classes/join_confirm.html", context)


@require_http_methods(["GET", "POST"])
def reset_with_code(request: HttpRequest) -> HttpResponse:
    form = ResetWithCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ip = request.META.get("REMOTE_ADDR", "")
        account = find_user_by_login(data["login"])
        account_key = (
            f"reset:user:{account.pk}" if account else f"reset:login:{data['login'].strip().lower()}"
        )
        lockout = throttle.check_login_allowed(account_key, ip)
        if lockout:
            status = 429
            form.add_error(
                None,
                _(
                    "Bạn đã nhập sai nhiều lần. Hãy thử lại sau %(minutes)s phút, hoặc nhờ người hướng dẫn lớp."
                )
                % {"minutes": max(1, -(-lockout.retry_after_seconds // 60))},
            )
        else:
            try:
                user = classes.reset_password_with_code(data["login"], data["code"], data["new_password1"])
            except classes.ResetCodeRefused as refused:
                throttle.record_login_failure(account_key, ip)
                form.add_error(None, refused.message)
            except ValidationError as weak:
                form.add_error("new_password1", weak)
            else:
                throttle.clear_account_failures(account_key, ip)
                notify_password_changed(user)
                if not request.user.is_authenticated:
                    login(request, user, backend=BACKEND)
                    messages.success(request, _("Đã đặt mật khẩu mới. Chào mừng bạn quay lại!"))
                    return redirect("learning:dashboard")
                if request.user.pk == user.pk:
                    update_session_auth_hash(request, user)
                messages.success(request, _("Đã đặt mật khẩu mới. Hãy đăng nhập bằng mật khẩu này."))
                return redirect("learning:dashboard")
    return TemplateResponse(request, "learning/classes/reset_with_code.html", {"form": form}, status=status)
