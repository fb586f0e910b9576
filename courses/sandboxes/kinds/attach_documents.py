"""Attach the documents a procedure needs: pick the sandbox's sample, reuse one from the personal
data store (Kho dữ liệu), or pick a file on the device — checked for type and size to teach the
rule, then thrown away: nothing a learner uploads is ever stored (DESIGN §4b)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from courses.sandboxes.steps import Outcome, StepKind

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SIGNATURES = {b"%PDF": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG": "png"}
EXTENSIONS = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png"}


class RequiredDocumentBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Giấy tờ"), max_length=200)
    in_store = blocks.BooleanBlock(
        label=_("Có sẵn trong Kho dữ liệu"),
        required=False,
        default=False,
        help_text=_("Dùng lại, không phải tải lên."),
    )
    good_sample = blocks.CharBlock(
        label=_("Bản mẫu đúng"), max_length=200, help_text=_("Ví dụ: Hợp đồng thuê nhà (ảnh rõ nét).")
    )
    bad_sample = blocks.CharBlock(
        label=_("Bản mẫu sai"), max_length=200, required=False, help_text=_("Ví dụ: ảnh chụp bị mờ.")
    )
    bad_reason = blocks.CharBlock(label=_("Vì sao bản sai không dùng được"), max_length=250, required=False)


class AttachDocumentsStepBlock(blocks.StructBlock):
    documents = blocks.ListBlock(RequiredDocumentBlock(), label=_("Giấy tờ cần đính kèm"), min_num=1)

    class Meta:
        icon = "doc-full-inverse"
        label = _("Đính kèm giấy tờ")


def samples(document) -> list[tuple[str, bool]]:
    """The sample files offered for a document, (label, usable), in an order that gives nothing away."""
    offered = [(document["good_sample"], True)]
    if document.get("bad_sample"):
        offered.append((document["bad_sample"], False))
    return sorted(offered)


def file_problem(upload: dict) -> str | None:
    """Why a picked file cannot be attached: its type (by content, not only its name) or size."""
    extension = upload["name"].rsplit(".", 1)[-1].lower() if "." in upload["name"] else ""
    kind = next(
        (kind for signature, kind in SIGNATURES.items() if upload["head"].startswith(signature)), None
    )
    if kind is None or EXTENSIONS.get(extension) != kind:
        return gettext("Chỉ đính kèm được tệp PDF, JPG hoặc PNG.")
    if upload["size"] > MAX_UPLOAD_BYTES:
        return gettext("Tệp quá lớn: tối đa 5 MB. Hãy chụp lại hoặc giảm dung lượng ảnh.")
    return None


def check(settings, data, persona, state) -> Outcome:
    errors, keep = {}, {}
    uploads = state.get("uploads", {})
    for number, document in enumerate(settings["documents"], start=1):
        field = f"giay_to_{number}"
        choice = data.get(field) or ""
        offered = samples(document)
        sample = (
            offered[int(choice[4:]) - 1]
            if choice[4:].isdigit() and 1 <= int(choice[4:]) <= len(offered)
            else None
        )
        if (choice.startswith("mau_") and sample and sample[1]) or (
            choice == "kho" and document.get("in_store")
        ):
            keep[field] = "mau" if sample else choice
        elif choice.startswith("mau_") and sample:
            errors[field] = document.get("bad_reason") or gettext(
                "Bản này không dùng được. Hãy chọn bản rõ ràng, đúng giấy tờ."
            )
        elif choice == "kho":
            errors[field] = gettext("Giấy tờ này chưa có trong Kho dữ liệu của bạn. Hãy chọn cách khác.")
        elif choice == "tai_len":
            upload = uploads.get(f"tep_{number}")
            problem = gettext("Hãy chọn một tệp trên máy.") if upload is None else file_problem(upload)
            if problem:
                errors[field] = problem
            else:
                keep[field] = "tai_len"  # only that a valid file was picked: the file itself is gone
        else:
            errors[field] = gettext("Hãy chọn cách đính kèm giấy tờ này.")
    return Outcome(done=not errors, errors=errors, keep={"attached": keep})


def offered(documents, view) -> list[dict]:
    """The documents as the page shows them: samples to pick, and what was chosen."""
    return [
        {
            "number": number,
            "field": f"giay_to_{number}",
            "name": document["name"],
            "samples": [label for label, _usable in samples(document)],
            "chosen": view.values.get(f"giay_to_{number}") or "",
            "error": view.errors.get(f"giay_to_{number}", ""),
        }
        for number, document in enumerate(documents, start=1)
    ]


KIND = StepKind(
    "attach_documents",
    "Đính kèm giấy tờ",
    AttachDocumentsStepBlock,
    check,
    "courses/sandboxes/steps/attach_documents.html",
    accepts_files=True,
    context=lambda view: {"documents": offered(view.settings["documents"], view)},
)
