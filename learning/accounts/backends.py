from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .phones import looks_like_phone, normalize_phone


def find_user_by_login(login: str):
    """The account a login name refers to: a phone number or a username (any case)."""
    User = get_user_model()
    login = (login or "").strip()
    if not login:
        return None
    if looks_like_phone(login):
        phone = normalize_phone(login)
        user = User.objects.filter(phone=phone).first() if phone else None
        if user is not None:
            return user
    return User.objects.filter(username__iexact=login).first()


class UsernameOrPhoneBackend(ModelBackend):
    """Authenticate with a username or a Vietnamese phone number and a password."""

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_user_by_login(username)
        if user is None:
            # Spend the same time as a real check so timing does not reveal accounts.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
