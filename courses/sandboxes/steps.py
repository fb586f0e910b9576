"""The step-kind interface: what every kind of sandbox step provides.

A kind is one module in ``courses/sandboxes/kinds/``: its settings (a Wagtail block, so officials
author it in the admin), its page template, and a pure checker. The checker sees only plain data —
the step's settings, what the learner sent, the run's persona and state — and says whether the
step is done, with friendly Vietnamese hints when it is not. It never stores anything: the run
(in ``learning``) keeps what the outcome says to keep.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from courses.sandboxes.personas import Persona


class FormData(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...
    def getlist(self, key: str) -> list[str]: ...


@dataclass
class Outcome:
    done: bool
    hints: list[str] = field(default_factory=list)  # for the whole step
    errors: dict[str, str] = field(default_factory=dict)  # per field
    keep: dict[str, Any] = field(default_factory=dict)  # what the run keeps for this step
    mistake: bool | None = None  # counts as a mistake; by default, whenever the step is not done

    @property
    def is_mistake(self) -> bool:
        return (not self.done) if self.mistake is None else self.mistake


@dataclass(frozen=True)
class StepView:
    """What a kind may use to prepare its page: the step, the persona, and what the learner sent."""

    index: int
    settings: Mapping[str, Any]
    persona: Persona
    kept: Mapping[str, Any]  # what the run kept for this step
    values: Mapping[str, Any]  # what the form shows: kept values, then what was just sent
    errors: Mapping[str, str]
    state: Mapping[str, Any] = field(default_factory=dict)  # as the checker sees it: dossier, now …


Checker = Callable[[Mapping[str, Any], FormData, Persona, Mapping[str, Any]], Outcome]


@dataclass(frozen=True)
class StepKind:
    name: str
    label: str
    block: Any  # a Wagtail block class for the step's settings
    check: Checker
    template: str
    creates_dossier: bool = False  # done → the run's dossier is filed and gets its code
    supplements_dossier: bool = False  # done → the dossier's supplement is recorded
    accepts_files: bool = False  # the page may send files (checked, then thrown away)
    # What the kind's template needs beyond the common context, computed from the step alone.
    context: "Callable[[StepView], dict] | None" = None


def plain(value: Any) -> Any:
    """Block values (StructValue, ListValue, StreamValue) as plain dicts and lists for checkers."""
    if hasattr(value, "items") and not isinstance(value, dict | str):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple) or type(value).__name__ in {"ListValue", "StreamValue"}:
        return [plain(item) for item in value]
    return value


def format_vnd(amount: int) -> str:
    """7000 → "7.000", as Vietnamese writes amounts of money."""
    return f"{int(amount):,}".replace(",", ".")
