"""Forms for registration, profile and login. Every message is plain Vietnamese."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.models import Commune, Profile, Province
from learning.models.accounts import GUARDIAN_CONSENT_BELOW_AGE
from learning.text import one_line

from . import throttle
from .backends import find_user_by_login
from .phones import clean_phone

USERNAME_HELP = _("3–30 ký tự: chữ cái không dấu, chữ số, dấu chấm hoặc gạch dưới; bắt đầu bằng chữ cái.")


def _oldest_birth_year() -> int:
    return 1900


def _youngest_birth_year() -> int:
    return timezone.localdate().year - 6


def may_be_under_guardian_age(birth_year: int) -> bool:
    """True when someone born in that year may not yet be 16 today.

    Only the year is asked, so a learner whose year difference is exactly 16 may still be 15:
    we ask for the guardian's consent then too, rather than risk processing a child's data.
    """
    return timezone.localdate().year - birth_year <= GUARDIAN_CONSENT_BELOW_AGE


def validate_username(value: str) -> None:
    if not (3 <= len(value) <= 30):
        raise ValidationError(_("Tên đăng nhập cần dài từ 3 đến 30 ký tự."), code="length")
    if not (value[0].isascii() and value[0].isalpha()):
        raise ValidationError(_("Tên đăng nhập phải bắt đầu bằng một chữ cái không dấu."), code="start")
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789._")
    if any(ch not in allowed for ch in value.lower()):
        raise ValidationError(
            _("Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số, dấu chấm và gạch dưới."),
            code="chars",
        )


class OneLineField(forms.CharField):
    """A ``CharField`` whose value goes through ``one_line`` before it is checked."""

    def to_python(self, value):
        return one_line(super().to_python(value))


class CommuneChoiceField(forms.ModelChoiceField):
    """All communes validate; only the chosen province's communes are offered in the list.

    Rendering all 3,321 communes would weigh more than a whole page should on a 3G phone.
    """

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Commune.objects.all(),
            empty_label=_("— Chọn xã/phường —"),
            error_messages={
                "required": _("Vui lòng chọn xã/phường nơi bạn sống."),
                "invalid_choice": _("Xã/phường đã chọn không có trong danh sách."),
            },
            **kwargs,
        )


class ProfileFieldsForm(forms.ModelForm):
    """The profile fields shared by registration and profile editing."""

    full_name = OneLineField(
        label=_("Họ và tên"),
        max_length=100,
        help_text=_("Ghi đầy đủ, có dấu, như bạn muốn in trên chứng nhận."),
        error_messages={"required": _("Vui lòng nhập họ và tên.")},
    )
    birth_year = forms.IntegerField(
        label=_("Năm sinh"),
        error_messages={
            "required": _("Vui lòng nhập năm sinh."),
            "invalid": _("Năm sinh là một số có 4 chữ số, ví dụ 1965."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year"}),
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"),
        queryset=Province.objects.all(),
        empty_label=_("— Chọn tỉnh/thành phố —"),
        error_messages={
            "required": _("Vui lòng chọn tỉnh/thành phố nơi bạn sống."),
            "invalid_choice": _("Tỉnh/thành phố đã chọn không có trong danh sách."),
        },
    )
    commune = CommuneChoiceField(label=_("Xã/phường"))
    guardian_name = OneLineField(label=_("Họ tên người giám hộ"), max_length=100, required=False)
    guardian_relationship = OneLineField(
        label=_("Quan hệ với người học"),
        max_length=50,
        required=False,
        help_text=_("Ví dụ: bố, mẹ, ông, bà."),
    )
    guardian_phone = forms.CharField(
        label=_("Số điện thoại người giám hộ"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    guardian_consent = forms.BooleanField(
        label=_(
            "Người giám hộ đồng ý cho người học dưới 16 tuổi dùng nền tảng và cho phép xử lý dữ liệu cá nhân."
        ),
        required=False,
    )

    class Meta:
        model = Profile
        fields = [
            "full_name",
            "birth_year",
            "gender",
            "province",
            "commune",
            "learner_group",
            "guardian_name",
            "guardian_relationship",
            "guardian_phone",
        ]
        labels = {"gender": _("Giới tính (không bắt buộc)"), "learner_group": _("Bạn là")}
        error_messages = {
            "learner_group": {"required": _("Vui lòng chọn bạn thuộc nhóm nào.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = [
            ("", _("— Không muốn nói —")),
            *self.fields["gender"].choices[1:],
        ]
        self.fields["learner_group"].choices = [
            ("", _("— Chọn nhóm —")),
            *self.fields["learner_group"].choices[1:],
        ]
        if self.instance.pk and self.instance.guardian_consent_at:
            self.fields["guardian_consent"].initial = True
        self._offer_communes_of(self._chosen_province_code())

    def _chosen_province_code(self) -> int | None:
        raw = self.data.get(self.add_prefix("province")) if self.is_bound else None
        if raw is None:
            raw = self.initial.get("province") or (self.instance.province_id if self.instance.pk else None)
        if isinstance(raw, Province):
            return raw.pk
        try:
            return int(raw) if raw not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def _offer_communes_of(self, province_code: int | None) -> None:
        field = self.fields["commune"]
        field.widget.attrs["data-placeholder"] = str(field.empty_label)
        if province_code is None:
            field.widget.choices = [("", _("— Chọn tỉnh/thành phố trước —"))]
            return
        communes = Commune.objects.filter(province_id=province_code).values_list("code", "name")
        field.widget.choices = [("", field.empty_label), *communes]

    def clean_birth_year(self) -> int:
        year = self.cleaned_data["birth_year"]
        if not (_oldest_birth_year() <= year <= _youngest_birth_year()):
            raise ValidationError(
                _("Năm sinh cần nằm trong khoảng %(low)s đến %(high)s."),
                code="range",
                params={"low": _oldest_birth_year(), "high": _youngest_birth_year()},
            )
        return year

    def clean_guardian_phone(self) -> str:
        raw = self.cleaned_data.get("guardian_phone", "").strip()
        return clean_phone(raw) if raw else ""

    def clean(self):
        cleaned = super().clean()
        province, commune = cleaned.get("province"), cleaned.get("commune")
        if province and commune and commune.province_id != province.pk:
            self.add_error(
                "commune",
                ValidationError(
                    _("Xã/phường %(commune)s không thuộc %(province)s. Vui lòng chọn lại."),
                    code="commune_outside_province",
                    params={"commune": commune.name, "province": province.name},
                ),
            )
        year = cleaned.get("birth_year")
        if year and may_be_under_guardian_age(year):
            self._require_guardian(cleaned)
        return cleaned

    def _require_guardian(self, cleaned) -> None:
        if not cleaned.get("guardian_name", "").strip():
            self.add_error("guardian_name", _("Người học dưới 16 tuổi cần ghi họ tên người giám hộ."))
        if not cleaned.get("guardian_relationship", "").strip():
            self.add_error(
                "guardian_relationship", _("Vui lòng ghi quan hệ của người giám hộ với người học.")
            )
        if not cleaned.get("guardian_phone") and "guardian_phone" not in self.errors:
            self.add_error("guardian_phone", _("Vui lòng nhập số điện thoại của người giám hộ."))
        if not cleaned.get("guardian_consent"):
            self.add_error(
                "guardian_consent",
                _("Cần có sự đồng ý của người giám hộ cho người học dưới 16 tuổi."),
            )

    def guardian_fields(self) -> dict:
        data = self.cleaned_data
        if not may_be_under_guardian_age(data["birth_year"]):
            return {
                "guardian_name": "",
                "guardian_relationship": "",
                "guardian_phone": "",
                "guardian_consent_at": None,
            }
        return {
            "guardian_name": data["guardian_name"].strip(),
            "guardian_relationship": data["guardian_relationship"].strip(),
            "guardian_phone": data["guardian_phone"],
        }


class AccountFieldsMixin:
    """Phone and e-mail, shared by registration and profile editing."""

    def clean_phone(self) -> str | None:
        raw = self.cleaned_data.get("phone", "").strip()
        if not raw:
            return None
        phone = clean_phone(raw)
        others = get_user_model().objects.filter(phone=phone)
        if self.account_pk is not None:
            others = others.exclude(pk=self.account_pk)
        if others.exists():
            raise ValidationError(
                _("Số điện thoại này đã được dùng cho một tài khoản khác. Nếu là của bạn, hãy đăng nhập."),
                code="phone_taken",
            )
        return phone


class RegistrationForm(AccountFieldsMixin, ProfileFieldsForm):
    account_pk = None

    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        help_text=_("Dùng để đăng nhập. Nếu không có, hãy chọn tên đăng nhập bên dưới."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    username = forms.CharField(
        label=_("Tên đăng nhập (nếu không dùng số điện thoại)"),
        max_length=30,
        required=False,
        help_text=USERNAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        label=_("Email (không bắt buộc)"),
        required=False,
        help_text=_("Có email thì bạn tự lấy lại được mật khẩu khi quên."),
        error_messages={"invalid": _("Email chưa đúng, ví dụ đúng: ten@gmail.com.")},
    )
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Ít nhất 8 ký tự, không chỉ gồm chữ số."),
        error_messages={"required": _("Vui lòng đặt mật khẩu.")},
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Vui lòng nhập lại mật khẩu.")},
    )
    consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý để nền tảng lưu và xử lý thông tin cá nhân trên đây nhằm tổ chức học tập "
            "và cấp chứng nhận."
        ),
        required=True,
        error_messages={"required": _("Bạn cần đồng ý cho xử lý dữ liệu cá nhân thì mới đăng ký được.")},
    )

    field_order = [
        "full_name",
        "phone",
        "username",
        "email",
        "password1",
        "password2",
        "birth_year",
        "gender",
        "province",
        "commune",
        "learner_group",
        "guardian_name",
        "guardian_relationship",
        "guardian_phone",
        "guardian_consent",
        "consent",
    ]

    def clean_username(self) -> str:
        username = self.cleaned_data.get("username", "").strip()
        if not username:
            return ""
        validate_username(username)
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(
                _("Tên đăng nhập này đã có người dùng. Hãy chọn tên khác."), code="username_taken"
            )
        return username

    def clean(self):
        cleaned = super().clean()
        missing_login = not cleaned.get("phone") and not cleaned.get("username")
        if missing_login and "phone" not in self.errors and "username" not in self.errors:
            self.add_error(
                "phone",
                _("Vui lòng nhập số điện thoại, hoặc chọn một tên đăng nhập nếu bạn không có điện thoại."),
            )
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Hai lần nhập mật khẩu không giống nhau."))
        elif password1:
            probe = get_user_model()(
                username=cleaned.get("username") or cleaned.get("phone") or "",
                first_name=cleaned.get("full_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                password_validation.validate_password(password1, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(AccountFieldsMixin, ProfileFieldsForm):
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email (không bắt buộc)"),
        required=False,
        error_messages={"invalid": _("Email chưa đúng, ví dụ đúng: ten@gmail.com.")},
    )

    field_order = [
        "full_name",
        "phone",
        "email",
        *ProfileFieldsForm.Meta.fields,
        "guardian_consent",
    ]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        self.account_pk = user.pk
        super().__init__(*args, **kwargs)
        self.fields["phone"].initial = user.phone
        self.fields["email"].initial = user.email

    def clean(self):
        cleaned = super().clean()
        username_is_old_phone = self.user.username == self.user.phone
        if not cleaned.get("phone") and "phone" not in self.errors and username_is_old_phone:
            self.add_error(
                "phone",
                _("Bạn đăng nhập bằng số điện thoại nên không thể bỏ trống. Hãy nhập số mới nếu đã đổi số."),
            )
        return cleaned


class LoginForm(AuthenticationForm):
    """Password login by phone or username, throttled per account and address."""

    username = forms.CharField(
        label=_("Số điện thoại hoặc tên đăng nhập"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    error_messages = {
        "invalid_login": _(
            "Số điện thoại/tên đăng nhập hoặc mật khẩu chưa đúng. Hãy kiểm tra lại, chú ý chữ hoa và chữ thường."
        ),
        "inactive": _("Tài khoản này đang bị khoá. Hãy liên hệ tổ công nghệ số cộng đồng."),
        "throttled": _(
            "Bạn đã nhập sai nhiều lần. Để bảo vệ tài khoản, hãy thử lại sau %(minutes)s phút, "
            "hoặc bấm “Quên mật khẩu”."
        ),
    }

    locked_out = False

    def clean(self):
        login = self.cleaned_data.get("username", "")
        password = self.cleaned_data.get("password")
        if not login or not password:
            return super().clean()
        ip = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        account = find_user_by_login(login)
        account_key = f"user:{account.pk}" if account else f"login:{login.strip().lower()}"
        lockout = throttle.check_login_allowed(account_key, ip)
        if lockout:
            self.locked_out = True
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": max(1, -(-lockout.retry_after_seconds // 60))},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.record_login_failure(account_key, ip)
            raise
        throttle.clear_account_failures(account_key, ip)
        return cleaned


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Nhập mật khẩu để xác nhận"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Vui lòng nhập mật khẩu để xác nhận.")},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("Mật khẩu chưa đúng, tài khoản chưa bị xoá."), code="wrong_password")
        return password
