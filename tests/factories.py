import factory
from django.utils import timezone

from learning.models import Commune, LearnerGroup, Profile, User

PASSWORD = "mat-khau-an-toan-2025"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"hocvien{n}")
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def any_commune() -> Commune:
    return Commune.objects.select_related("province").get(name="Phường Hoàn Kiếm")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    full_name = "Trần Văn Bình"
    birth_year = 1960
    commune = factory.LazyFunction(any_commune)
    province = factory.LazyAttribute(lambda o: o.commune.province)
    learner_group = LearnerGroup.CITIZEN
    consent_at = factory.LazyFunction(timezone.now)
