"""Lazy re-exports: a package names its public API without importing every module at start-up."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_exports(package: str, api: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``api[name]`` on first use.

    >>> getattr_ = lazy_exports("kg", {"slug": "kg.ids"})
    >>> getattr_("slug")("Sergei Lavrov")
    'sergei-lavrov'
    """

    def __getattr__(name: str) -> Any:
        if name in api:
            return getattr(import_module(api[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
