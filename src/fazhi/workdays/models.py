"""The admin-edited part of the working-day calendar: years the chinese-calendar package does not know."""

from django.db import models
from django.utils import timezone


class CalendarYear(models.Model):
    """A year whose State Council schedule an admin has entered; marks results in that year confirmed."""

    year = models.PositiveIntegerField("年份", unique=True)
    source = models.CharField("依据", max_length=200, help_text="例：国办发明电〔2026〕号")
    confirmed = models.BooleanField("已确认", default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year"]
        verbose_name = verbose_name_plural = "日历年度"

    def __str__(self) -> str:
        return str(self.year)


class CalendarOverride(models.Model):
    """One day whose status differs from the plain rule: a holiday on a weekday or a working weekend."""

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("是否工作日")
    name = models.CharField("名称", max_length=50, help_text="例：春节、国庆节调休上班")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "节假日调整"

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_working_day else '休息'} {self.name}"
