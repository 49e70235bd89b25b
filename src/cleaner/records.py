"""Frozen records that are quick to make: the pipeline makes a few of them per sentence."""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")


def direct_init(cls: type[R]) -> type[R]:
    """Give a frozen record an ``__init__`` filling its ``__dict__`` and a ``__reduce__`` of its values.

    A frozen dataclass's own ``__init__`` sets each field through ``object.__setattr__``:
    1.2 us for a Segment against 0.4 us this way, and a page makes thousands of segments,
    blocks and removals. Same arguments, defaults and result; only for records whose fields
    are all plain arguments (no factory, no ``__post_init__``), which is checked. It pays for
    records of many fields: the instance dict it makes costs about what setting two fields
    does (measured on the dedup stage's two-field ``Repeat``: no gain).

    Pickled by default, a record is its class, then a dict of its fields by name, set again on
    a bare instance; as the class and a tuple of values, given to this ``__init__``, a page's
    blocks and segments pickle in two thirds of the time and unpickle in three quarters (pages
    cross between processes, and spill to disk in long runs).
    """
    names = []
    defaults: dict[str, Any] = {}
    for f in fields(cls):
        if not f.init or f.kw_only or f.default_factory is not MISSING or hasattr(cls, "__post_init__"):
            raise TypeError(f"{cls.__name__}.{f.name}: direct_init takes plain fields only")
        if f.default is MISSING:
            names.append(f.name)
        else:
            defaults[f"_default_{f.name}"] = f.default
            names.append(f"{f.name}=_default_{f.name}")
    body = "".join(f"\n    d[{f.name!r}] = {f.name}" for f in fields(cls))
    values = "".join(f"d[{f.name!r}], " for f in fields(cls))
    source = (
        f"def __init__(self, {', '.join(names)}):\n    d = self.__dict__{body}\n"
        f"def __reduce__(self):\n    d = self.__dict__\n    return cls, ({values})\n"
    )
    namespace: dict[str, Any] = {}
    exec(source, {**defaults, "cls": cls}, namespace)  # as dataclasses itself builds __init__
    for name in ("__init__", "__reduce__"):
        method = namespace[name]
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        method.__module__ = cls.__module__
        setattr(cls, name, method)
    return cls
