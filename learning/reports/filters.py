"""What a report is about: place, learner group, age band, course and period, within the
official's scope. The form reads them from the query string; a scoped programme manager's province
is fixed whatever the URL says."""

import datetime
from dataclasses import dataclass, fields
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.choices import LearnerGroup

# Dates a report may ask for (the platform started in 2025; this keeps date arithmetic in range).
FIRST_YEAR, LAST_YEAR = 2000, 2100

# Age bands (years reached this calendar year); 50+ is the movement's priority group.
AGE_BANDS: list[tuple[str, str, int, int | None]] = [
    ("duoi-18", _("Dưới 18 tuổi"), 0, 17),
    ("18-34", _("18–34 tuổi"), 18, 34),
    ("35-49", _("35–49 tuổi"), 35, 49),
    ("50-59", _("50–59 tuổi"), 50, 59),
    ("60-tro-len", _("Từ 60 tuổi"), 60, None),
]


def age_band_expression(year: int, field: str = "birth_year") -> Case:
    """The age band of a profile as an SQL expression (for grouping)."""
    whens = [
        When(
            **{
                f"{field}__gte": year - (oldest if oldest is not None else 200),
                f"{field}__lte": year - youngest,
            },
            then=Value(key),
        )
        for key, _label, youngest, oldest in AGE_BANDS
    ]
    return Case(*whens, default=Value(AGE_BANDS[-1][0]))


@dataclass(frozen=True)
class ReportFilters:
    province_id: int | None = None
    commune_id: int | None = None
    learner_group: str = ""
    age_band: str = ""
    course_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def profile_q(self, prefix: str = "", year: int | None = None) -> Q:
        """The learners the report is about, as a filter on Profile (or through ``prefix``)."""
        q = Q()
        if self.province_id is not None:
            q &= Q(**{f"{prefix}province_id": self.province_id})
        if self.commune_id is not None:
            q &= Q(**{f"{prefix}commune_id": self.commune_id})
        if self.learner_group:
            q &= Q(**{f"{prefix}learner_group": self.learner_group})
        if self.age_band:
            year = year or timezone.localdate().year
            for key, _label, youngest, oldest in AGE_BANDS:
                if key == self.age_band:
                    q &= Q(**{f"{prefix}birth_year__lte": year - youngest})
                    if oldest is not None:
                        q &= Q(**{f"{prefix}birth_year__gte": year - oldest})
        return q

    def period_q(self, field: str) -> Q:
        """The period as a filter on a datetime field: whole local days, both ends included."""
        tz = timezone.get_current_timezone()
        q = Q()
        if self.date_from:
            q &= Q(**{f"{field}__gte": _start_of(self.date_from, tz)})
        if self.date_to:
            q &= Q(**{f"{field}__lt": _start_of(self.date_to + datetime.timedelta(days=1), tz)})
        return q

    def as_params(self) -> dict[str, str]:
        """The query string that asks for these filters again (links to exports)."""
        names = {"province_id": "province", "commune_id": "commune", "course_id": "course"}
        params = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value not in (None, ""):
                params[names.get(field.name, field.name)] = (
                    value.isoformat() if isinstance(value, datetime.date) else str(value)
                )
        return params


def _start_of(day: datetime.date, tz: ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


class ReportFilterForm(forms.Form):
    province = forms.TypedChoiceField(label=_("Tỉnh/thành phố"), coerce=int, required=False, empty_value=None)
    commune = forms.TypedChoiceField(label=_("Xã/phường"), coerce=int, required=False, empty_value=None)
    learner_group = forms.ChoiceField(label=_("Đối tượng"), required=False)
    age_band = forms.ChoiceField(label=_("Độ tuổi"), required=False)
    course = forms.TypedChoiceField(label=_("Khoá học"), coerce=int, required=False, empty_value=None)
    date_from = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(
        self,
        data=None,
        *,
        scope_province_id: int | None,
        provinces: list[tuple[int, str]],
        communes: list[tuple[int, str]],
        courses: list[tuple[int, str]],
        with_course: bool = True,
    ):
        super().__init__(data)
        self.scope_province_id = scope_province_id
        everywhere = [] if scope_province_id is not None else [("", _("Cả nước"))]
        self.fields["province"].choices = everywhere + [
            (code, name) for code, name in provinces if scope_province_id in (None, code)
        ]
        self.fields["commune"].choices = [("", _("Tất cả xã/phường")), *communes]
        self.fields["learner_group"].choices = [("", _("Tất cả đối tượng")), *LearnerGroup.choices]
        self.fields["age_band"].choices = [("", _("Mọi độ tuổi"))] + [
            (key, label) for key, label, *_ in AGE_BANDS
        ]
        if with_course:
            self.fields["course"].choices = [("", _("Tất cả khoá học")), *courses]
        else:
            del self.fields["course"]
        if scope_province_id is not None:
            self.fields["province"].help_text = _("Bạn được xem báo cáo của tỉnh/thành này.")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        for name, day in (("date_from", start), ("date_to", end)):
            if day is not None and not (FIRST_YEAR <= day.year <= LAST_YEAR):
                self.add_error(
                    name,
                    _("Hãy chọn một ngày từ năm %(first)s đến năm %(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
                start = end = None
        if start and end and start > end:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        if data.get("commune") is not None and data.get("province") is None:
            self.add_error("commune", _("Hãy chọn tỉnh/thành trước khi chọn xã/phường."))
        return data

    def filters(self) -> ReportFilters:
        """The filters asked for when valid, else the default: everything within the scope."""
        if not self.is_bound or not self.is_valid():
            return ReportFilters(province_id=self.scope_province_id)
        data = self.cleaned_data
        province = data["province"] if self.scope_province_id is None else self.scope_province_id
        return ReportFilters(
            province_id=province,
            commune_id=data["commune"],
            learner_group=data["learner_group"],
            age_band=data["age_band"],
            course_id=data.get("course"),
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


def requested_province(data, scope_province_id: int | None) -> int | None:
    """The province whose communes the form should offer, before the form is validated."""
    if scope_province_id is not None:
        return scope_province_id
    try:
        return int(data.get("province") or "") if data else None
    except ValueError:
        return None
