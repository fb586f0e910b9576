"""The registry of step kinds. Adding a kind: write its module here and list it below."""

from courses.sandboxes.kinds import (
    choose_agency,
    declare_submit,
    eform,
    info,
    scam_drill,
    search_procedure,
    vneid_login,
)
from courses.sandboxes.steps import StepKind

REGISTRY: dict[str, StepKind] = {
    module.KIND.name: module.KIND
    for module in (info, vneid_login, search_procedure, choose_agency, eform, declare_submit, scam_drill)
}
