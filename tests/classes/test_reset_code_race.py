"""Several phones using the same reset code at the same instant: exactly one succeeds."""

import itertools

import pytest

from learning import classes
from learning.models import PasswordResetCode
from tests.classes.conftest import make_facilitator, open_class_for
from tests.concurrency import all_at_once
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
REQUESTS = 8


def test_simultaneous_uses_of_one_code_let_exactly_one_through():
    facilitator = make_facilitator()
    learner = ProfileFactory().user
    membership = classes.join_class(learner, open_class_for(facilitator).join_code)[0]
    code = classes.issue_reset_code(facilitator, membership)
    numbers = itertools.count()

    def use():
        password = f"Mat-khau-moi-{next(numbers)}-2025"
        classes.reset_password_with_code(learner.phone, code, password)
        return password

    winners, errors = all_at_once(use, REQUESTS)

    assert len(winners) == 1
    assert len(errors) == REQUESTS - 1
    assert all(isinstance(error, classes.ResetCodeRefused) for error in errors), errors
    learner.refresh_from_db()
    assert learner.check_password(winners[0])
    assert PasswordResetCode.objects.get().used_at is not None
