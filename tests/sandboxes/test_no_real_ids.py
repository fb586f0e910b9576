"""After learners type real-looking ID numbers everywhere a sandbox lets them type, no 12-digit
number outside the reserved 099 prefix is anywhere in the database or the logs."""

import io
import logging
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.sandboxes.identity import RESERVED_PREFIX
from tests.sandboxes.test_runs import login_data, post_step, start

pytestmark = pytest.mark.django_db
REAL_LOOKING = ["001084000999", "079 185 012 345", "0 3 1 2 9 0 0 0 4 5 6 7"]


def twelve_digit_numbers(text: str) -> set[str]:
    runs = re.findall(r"\d(?:[\s.\-]?\d){11,}", text)
    return {re.sub(r"\D", "", run) for run in runs}


def test_real_looking_ids_typed_anywhere_are_never_stored_or_logged(learner_client, scenarios, caplog):
    caplog.set_level(logging.DEBUG)
    for number in REAL_LOOKING:
        run = start(learner_client, "thong-bao-luu-tru")
        post_step(learner_client, run, **{**login_data(run), "so_dinh_danh": number})
        post_step(learner_client, run, **login_data(run))
        post_step(learner_client, run, tim="1", tu_khoa=number)
        post_step(learner_client, run, thu_tuc="Thông báo lưu trú")
        post_step(learner_client, run, province=str(run.persona["province_code"]), commune=number)
        post_step(
            learner_client,
            run,
            province=str(run.persona["province_code"]),
            commune=str(run.persona["commune_code"]),
        )
        fields = ["ho_ten_nguoi_luu_tru", "so_dinh_danh_nguoi_luu_tru", "ly_do", "tu_ngay"]
        response = post_step(learner_client, run, **{field: number for field in fields})
        assert number not in response.content.decode()
        learner_client.post(reverse("learning:sandbox_restart", args=[run.pk]))
    run = start(learner_client, "dang-ky-tam-tru")
    post_step(learner_client, run, ma_ho_so=REAL_LOOKING[0])
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    everywhere = dump.getvalue() + caplog.text
    # Other long digit runs (hashes, timestamps, session data) are not ID numbers: the check is that
    # none of the typed numbers survived, in any spacing.
    found = {n for n in twelve_digit_numbers(everywhere) if not n.startswith(RESERVED_PREFIX)}
    assert not found & {re.sub(r"\D", "", number) for number in REAL_LOOKING}, found
    assert twelve_digit_numbers(dump.getvalue()), "the scan must see the personas' own 099 numbers"
