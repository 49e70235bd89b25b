"""Frozen records that are quick to make: the pipeline makes a few of them per sentence."""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")


def direct_init(cls: type[R]) -> type[R]:
    """Give a frozen record an ``__init__`` that fills the instance's ``__dict__`` directly.

    A frozen dataclass's own ``__init__`` sets each field through ``object.__setattr__``:
    1.2 us for a Segment against 0.4 us this way, and a page makes thousands of segments,
    blocks and removals. Same arguments, defaults and result; only for records whose fields
    are all plain arguments (no factory, no ``__post_init__``), which is checked. It pays for
    records of many fields: the instance dict it makes costs about what setting two fields
    does (measured on the dedup stage's two-field ``Repeat``: no gain).
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
    source = f"def __init__(self, {', '.join(names)}):\n    d = self.__dict__{body}\n"
    namespace: dict[str, Any] = {}
    exec(source, defaults, namespace)  # as dataclasses itself builds __init__
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    setattr(cls, "__init__", init)  # noqa: B010  (mypy: no assignment to a method)
    return cls
