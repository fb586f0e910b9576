from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from learning import kept

from .phones import looks_like_phone, normalize_phone

# How long a signed-in account is kept in the shared cache. Saving or deleting it, or changing
# any group or permission, makes the kept copy stale at once (learning.apps.connect_kept_values); the
# limit only bounds what a write around the model (QuerySet.update) could leave.
ACCOUNT_KEPT_SECONDS = 3600
PERMISSIONS_STAMP = "kept:permissions"


def account_token(user_id) -> str:
    return f"kept:account:{user_id}:token"


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

    def get_user(self, user_id):
        """The signed-in account on every request, with its permissions worked out, kept in the
        shared cache (learning.kept) instead of one to three queries per request."""

        def load():
            user = super(UsernameOrPhoneBackend, self).get_user(user_id)
            if user is not None:
                self.get_all_permissions(user)  # kept with it, so has_perm asks nothing
            return user

        tokens = [account_token(user_id), PERMISSIONS_STAMP]
        return kept.fetch(f"kept:account:{user_id}", tokens, load, ACCOUNT_KEPT_SECONDS)


def account_changed(user_id) -> None:
    kept.change(account_token(user_id), ACCOUNT_KEPT_SECONDS)


def permissions_changed() -> None:
    kept.change(PERMISSIONS_STAMP, ACCOUNT_KEPT_SECONDS)
