"""Load the Vietnamese demo content. Safe to run again: it updates what is already there."""

import io
import logging

import segno
from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from certificates.demo import complete_demo_course
from courses.demo import load_curriculum
from learning.accounts.second_factor import DEVICE_NAME, provisioning_uri, secret_base32
from learning.demo_learners import load_demo_learners
from learning.models import Commune, LearnerGroup, Profile, User
from learning.models.accounts import CONSENT_VERSION

DEMO_OFFICIAL = {"username": "canbo.demo", "password": "demo-canbo-2025", "name": "Cán bộ Demo"}
DEMO_LEARNER = {"phone": "0912345678", "password": "demo-hocvien-2025", "name": "Nguyễn Thị Mai"}
DEMO_COMMUNE_NAME = "Phường Hoàn Kiếm"


class Command(BaseCommand):
    help = "Tạo nội dung mẫu tiếng Việt (tài khoản cán bộ và người học mẫu). Chạy lại nhiều lần vẫn an toàn."

    def handle(self, *args, **options) -> None:
        if not settings.DEMO_CONTENT_ALLOWED:
            raise CommandError(
                "Demo content publishes known passwords; it is refused in production settings."
            )
        # Wagtail logs every page it creates; the newcomer only needs the summary below.
        logging.getLogger("wagtail").setLevel(logging.WARNING)
        with transaction.atomic():
            official = self._official()
            device = self._second_factor(official)
            learner = self._learner()
            created = load_curriculum()
        # Outside the transaction above: the certificate is issued when the completion commits.
        certificate = complete_demo_course(learner)
        crowd = load_demo_learners()  # synthetic learners for the officials' reports
        for course in created:
            self.stdout.write(f"  Đã tạo khoá học: {course.title}")
        self.stdout.write(self.style.SUCCESS("Nội dung mẫu đã sẵn sàng."))
        self.stdout.write(
            f"  Quản trị (Wagtail): http://127.0.0.1:8000/admin/  "
            f"tên đăng nhập: {official.username}  mật khẩu: {DEMO_OFFICIAL['password']}"
        )
        self.stdout.write(
            f"  Xác thực hai bước:  khoá bí mật TOTP {secret_base32(device)} "
            "(thêm vào Google Authenticator/FreeOTP, hoặc quét mã QR dưới đây)"
        )
        qr = io.StringIO()
        segno.make(provisioning_uri(device), error="l").terminal(out=qr, compact=True, border=1)
        self.stdout.write(qr.getvalue())
        self.stdout.write(
            f"  Người học mẫu:      http://127.0.0.1:8000/dang-nhap/  "
            f"số điện thoại: {learner.phone}  mật khẩu: {DEMO_LEARNER['password']}"
        )
        if certificate is not None:
            self.stdout.write(
                f"  Chứng nhận mẫu:     http://127.0.0.1:8000/chung-nhan/{certificate.token}/  "
                f"mã tra cứu: {certificate.display_code}"
            )
        self.stdout.write(
            f"  Báo cáo (Báo cáo → Tiến độ học tập): {crowd.learners} người học mẫu ở {crowd.provinces} "
            f"tỉnh/thành, {crowd.enrolments} lượt ghi danh, {crowd.completions} lượt hoàn thành, "
            f"{crowd.runs} lượt thực hành"
        )

    def _official(self) -> User:
        user, _ = User.objects.get_or_create(username=DEMO_OFFICIAL["username"])
        user.first_name = DEMO_OFFICIAL["name"]
        user.is_staff = True
        user.is_superuser = True
        user.set_password(DEMO_OFFICIAL["password"])
        user.save()
        return user

    def _second_factor(self, official: User) -> TOTPDevice:
        """Keep the demo official's authenticator secret stable across runs."""
        device = TOTPDevice.objects.filter(user=official, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=official, name=DEVICE_NAME, confirmed=True)
        return device

    def _learner(self) -> User:
        user, _ = User.objects.get_or_create(
            phone=DEMO_LEARNER["phone"], defaults={"username": DEMO_LEARNER["phone"]}
        )
        user.first_name = DEMO_LEARNER["name"]
        user.set_password(DEMO_LEARNER["password"])
        user.save()
        commune = Commune.objects.select_related("province").get(name=DEMO_COMMUNE_NAME)
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "full_name": DEMO_LEARNER["name"],
                "birth_year": 1962,
                "gender": "nu",
                "province": commune.province,
                "commune": commune,
                "learner_group": LearnerGroup.CITIZEN,
                "consent_at": timezone.now(),
                "consent_version": CONSENT_VERSION,
            },
        )
        return user
