"""A learner's runs through sandbox scenarios: persona, position, what each step kept, dossiers."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class RunState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Đang làm")
    COMPLETED = "completed", _("Đã xong")
    ABANDONED = "abandoned", _("Đã làm lại từ đầu")


class SandboxRun(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sandbox_runs"
    )
    scenario = models.ForeignKey("courses.Scenario", on_delete=models.CASCADE, related_name="runs")
    state = models.CharField(max_length=12, choices=RunState.choices, default=RunState.IN_PROGRESS)
    persona = models.JSONField()  # synthetic: see courses.sandboxes.personas
    # The scenario's steps as they were when the run started: editing the scenario later does
    # not change a run in progress.
    steps = models.JSONField()
    step_index = models.PositiveSmallIntegerField(default=0)
    kept = models.JSONField(default=dict)  # what each step kept, by step index
    mistakes = models.PositiveIntegerField(default=0)
    hints_shown = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt thực hành")
        verbose_name_plural = _("lượt thực hành")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "scenario"],
                condition=Q(state="in_progress"),
                name="sandbox_one_run_in_progress",
            ),
            models.CheckConstraint(
                condition=~Q(state="completed") | Q(completed_at__isnull=False),
                name="sandbox_completed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.scenario_id} · {self.step_index}"

    @property
    def is_in_progress(self) -> bool:
        return self.state == RunState.IN_PROGRESS


class StepRecord(models.Model):
    """Time, mistakes and hints for one step of one run (for the learner, facilitators and reports)."""

    run = models.ForeignKey(SandboxRun, on_delete=models.CASCADE, related_name="step_records")
    step_index = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=40)
    first_seen_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    mistakes = models.PositiveIntegerField(default=0)
    hints_shown = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "step_index"], name="step_record_once")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.step_index}"


class Dossier(models.Model):
    """A submitted practice dossier. Its code follows the real format, agency-YYMMDD-sequence;
    the sequence counts within the run (a constraint, not a global counter)."""

    run = models.ForeignKey(SandboxRun, on_delete=models.CASCADE, related_name="dossiers")
    agency_code = models.CharField(max_length=30)
    received_on = models.DateField()
    sequence = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField()
    # When the learner added the documents the agency asked for ("Yêu cầu bổ sung hồ sơ"): the
    # rest of the status time line counts from here.
    supplemented_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ thực hành")
        verbose_name_plural = _("hồ sơ thực hành")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "agency_code", "received_on", "sequence"], name="dossier_code_once_per_run"
            ),
            models.CheckConstraint(
                condition=Q(supplemented_at__isnull=True) | Q(supplemented_at__gte=F("submitted_at")),
                name="dossier_supplemented_after_submission",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"{self.agency_code}-{self.received_on:%y%m%d}-{self.sequence:04d}"
