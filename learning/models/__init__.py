from .accounts import LearnerGroup, Profile, User
from .places import Commune, Province

__all__ = ["Commune", "LearnerGroup", "Profile", "Province", "User"]
from .notifications import Notification

__all__ += ["Notification"]
from .progress import CheckpointAnswer, Enrollment, LessonProgress  # noqa: E402

__all__ += ["CheckpointAnswer", "Enrollment", "LessonProgress"]
from .sandbox import Dossier, RunState, SandboxRun, StepRecord  # noqa: E402

__all__ += ["Dossier", "RunState", "SandboxRun", "StepRecord"]
from .community import (  # noqa: E402
    AssistedMark,
    ClassMembership,
    LearningClass,
    PasswordResetCode,
    ReportScope,
)

__all__ += ["AssistedMark", "ClassMembership", "LearningClass", "PasswordResetCode", "ReportScope"]
