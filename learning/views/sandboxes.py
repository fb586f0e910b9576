"""Sandbox runs as a learner takes them: every step is a plain form POST, checked on the server."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses.models import Scenario
from courses.sandboxes.identity import contains_real_looking_id
from courses.sandboxes.kinds import attach_documents
from courses.sandboxes.steps import Outcome, StepView
from learning import sandbox_receipts, sandboxes
from learning.models import Commune, Province, RunState, SandboxRun
from learning.prepared import PreparedRead
from learning.views.quizzes import too_big

MAX_STEP_BYTES = 16 * 1024


_run_of = PreparedRead(
    lambda run, learner: SandboxRun.objects.select_related("scenario").filter(pk=run, learner_id=learner)[:1],
    run=int,
    learner=int,
)


def own_run(request: HttpRequest, run_id: int) -> SandboxRun:
    run = _run_of.first(run=run_id, learner=request.user.pk)
    if run is None:
        raise Http404
    run.learner = request.user  # it is theirs: not read again when a step needs the learner
    return run


@login_required
@require_GET
def intro(request: HttpRequest, slug: str) -> HttpResponse:
    scenario = get_object_or_404(Scenario, slug=slug)
    runs = list(
        SandboxRun.objects.filter(learner=request.user, scenario=scenario).order_by("-started_at")[:10]
    )
    return TemplateResponse(
        request,
        "learning/sandboxes/intro.html",
        {
            "scenario": scenario,
            "active": next((run for run in runs if run.is_in_progress), None),
            "completed": [run for run in runs if run.state == RunState.COMPLETED],
        },
    )


@login_required
@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    scenario = get_object_or_404(Scenario, slug=slug)
    run = sandboxes.start_run(request.user, scenario)
    return redirect("learning:sandbox_run", run_id=run.pk)


@login_required
@require_POST
def restart(request: HttpRequest, run_id: int) -> HttpResponse:
    run = own_run(request, run_id)
    new = (
        sandboxes.restart_run(run) if run.is_in_progress else sandboxes.start_run(request.user, run.scenario)
    )
    messages.info(request, _("Bắt đầu lại từ đầu, với một nhân vật mới."))
    return redirect("learning:sandbox_run", run_id=new.pk)


def step_context(run: SandboxRun, step: sandboxes.CurrentStep, data, outcome: Outcome | None) -> dict:
    """What one step's template needs: its settings, the persona, what was typed, and the kind's own."""
    persona = sandboxes.persona_of(run)
    kept = run.kept.get(str(step.index), {})
    values = dict(kept.get("values", {}))
    if data is not None:
        # What was typed comes back into the form, except anything that could be a real ID number.
        values.update(
            {
                key: data.get(key)
                for key in data
                if not key.startswith("csrf") and not contains_real_looking_id(data.get(key) or "")
            }
        )
    context = {
        "step_index": step.index,
        "settings": step.settings,
        "persona": persona,
        "kept": kept,
        "values": values,
        "errors": outcome.errors if outcome else {},
        "hints": outcome.hints if outcome else [],
    }
    if step.kind.context is not None:
        context.update(
            step.kind.context(
                StepView(
                    step.index,
                    step.settings,
                    persona,
                    kept,
                    values,
                    context["errors"],
                    sandboxes.checker_state(run, step.index, timezone.now()),
                )
            )
        )
    # Kinds whose page needs the database or the rest of the run.
    name = step.kind.name
    if name == "choose_agency":
        chosen = values.get("province") or kept.get("province")
        context["provinces"] = Province.objects.order_by("name")
        context["chosen_province"] = str(chosen or "")
        context["communes"] = (
            Commune.objects.filter(province_id=chosen).order_by("name") if str(chosen or "").isdigit() else []
        )
    elif name == "declare_submit":
        context["answers"] = [
            (field["label"], run.kept.get(str(index), {}).get("values", {}).get(field["key"]))
            for index, raw in enumerate(run.steps[: step.index])
            if raw["type"] == "eform"
            for field in sandboxes.step_at(run, index).settings["fields"]
            if not field.get("autofill")
        ]
    return context


def render_step(
    request: HttpRequest, run: SandboxRun, step, data=None, outcome=None, status=200
) -> HttpResponse:
    body = render_to_string(step.kind.template, step_context(run, step, data, outcome), request=request)
    return TemplateResponse(
        request,
        "learning/sandboxes/run.html",
        {
            "run": run,
            "scenario": run.scenario,
            "persona": sandboxes.persona_of(run),
            "step": step,
            "step_number": step.index + 1,
            "step_count": len(run.steps),
            "step_body": mark_safe(body),  # noqa: S308 - rendered by a Django template above
            "outcome": outcome,
            "receipts": [
                (index, run.kept[str(index)]["receipt"]) for index in sandbox_receipts.paid_steps(run)
            ],
        },
        status=status,
    )


def checked_uploads(request: HttpRequest) -> dict:
    """What the checker may know of picked files: name, size and first bytes. The files
    themselves are never saved, and Django deletes their temporary copies after the request."""
    uploads = {}
    for field, upload in request.FILES.items():
        uploads[field] = {"name": upload.name[:120], "size": upload.size, "head": upload.read(8)}
        upload.close()
    return uploads


@login_required
@require_GET
def receipt(request: HttpRequest, run_id: int, step_index: int) -> HttpResponse:
    """The run's practice e-receipt for one paid step, as a PDF download."""
    run = own_run(request, run_id)
    if step_index not in sandbox_receipts.paid_steps(run):
        raise Http404
    response = HttpResponse(sandbox_receipts.render_receipt(run, step_index), content_type="application/pdf")
    filename = f"bien-lai-{run.kept[str(step_index)]['receipt']}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    run = own_run(request, run_id)
    step = sandboxes.current_step(run)
    if step is None:
        return TemplateResponse(
            request,
            "learning/sandboxes/done.html",
            {
                "run": run,
                "scenario": run.scenario,
                "persona": sandboxes.persona_of(run),
                "dossiers": list(run.dossiers.order_by("submitted_at")),
                "receipts": [
                    (index, run.kept[str(index)]["receipt"]) for index in sandbox_receipts.paid_steps(run)
                ],
                "minutes": max(
                    1, round(((run.completed_at or timezone.now()) - run.started_at).total_seconds() / 60)
                ),
            },
        )
    if request.method == "GET":
        sandboxes.see_step(run, step)
        return render_step(request, run, step)
    if request.method != "POST":
        return HttpResponse(status=405)
    limit = MAX_STEP_BYTES + (attach_documents.MAX_UPLOAD_BYTES * 2 if step.kind.accepts_files else 0)
    if too_big(request, limit):
        messages.error(request, _("Dữ liệu gửi lên quá lớn. Hãy tải lại trang và làm lại bước này."))
        return redirect("learning:sandbox_run", run_id=run.pk)
    try:
        step_index = int(request.POST.get("buoc", ""))
        outcome = sandboxes.submit_step(run, step_index, request.POST, uploads=checked_uploads(request))
    except (ValueError, sandboxes.StepOutOfDate):
        messages.info(request, _("Bước đó đã xong hoặc chưa tới. Đây là bước bạn đang làm."))
        return redirect("learning:sandbox_run", run_id=run.pk)
    if outcome.done:
        for hint in outcome.hints:  # feedback on a right answer (a scam drill's safe action)
            messages.success(request, hint)
        if step.kind.creates_dossier and (dossier := sandboxes.latest_dossier(run)):
            messages.success(
                request,
                _("Đã nộp hồ sơ. Mã hồ sơ của bạn: %(code)s. Hãy ghi lại để tra cứu.")
                % {"code": dossier.code},
            )
        return redirect("learning:sandbox_run", run_id=run.pk)
    return render_step(request, run, step, request.POST, outcome, status=200)
