"""The registry of step kinds. Adding a kind: write its module here and list it below."""

from courses.sandboxes.kinds import (
    attach_documents,
    choose_agency,
    choose_delivery,
    declare_submit,
    eform,
    info,
    pay_fee,
    procedure_detail,
    rate,
    request_list,
    scam_drill,
    search_procedure,
    supplement,
    track_status,
    vneid_login,
)
from courses.sandboxes.steps import StepKind

REGISTRY: dict[str, StepKind] = {
    module.KIND.name: module.KIND
    for module in (
        info,
        vneid_login,
        search_procedure,
        procedure_detail,
        choose_agency,
        eform,
        attach_documents,
        choose_delivery,
        declare_submit,
        request_list,
        pay_fee,
        track_status,
        supplement,
        rate,
        scam_drill,
    )
}
