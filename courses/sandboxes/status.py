"""A dossier's status over time: a time line the scenario defines, evaluated lazily (DESIGN §4).

The status is never stored as it changes: it is computed from the dossier's submission time and
the offsets in the time line, so it is right after a restart, on any device, with or without a
worker, and the page and the live push always agree.

A time line may ask for more documents ("Yêu cầu bổ sung hồ sơ"). It then waits for the citizen:
the changes the author lists after that request count from the moment the learner supplements
the dossier, and are not scheduled at all until then.
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
SUPPLEMENT_REQUESTED = "Yêu cầu bổ sung hồ sơ"
SUPPLEMENTED = "Đã bổ sung hồ sơ"  # set by the citizen's action, never by the time line


@dataclass(frozen=True)
class Change:
    status: str
    at: datetime
    note: str


def phases(timeline: list[dict]) -> tuple[list[dict], list[dict]]:
    """The time line split after its first supplement request: (before, after the learner supplements)."""
    for position, entry in enumerate(timeline):
        if entry["status"] == SUPPLEMENT_REQUESTED:
            return timeline[: position + 1], timeline[position + 1 :]
    return timeline, []


def _scheduled(entries: list[dict], start: datetime) -> list[Change]:
    return [
        Change(entry["status"], start + timedelta(seconds=int(entry["after_seconds"])), entry.get("note", ""))
        for entry in sorted(entries, key=lambda entry: int(entry["after_seconds"]))
    ]


def changes(
    timeline: list[dict], submitted_at: datetime, supplemented_at: datetime | None = None
) -> list[Change]:
    """Every change scheduled so far, with its moment, in order ("Mới nộp" at submission first)."""
    before, after = phases(timeline)
    result = [Change("Mới nộp", submitted_at, ""), *_scheduled(before, submitted_at)]
    if supplemented_at is not None and result[-1].status == SUPPLEMENT_REQUESTED:
        result.append(Change(SUPPLEMENTED, supplemented_at, ""))
        result.extend(_scheduled(after, supplemented_at))
    return result


def awaits_supplement(timeline: list[dict], submitted_at: datetime, supplemented_at, now: datetime) -> bool:
    """Whether the dossier is waiting for the citizen to add documents."""
    return history(timeline, submitted_at, now, supplemented_at)[-1].status == SUPPLEMENT_REQUESTED


def history(
    timeline: list[dict], submitted_at: datetime, now: datetime, supplemented_at: datetime | None = None
) -> list[Change]:
    """The changes that have happened by ``now``; the last one is the current status."""
    return [change for change in changes(timeline, submitted_at, supplemented_at) if change.at <= now]


def upcoming(
    timeline: list[dict], submitted_at: datetime, now: datetime, supplemented_at: datetime | None = None
) -> list[Change]:
    return [change for change in changes(timeline, submitted_at, supplemented_at) if change.at > now]
