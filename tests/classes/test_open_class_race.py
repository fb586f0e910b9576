"""Two taps on "Mở lớp" sent at the same instant open one class."""

import datetime

import pytest

from learning import classes
from learning.models import LearningClass
from tests.classes.conftest import make_facilitator
from tests.concurrency import all_at_once
from tests.factories import any_commune

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TAPS = 6


def test_simultaneous_taps_open_one_class():
    facilitator = make_facilitator()
    commune = any_commune()

    def tap():
        return classes.open_class(
            facilitator,
            name="Lớp dịch vụ công thôn 5",
            place="Nhà văn hoá thôn 5",
            province=commune.province,
            commune=commune,
            meets_on=datetime.date(2025, 9, 1),
        ).pk

    opened, errors = all_at_once(tap, TAPS)

    assert errors == []
    assert len(set(opened)) == 1 and len(opened) == TAPS
    assert LearningClass.objects.count() == 1
