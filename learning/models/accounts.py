"""Accounts: a login (username or phone) and the learner's profile."""

import datetime

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.choices import LearnerGroup

from .places import Commune, Province

# Bumped whenever the wording of the personal-data consent changes.
CONSENT_VERSION = "2025-07"
# Decree 13/2023: processing the data of a child under 16 needs a guardian's consent.
GUARDIAN_CONSENT_BELOW_AGE = 16


class User(AbstractUser):
    """A person who signs in: learner, facilitator or official.

    Older learners often have no e-mail, so a Vietnamese phone number (stored as ten digits
    starting with 0) is a login of its own. Learners who register with a phone only get
    that number as their username; chosen usernames must start with a letter, so the two
    never collide.
    """

    phone = models.CharField(_("số điện thoại"), max_length=10, unique=True, null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]

    def display_name(self) -> str:
        profile = getattr(self, "profile", None)
        if profile is not None and profile.full_name:
            return profile.full_name
        return self.get_full_name() or self.username


class Gender(models.TextChoices):
    FEMALE = "nu", _("Nữ")
    MALE = "nam", _("Nam")
    OTHER = "khac", _("Khác")


class Profile(models.Model):
    """What a learner tells us about themselves; the full name is printed on certificates."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    full_name = models.CharField(_("họ và tên"), max_length=100)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"))
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh/thành phố")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường")
    )
    learner_group = models.CharField(_("đối tượng"), max_length=32, choices=LearnerGroup.choices)
    consent_at = models.DateTimeField(_("đồng ý xử lý dữ liệu lúc"))
    consent_version = models.CharField(max_length=16, default=CONSENT_VERSION)
    guardian_name = models.CharField(_("họ tên người giám hộ"), max_length=100, blank=True)
    guardian_relationship = models.CharField(_("quan hệ"), max_length=50, blank=True)
    guardian_phone = models.CharField(_("điện thoại người giám hộ"), max_length=10, blank=True)
    guardian_consent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ người học")
        verbose_name_plural = _("hồ sơ người học")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_year__gte=1900), name="profile_birth_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def age(self, today: datetime.date | None = None) -> int:
        year = (today or timezone.localdate()).year
        return year - self.birth_year

    @property
    def is_minor(self) -> bool:
        return self.age() < GUARDIAN_CONSENT_BELOW_AGE
