"""Rendering a lesson body once for everyone.

The body is the same for every learner, so its HTML is cached per page revision and language,
in the shared cache and in each process's memory.
Checkpoint questions are the exception: they carry a CSRF token and the learner's own answer,
so the cache keeps a placeholder for them and they are rendered on each request.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from courses.generation import PerGeneration

CACHE_SECONDS = 24 * 60 * 60
_in_memory = PerGeneration(limit=2_000)


@dataclass(frozen=True)
class Segment:
    html: str = ""
    checkpoint_id: str = ""


def _cache_key(page) -> str:
    return f"lesson-body:{page.pk}:{page.live_revision_id}:{get_language()}"


def body_segments(page, context: dict) -> list[Segment]:
    """The body as cached HTML segments, with checkpoints left as placeholders."""
    preview = getattr(context.get("request"), "is_preview", False)
    key = _cache_key(page)
    if not preview:
        cached = _in_memory.fresh().get(key)
        if cached is None and (cached := cache.get(key)) is not None:
            _in_memory.remember(key, cached)
        if cached is not None:
            return cached
    segments: list[Segment] = []
    for block in page.body:
        if block.block_type == "checkpoint":
            segments.append(Segment(checkpoint_id=block.id))
        else:
            segments.append(Segment(html=str(block.render(context=context))))
    if not preview:
        cache.set(key, segments, CACHE_SECONDS)
        _in_memory.remember(key, segments)
    return segments


def render_body(page, context: dict, checkpoint_context: Callable[[str], dict]) -> SafeString:
    """The whole body: cached segments plus checkpoints rendered for this request.

    ``checkpoint_context(block_id)`` gives the per-learner part of a checkpoint's context.
    """
    checkpoints = page.checkpoints()
    block_def = page.body.stream_block.child_blocks["checkpoint"]
    parts = []
    for segment in body_segments(page, context):
        if segment.checkpoint_id:
            value = checkpoints.get(segment.checkpoint_id)
            if value is not None:
                local = {
                    **context,
                    "block_id": segment.checkpoint_id,
                    **checkpoint_context(segment.checkpoint_id),
                }
                parts.append(str(block_def.render(value, context=local)))
        else:
            parts.append(segment.html)
    return mark_safe("".join(parts))  # noqa: S308 - every part was rendered by Django templates
