"""Officials' second factor: a TOTP code from an authenticator app after the password.

Everyone who may enter the Wagtail admin must pass it; learners never meet it.
"""

import base64
import math

import segno
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from learning.models import User

DEVICE_NAME = "Ứng dụng xác thực"


def needs_second_factor(user) -> bool:
    """True for a signed-in user who may use the admin but has not passed the second factor."""
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin") and not user.is_verified()


def get_confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def get_or_create_pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device an official is enrolling; one at a time, reused on reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def seconds_until_next_try(device: TOTPDevice) -> int:
    """0 when a code may be tried now; django-otp doubles the wait after each wrong code."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return 0
    locked_until = (details or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, math.ceil((locked_until - timezone.now()).total_seconds()))


def check_code(request: HttpRequest, device: TOTPDevice, code: str) -> bool:
    """Verify a code (throttled by django-otp); on success confirm the device and mark the session."""
    code = "".join(ch for ch in code if ch.isdigit())
    if not code or not device.verify_token(code):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    otp_login(request, device)
    return True


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def provisioning_uri(device: TOTPDevice) -> str:
    return device.config_url


def qr_svg_data_uri(device: TOTPDevice) -> str:
    return segno.make(provisioning_uri(device), error="m").svg_data_uri(scale=5, border=2)


def issuer() -> str:
    return settings.OTP_TOTP_ISSUER
