import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from learning import classes
from learning.models import ClassMembership, LearningClass, User
from learning.roles import FACILITATORS
from tests.factories import ProfileFactory, any_commune


def make_facilitator(**kwargs) -> User:
    user = ProfileFactory(full_name="Nguyễn Thị Hướng Dẫn", **kwargs).user
    user.groups.add(Group.objects.get(name=FACILITATORS))
    return User.objects.get(pk=user.pk)  # a fresh object: no cached permissions


def open_class_for(facilitator: User, name: str = "Lớp dịch vụ công thôn 3") -> LearningClass:
    commune = any_commune()
    return classes.open_class(
        facilitator,
        name=name,
        place="Nhà văn hoá thôn 3",
        province=commune.province,
        commune=commune,
        meets_on=datetime.date(2025, 8, 15),
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def facilitator(db) -> User:
    return make_facilitator()


@pytest.fixture
def facilitator_client(facilitator) -> Client:
    return signed_in(facilitator)


@pytest.fixture
def learning_class(facilitator) -> LearningClass:
    return open_class_for(facilitator)


@pytest.fixture
def membership(learning_class, learner) -> ClassMembership:
    return classes.join_class(learner, learning_class.join_code)[0]


@pytest.fixture
def other_facilitator(db) -> User:
    return make_facilitator()


@pytest.fixture
def other_client(other_facilitator) -> Client:
    return signed_in(other_facilitator)
