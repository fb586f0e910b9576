"""A dossier's status over time: a time line the scenario defines, evaluated lazily (DESIGN §4).

The status is never stored as it changes: it is computed from the dossier's submission time and
the offsets in the time line, so it is right after a restart, on any device, with or without a
worker, and the page and the live push always agree.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

# The names used by the national systems (reference §2.3), in their usual order.
STATUSES = [
    "Mới nộp",
    "Đã tiếp nhận",
    "Đang xử lý",
    "Yêu cầu bổ sung hồ sơ",
    "Chờ thanh toán",
    "Đã xử lý xong",
    "Đã trả kết quả",
    "Từ chối",
    "Dừng xử lý",
]
FINAL = {"Đã trả kết quả", "Từ chối", "Dừng xử lý"}


@dataclass(frozen=True)
class Change:
    status: str
    at: datetime
    note: str


def changes(timeline: list[dict], submitted_at: datetime) -> list[Change]:
    """Every change of the time line, with its moment, in order ("Mới nộp" at submission first)."""
    result = [Change("Mới nộp", submitted_at, "")]
    for entry in sorted(timeline, key=lambda entry: int(entry["after_seconds"])):
        result.append(
            Change(
                entry["status"],
                submitted_at + timedelta(seconds=int(entry["after_seconds"])),
                entry.get("note", ""),
            )
        )
    return result


def history(timeline: list[dict], submitted_at: datetime, now: datetime) -> list[Change]:
    """The changes that have happened by ``now``; the last one is the current status."""
    return [change for change in changes(timeline, submitted_at) if change.at <= now]


def upcoming(timeline: list[dict], submitted_at: datetime, now: datetime) -> list[Change]:
    return [change for change in changes(timeline, submitted_at) if change.at > now]
