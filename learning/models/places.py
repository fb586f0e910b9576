"""Provinces and communes of the two-tier local government in force since 1/7/2025."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.PositiveSmallIntegerField(_("mã tỉnh"), primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tỉnh/thành phố")
        verbose_name_plural = _("tỉnh/thành phố")

    def __str__(self) -> str:
        return self.name

    @property
    def official_code(self) -> str:
        return f"{self.code:02d}"


class Commune(models.Model):
    code = models.PositiveIntegerField(_("mã xã"), primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="communes",
        verbose_name=_("tỉnh/thành phố"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("xã/phường")
        verbose_name_plural = _("xã/phường")

    def __str__(self) -> str:
        return self.name

    @property
    def official_code(self) -> str:
        return f"{self.code:05d}"
