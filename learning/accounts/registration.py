"""Creating and changing learner accounts."""

from django.db import transaction
from django.utils import timezone

from learning.models import Profile, User
from learning.models.accounts import CONSENT_VERSION

from .forms import ProfileForm, RegistrationForm


@transaction.atomic
def register_learner(form: RegistrationForm) -> User:
    """Create the account and its profile together, recording consent, or nothing at all."""
    data = form.cleaned_data
    now = timezone.now()
    user = User(
        username=data["username"] or data["phone"],
        phone=data["phone"],
        email=data["email"],
        first_name=data["full_name"][:150],
    )
    user.set_password(data["password1"])
    user.save()
    profile: Profile = form.save(commit=False)
    profile.user = user
    profile.consent_at = now
    profile.consent_version = CONSENT_VERSION
    guardian = form.guardian_fields()
    for name, value in guardian.items():
        setattr(profile, name, value)
    profile.guardian_consent_at = now if guardian.get("guardian_name") else None
    profile.save()
    return user


@transaction.atomic
def update_learner_profile(form: ProfileForm) -> Profile:
    """Save profile edits; a phone number used as the username follows the new number."""
    user, data = form.user, form.cleaned_data
    now = timezone.now()
    if user.username == user.phone and data["phone"]:
        user.username = data["phone"]
    user.phone = data["phone"]
    user.email = data["email"]
    user.first_name = data["full_name"][:150]
    user.save(update_fields=["username", "phone", "email", "first_name"])
    profile: Profile = form.save(commit=False)
    profile.user = user
    if profile.consent_at is None:
        profile.consent_at = now
    guardian = form.guardian_fields()
    had_consent = profile.guardian_consent_at
    for name, value in guardian.items():
        setattr(profile, name, value)
    if guardian.get("guardian_name"):
        profile.guardian_consent_at = had_consent or now
    profile.save()
    return profile
