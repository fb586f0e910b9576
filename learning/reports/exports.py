"""CSV exports of report tables: the same suppressed cells as the page, UTF-8 with a BOM, every
text cell formula-safe.

Small exports stream in the request. An export whose filters cover more than
``REPORT_EXPORT_DIRECT_MAX_LEARNERS`` learners (default 20,000) is built by the worker instead
(``learning.tasks.build_report_export``): the aggregates then scan enough rows to hold a server
process for seconds, and 40,000 learners at once must not wait behind an official's spreadsheet.
The file goes to a private directory (``REPORT_EXPORT_DIR``, default ``var/report-exports``, never
under MEDIA_ROOT, which is served to anyone) and is handed out only to the official who asked.
"""

import csv
import datetime
import io
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from learning.reports.pages import ReportTable
from learning.spreadsheets import safe_cell

DIRECT_EXPORT_MAX_LEARNERS = 20_000
KEEP_FILES_SECONDS = 24 * 3600


def direct_export_max_learners() -> int:
    return int(getattr(settings, "REPORT_EXPORT_DIRECT_MAX_LEARNERS", DIRECT_EXPORT_MAX_LEARNERS))


def export_dir() -> Path:
    return Path(getattr(settings, "REPORT_EXPORT_DIR", Path(settings.VAR_DIR) / "report-exports"))


def table_rows(table: ReportTable) -> Iterator[list[str]]:
    """The table as the page shows it: headings, rows, then the totals (marks, never hidden values)."""
    yield [safe_cell(heading) for heading in table.headings]
    for label, cells in table.body:
        yield [safe_cell(label), *(cell.text() for cell in cells)]
    if table.footer is not None:
        label, cells = table.footer
        yield [safe_cell(label), *(cell.text() for cell in cells)]


def csv_chunks(table: ReportTable) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
    for row in table_rows(table):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def download_name(table: ReportTable, today: datetime.date | None = None) -> str:
    return f"bao-cao-{table.slug}-{(today or timezone.localdate()).isoformat()}.csv"


def write_export(table: ReportTable) -> str:
    """Write the CSV to the private directory; returns the file's (unguessable) name."""
    directory = export_dir()
    directory.mkdir(parents=True, exist_ok=True)
    remove_old_exports(directory)
    name = f"{secrets.token_hex(16)}.csv"
    partial = directory / f".{name}.part"
    with partial.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(csv_chunks(table))
    partial.replace(directory / name)  # whole or not at all
    return name


def export_path(name: str) -> Path | None:
    """The file of a finished export, if the name is one of ours and it is still there."""
    if not (name.endswith(".csv") and len(name) == 36 and all(c in "0123456789abcdef" for c in name[:32])):
        return None
    path = export_dir() / name
    return path if path.is_file() else None


def remove_old_exports(directory: Path, now: float | None = None) -> None:
    cutoff = (now or time.time()) - KEEP_FILES_SECONDS
    for path in directory.glob("*.csv"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def export_for(user_id: int, slug: str, params: dict[str, str]) -> dict[str, str]:
    """The worker's side: check the official again, apply their scope, write the file."""
    from learning.models import User
    from learning.reports.access import check_can_view_reports, read_filters
    from learning.reports.pages import PRACTICE_TABLES, build_table
    from learning.roles import report_province_id

    user = User.objects.get(pk=user_id)
    check_can_view_reports(user)
    _form, filters, labels = read_filters(params, user, with_course=slug not in PRACTICE_TABLES)
    table = build_table(slug, filters, labels)
    return {
        "file": write_export(table),
        "download_name": download_name(table),
        "caption": str(table.caption),
        # The official's scope when the file was made: handed out only while it is still theirs.
        "scope": report_province_id(user),
    }
