"""A learner's run through a sandbox scenario: start or resume, check a step, advance, restart.

The checking itself is pure (``courses.sandboxes``); this module keeps the run's state, records
mistakes, hints and time per step, issues dossier codes, and says when a run is completed. A
step is advanced with a conditional UPDATE on the step number, so a replayed or doubled POST
never advances twice; a run resumes from the database on any device.
"""

import json
import random
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from courses.models import Scenario
from courses.sandboxes import status
from courses.sandboxes.identity import without_real_looking_ids
from courses.sandboxes.kinds import REGISTRY
from courses.sandboxes.personas import Persona, make_persona, persona_from
from courses.sandboxes.steps import Outcome, StepKind, plain
from learning.models import Commune, Dossier, Profile, Province, RunState, SandboxRun, StepRecord, User
from learning.notifications import refresh_timers
from learning.prepared import PreparedRead
from learning.signals import sandbox_run_completed

_system_random = random.SystemRandom()


class StepOutOfDate(Exception):
    """The POST names a step that is not the run's current one (a replay, another device)."""


@dataclass(frozen=True)
class CurrentStep:
    index: int
    kind: StepKind
    settings: dict


_profile_of = PreparedRead(
    lambda learner: Profile.objects.select_related("province").filter(user_id=learner)[:1], learner=int
)
_communes_of = PreparedRead(
    lambda province: Commune.objects.filter(province_id=province).values_list("code", "name"), province=int
)
_run_in_progress = PreparedRead(
    lambda learner, scenario: SandboxRun.objects.filter(
        learner_id=learner, scenario_id=scenario, state=RunState.IN_PROGRESS
    )[:1],
    learner=int,
    scenario=int,
)
_latest_dossier = PreparedRead(
    lambda run: Dossier.objects.filter(run_id=run).order_by("-submitted_at", "-pk")[:1], run=int
)
# Every socket handshake asks (learning/consumers.py).
_dossiers_in_progress = PreparedRead(
    lambda learner: Dossier.objects.filter(
        run__learner_id=learner, run__state=RunState.IN_PROGRESS
    ).select_related("run"),
    learner=int,
)
_counters_of = PreparedRead(
    lambda run: SandboxRun.objects.filter(pk=run).values_list("mistakes", "hints_shown")[:1], run=int
)
_step_seen = PreparedRead(
    lambda run, index: StepRecord.objects.filter(run_id=run, step_index=index).values_list("pk", flat=True)[
        :1
    ],
    run=int,
    index=int,
)


def _place_for(learner: User, rng: random.Random) -> tuple[tuple[int, str], tuple[int, str]]:
    """A real province and commune for the persona: the learner's own province when known."""
    profile = _profile_of.first(learner=learner.pk)
    province = profile.province if profile else Province.objects.order_by("code").first()
    communes = _communes_of.all(province=province.code)
    return (province.code, province.name), rng.choice(communes)


def start_run(learner: User, scenario: Scenario, *, rng: random.Random | None = None) -> SandboxRun:
    """The learner's run in progress, or a new one with a new persona."""
    existing = _run_in_progress.first(learner=learner.pk, scenario=scenario.pk)
    if existing:
        return existing
    rng = rng or _system_random
    province, commune = _place_for(learner, rng)
    persona = make_persona(rng, province=province, commune=commune, level=scenario.persona_level)
    try:
        with transaction.atomic():
            return SandboxRun.objects.create(
                learner=learner,
                scenario=scenario,
                persona=persona.as_dict(),
                steps=list(scenario.steps.raw_data),
            )
    except IntegrityError:  # a double tap: the other request created it
        return SandboxRun.objects.get(learner=learner, scenario=scenario, state=RunState.IN_PROGRESS)


def restart_run(run: SandboxRun) -> SandboxRun:
    """Start again from scratch with a new persona; the old run is kept as abandoned."""
    SandboxRun.objects.filter(pk=run.pk, state=RunState.IN_PROGRESS).update(state=RunState.ABANDONED)
    return start_run(run.learner, run.scenario)


def persona_of(run: SandboxRun) -> Persona:
    return persona_from(run.persona)


def step_at(run: SandboxRun, index: int) -> CurrentStep:
    """The run's step at ``index``, read once per run object: a run's steps are a copy of the
    scenario's taken when it started, and never change."""
    parsed = run.__dict__.setdefault("_parsed_steps", {})
    if index not in parsed:
        raw = run.steps[index]
        block = Scenario._meta.get_field("steps").stream_block.child_blocks[raw["type"]]
        parsed[index] = CurrentStep(
            index=index, kind=REGISTRY[raw["type"]], settings=plain(block.to_python(raw["value"]))
        )
    return parsed[index]


def current_step(run: SandboxRun) -> CurrentStep | None:
    if not run.is_in_progress or run.step_index >= len(run.steps):
        return None
    return step_at(run, run.step_index)


def latest_dossier(run: SandboxRun) -> Dossier | None:
    """The run's latest dossier, read once per run object (one request): submit_step keeps it
    up to date when the step files or supplements one."""
    if "_latest_dossier" not in run.__dict__:
        run._latest_dossier = _latest_dossier.first(run=run.pk)
    return run._latest_dossier


def checker_state(run: SandboxRun, index: int, now: datetime) -> dict:
    dossier = latest_dossier(run)
    return {
        **run.kept.get(str(index), {}),
        "step_index": index,
        "today": timezone.localdate(now),
        "now": now,
        "dossier": {
            "code": dossier.code,
            "submitted_at": dossier.submitted_at,
            "supplemented_at": dossier.supplemented_at,
        }
        if dossier
        else None,
        "timeline": status_timeline(run),
    }


