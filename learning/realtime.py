"""Channel-layer group names live here and nowhere else."""


def learner_group(user_id: int) -> str:
    """The group that carries pushes meant for one learner (all of their open tabs)."""
    return f"learner.{user_id}"
