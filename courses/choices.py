"""Shared vocabularies of authored content. Learning imports these; they import nothing."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SkillArea(models.TextChoices):
    """The "5 basic skills" of the movement, plus device basics and finding information."""

    PUBLIC_SERVICES = "dich_vu_cong", _("Dịch vụ công trực tuyến")
    SHOPPING = "mua_sam", _("Mua sắm trực tuyến")
    PAYMENT = "thanh_toan", _("Thanh toán trực tuyến")
    SAFETY = "an_toan", _("Tự bảo vệ trên không gian mạng")
    LOCAL_PLATFORMS = "nen_tang_dia_phuong", _("Nền tảng số địa phương")
    DEVICES = "thiet_bi", _("Sử dụng thiết bị số")
    INFORMATION = "thong_tin", _("Tìm kiếm và khai thác thông tin")


class LearnerGroup(models.TextChoices):
    """The four learner groups of Decision 757/QĐ-BGDĐT."""

    STUDENT = "hoc_sinh_sinh_vien", _("Học sinh, sinh viên")
    CITIZEN = "nguoi_dan", _("Người dân")
    PUBLIC_SERVANT = "can_bo_cong_chuc", _("Cán bộ, công chức, viên chức")
    WORKER = "nguoi_lao_dong", _("Người lao động trong doanh nghiệp")


class Level(models.TextChoices):
    BASIC = "co_ban", _("Cơ bản")
    INTERMEDIATE = "trung_binh", _("Trung bình")


class CalloutStyle(models.TextChoices):
    TIP = "tip", _("Mẹo")
    WARNING = "warning", _("Lưu ý")
    SCAM = "scam", _("Cảnh báo lừa đảo")
