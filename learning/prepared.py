"""Read queries that the ORM builds once per process and runs again with new values.

Building a queryset and compiling it to SQL costs Django 0.2 to 0.6 ms of CPU per query on this
machine kind (``filter`` resolves every lookup, ``as_sql`` walks the select list and the where
tree), more than PostgreSQL spends answering it. The pages every learner opens run the same few
queries with other ids each time. A prepared read builds its queryset once per process with two
sets of stand-in values and compiles both; the SQL must come out the same and the parameters
that differ are the slots the real values go into. Each call copies the compiled state, puts the
values in and lets Django's own iterable turn the rows into model instances, tuples or values,
with the same converters, deferred fields and ``select_related`` objects as the queryset would
give. Anything the two builds do not agree on is refused when the read is first prepared (a
lookup that rewrites its value, such as ``__contains``, or SQL that depends on the value).

Only plain values are accepted: ``int`` (ids, positions) and ``str`` (codes, tokens).
"""

import copy
import operator
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet

# Stand-in values. They lie within every integer field's range (a small positive integer's
# included: Django answers an out-of-range lookup with an empty result, not with SQL).
_FIRST_INT = (30_011, 30_511)
_KINDS = (int, str)
# No column holds an int beyond this, and SQLite cannot even take one as a parameter: such a
# value (an id typed into a URL, say) matches no row, and no query is made. (Prepared reads only
# filter; a read that excludes is refused, so "no row" is always the right answer.)
_INT64 = range(-(2**63), 2**63)


def _stand_in(kind: type, index: int, which: int):
    if kind is int:
        return _FIRST_INT[which] + index
    return f"prepared-stand-in-{which}-{index}"


def _negates(node) -> bool:
    return bool(getattr(node, "negated", False)) or any(
        _negates(child) for child in getattr(node, "children", ())
    )


def _checked(name: str, kind: type, value):
    if kind is int:
        try:
            return operator.index(value)  # an int, not a model instance, a float or a str
        except TypeError:
            raise TypeError(f"{name} must be an int, not {type(value).__name__}") from None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    return value


@dataclass(frozen=True)
class _Shape:
    """One compiled query: its SQL, its parameters, and where each value goes."""

    alias: str
    vendor: str
    queryset: QuerySet
    compiler: object
    sql: str
    params: tuple
    slots: tuple[tuple[int, str], ...]


class _QueryView:
    """The template's query, answering get_compiler with the compiler already bound to values."""

    __slots__ = ("_compiler", "_query")

    def __init__(self, query, compiler):
        self._query = query
        self._compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name):
        return getattr(self._query, name)


class _Run:
    """What Django's iterables read of a queryset, for one run of a prepared read."""

    __slots__ = ("_fetch_mode", "_fields", "_known_related_objects", "db", "model", "query")

    def __init__(self, shape: _Shape, compiler):
        template = shape.queryset
        self.db = shape.alias
        self.model = template.model
        self.query = _QueryView(template.query, compiler)
        self._fetch_mode = template._fetch_mode
        self._fields = template._fields
        self._known_related_objects = template._known_related_objects


class PreparedRead:
    """A read query built by ``build(**values)``, compiled once, run with new values.

    >>> enrollment_of = PreparedRead(
    ...     lambda learner, course: Enrollment.objects.filter(learner_id=learner, course_id=course)[:1],
    ...     learner=int, course=int,
    ... )
    >>> enrollment_of.first(learner=7, course=5)
    """

    def __init__(self, build: Callable[..., QuerySet], **kinds: type):
        for name, kind in kinds.items():
            if kind not in _KINDS:
                raise ImproperlyConfigured(f"{name}: a prepared read takes int or str values, not {kind!r}")
        self.build = build
        self.kinds = kinds
        self._shape: _Shape | None = None

    def all(self, **values) -> list:
        """Every row, as the queryset would give them."""
        shape = self._current_shape()
        if values.keys() != self.kinds.keys():
            raise TypeError(f"a prepared read needs exactly {sorted(self.kinds)}, got {sorted(values)}")
        params = list(shape.params)
        for position, name in shape.slots:
            value = params[position] = _checked(name, self.kinds[name], values[name])
            if type(value) is int and value not in _INT64:
                return []
        compiler = copy.copy(shape.compiler)
        compiler.connection = connections[shape.alias]  # this thread's connection
        sql = shape.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        return list(shape.queryset._iterable_class(_Run(shape, compiler)))

    def first(self, **values):
        """The first row, or None (slice the queryset to [:1] so no more are read)."""
        rows = self.all(**values)
        return rows[0] if rows else None

    # --- preparing ---------------------------------------------------------------------------

    def _current_shape(self) -> _Shape:
        shape = self._shape
        if shape is None or connections[shape.alias].vendor != shape.vendor:
            shape = self._shape = self._prepare()
        return shape

    def _prepare(self) -> _Shape:
        names = list(self.kinds)
        stand_ins = [
            {name: _stand_in(self.kinds[name], index, which) for index, name in enumerate(names)}
            for which in (0, 1)
        ]
        querysets = [self.build(**values) for values in stand_ins]
        template = querysets[0]
        if not isinstance(template, QuerySet):
            raise ImproperlyConfigured("a prepared read's build must return a QuerySet")
        if template._prefetch_related_lookups or template.query.select_for_update:
            raise ImproperlyConfigured("a prepared read cannot prefetch or lock rows")
        if _negates(template.query.where):
            raise ImproperlyConfigured("a prepared read only filters (exclude and ~Q are not prepared)")
        alias = template.db
        compiler = template.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
            other_sql, other_params = querysets[1].query.get_compiler(using=alias).as_sql()
        except EmptyResultSet:
            raise ImproperlyConfigured(f"{self._label()}: no SQL to prepare (the query is empty)") from None
        if sql != other_sql or len(params) != len(other_params):
            raise ImproperlyConfigured(
                f"{self._label()}: the SQL depends on the values, it cannot be prepared"
            )
        slots = []
        for position, (first, second) in enumerate(zip(params, other_params, strict=True)):
            if first == second:
                continue  # a constant of the query
            name = next((n for n in names if stand_ins[0][n] == first and stand_ins[1][n] == second), None)
            if name is None:
                raise ImproperlyConfigured(
                    f"{self._label()}: parameter {position} is not one of the values as given"
                    " (a lookup that rewrites its value cannot be prepared)"
                )
            slots.append((position, name))
        missing = set(names) - {name for _position, name in slots}
        if missing:
            raise ImproperlyConfigured(f"{self._label()}: {sorted(missing)} never reach the SQL")
        return _Shape(
            alias=alias,
            vendor=connections[alias].vendor,
            queryset=template,
            compiler=compiler,
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
        )

    def _label(self) -> str:
        return getattr(self.build, "__qualname__", repr(self.build))