def status_timeline(run: SandboxRun) -> list[dict]:
    """The dossier's time line: the first status-tracking step that sets one, as plain settings."""
    for index, raw in enumerate(run.steps):
        if raw["type"] == "track_status" and raw["value"].get("timeline"):
            return step_at(run, index).settings["timeline"]
    return []


def dossier_history(run: SandboxRun, now: datetime | None = None) -> list[status.Change]:
    dossier = latest_dossier(run)
    if dossier is None:
        return []
    return status.history(
        status_timeline(run), dossier.submitted_at, now or timezone.now(), dossier.supplemented_at
    )


def upcoming_status_changes(
    learner_id: int, now: datetime | None = None
) -> list[tuple[datetime, str, str, int]]:
    """(when, dossier code, new status, run id) still to come for the learner's runs in progress."""
    now = now or timezone.now()
    result = []
    for dossier in _dossiers_in_progress.all(learner=learner_id):
        timeline = status_timeline(dossier.run)
        for change in status.upcoming(timeline, dossier.submitted_at, now, dossier.supplemented_at):
            result.append((change.at, dossier.code, change.status, dossier.run_id))
    return sorted(result)


def see_step(run: SandboxRun, step: CurrentStep, now: datetime | None = None) -> None:
    """Note when the learner first saw a step (time per step)."""
    if _step_seen.first(run=run.pk, index=step.index) is not None:
        return
    try:
        with transaction.atomic():
            StepRecord.objects.create(
                run=run, step_index=step.index, kind=step.kind.name, first_seen_at=now or timezone.now()
            )
    except IntegrityError:  # another request (a second tab) noted it first: its time stands
        pass


def submit_step(
    run: SandboxRun, step_index: int, data, *, now: datetime | None = None, uploads: dict | None = None
) -> Outcome:
    """Check what the learner sent for the current step and advance when it is done.

    Raises StepOutOfDate when ``step_index`` is not the current step: nothing changes.
    """
    now = now or timezone.now()
    step = current_step(run)
    if step is None or step.index != step_index:
        raise StepOutOfDate
    state = {**checker_state(run, step.index, now), "uploads": uploads or {}}
    outcome = step.kind.check(step.settings, data, persona_of(run), state)
    hints = len(outcome.hints) + len(outcome.errors)
    with transaction.atomic():
        see_step(run, step, now)
        keep = without_real_looking_ids(outcome.keep)
        kept = {**run.kept, str(step.index): {**run.kept.get(str(step.index), {}), **keep}}
        changes = {"kept": kept, "updated_at": now}
        if outcome.is_mistake:
            changes["mistakes"] = F("mistakes") + 1
        if hints:
            changes["hints_shown"] = F("hints_shown") + hints
        if outcome.done:
            changes["step_index"] = step.index + 1
            if step.index + 1 >= len(run.steps):
                changes.update(state=RunState.COMPLETED, completed_at=now)
        updated = SandboxRun.objects.filter(
            pk=run.pk, state=RunState.IN_PROGRESS, step_index=step.index
        ).update(**changes)
        if not updated:
            raise StepOutOfDate
        StepRecord.objects.filter(run=run, step_index=step.index).update(
            mistakes=F("mistakes") + int(outcome.is_mistake),
            hints_shown=F("hints_shown") + hints,
            **({"completed_at": now} if outcome.done else {}),
        )
        if outcome.done and step.kind.creates_dossier:
            run._latest_dossier = file_dossier(run, step.settings["agency_code"], now)
        if outcome.done and step.kind.supplements_dossier:
            Dossier.objects.filter(pk=latest_dossier(run).pk, supplemented_at__isnull=True).update(
                supplemented_at=now
            )
            del run._latest_dossier  # read again, with the time the database kept
        if outcome.done and (step.kind.creates_dossier or step.kind.supplements_dossier):
            learner_id = run.learner_id
            transaction.on_commit(lambda: refresh_timers(learner_id))
        if changes.get("state") == RunState.COMPLETED:
            learner = run.learner
            transaction.on_commit(
                lambda: sandbox_run_completed.send(sender=SandboxRun, run=run, learner=learner)
            )
    # The run object now says what the database does, without loading it (or its scenario) again:
    # the plain values as they were written (kept as JSON gives it back: tuples become lists);
    # the counters, added to in the database, are read back.
    for field, value in changes.items():
        if not hasattr(value, "resolve_expression"):
            setattr(run, field, json.loads(json.dumps(value)) if field == "kept" else value)
    if any(field in changes for field in ("mistakes", "hints_shown")):
        run.mistakes, run.hints_shown = _counters_of.first(run=run.pk)
    return outcome


def file_dossier(run: SandboxRun, agency_code: str, now: datetime) -> Dossier:
    """Give the run's new dossier the next code of the day for that agency (unique per run)."""
    day = timezone.localdate(now)
    for _attempt in range(3):
        last = Dossier.objects.filter(run=run, agency_code=agency_code, received_on=day).aggregate(
            n=Max("sequence")
        )
        try:
            with transaction.atomic():
                return Dossier.objects.create(
                    run=run,
                    agency_code=agency_code,
                    received_on=day,
                    sequence=(last["n"] or 0) + 1,
                    submitted_at=now,
                )
        except IntegrityError:
            continue
    raise IntegrityError("could not number the dossier")
