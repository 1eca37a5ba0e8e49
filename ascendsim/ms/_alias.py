"""``import mindspore`` -> ``ascendsim.ms``: the one import hook that lets MindSpore code run.

:func:`install_as_mindspore` puts a finder first on ``sys.meta_path``: ``mindspore`` and every
``mindspore.X.Y`` resolve to the *same module objects* as ``ascendsim.ms`` and
``ascendsim.ms.X.Y`` (so ``mindspore.Tensor is ascendsim.ms.Tensor``), with the few renames in
:data:`ALIASES` (``mindspore.dtype`` is ``ascendsim.ms.common.dtype``). A MindSpore module that
ascendsim does not emulate raises :class:`~ascendsim.errors.MsImportError` naming it; a missing
*name* in an emulated module does too when imported with ``from mindspore... import name`` (see
:func:`missing_name`), while ``hasattr`` still answers False.
"""

from __future__ import annotations

import dis
import importlib
import importlib.abc
import importlib.machinery
import sys
from types import ModuleType
from typing import Any

from ascendsim.errors import MsImportError

__all__ = ["install_as_mindspore", "uninstall_mindspore", "ALIASES", "missing_name"]

#: MindSpore module path -> ascendsim module path, where they differ
ALIASES = {
    "mindspore": "ascendsim.ms",
    "mindspore.dtype": "ascendsim.ms.common.dtype",
    "mindspore.ops.operations": "ascendsim.ms.ops.operations",
}

_IMPORT_FROM = dis.opmap.get("IMPORT_FROM")


def _target(fullname: str) -> str:
    if fullname in ALIASES:
        return ALIASES[fullname]
    return "ascendsim.ms" + fullname[len("mindspore") :]


class _Loader(importlib.abc.Loader):
    def __init__(self, module: ModuleType) -> None:
        self.module = module

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return self.module

    def exec_module(self, module: ModuleType) -> None:  # already executed as ascendsim.ms.*
        return None


class MindSporeFinder(importlib.abc.MetaPathFinder):
    """Resolves ``mindspore`` and its submodules to ``ascendsim.ms``."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "mindspore" and not fullname.startswith("mindspore."):
            return None
        name = _target(fullname)
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
                parent, _, last = fullname.rpartition(".")
                raise MsImportError(
                    f"'{fullname}' is not emulated by ascendsim: no module or name '{last}' in "
                    f"its {parent or 'mindspore'} (ascendsim emulates Tensor, Parameter, "
                    "ParameterTuple, initializers, context, ops, nn and communication; see "
                    "docs/compat.md)",
                    name=fullname,
                ) from None
            raise
        return importlib.machinery.ModuleSpec(fullname, _Loader(module), origin=module.__file__)


_finder = MindSporeFinder()


def install_as_mindspore() -> None:
    """Make ``import mindspore`` (and ``mindspore.*``) load ascendsim's front end. Idempotent."""
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    existing = sys.modules.get("mindspore")
    if existing is not None and not getattr(existing, "__name__", "").startswith("ascendsim"):
        raise MsImportError(
            "a real 'mindspore' package is already imported in this process; install the "
            "ascendsim alias before importing mindspore (or run the script with ascendsim exec)"
        )


def uninstall_mindspore() -> None:
    """Remove the alias and forget the ``mindspore`` modules it created."""
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    for key in [k for k in sys.modules if k == "mindspore" or k.startswith("mindspore.")]:
        if getattr(sys.modules[key], "__name__", "").startswith("ascendsim"):
            del sys.modules[key]


def missing_name(module: str, name: str) -> Exception:
    """The error for a name an emulated module does not provide.

    Inside ``from module import name`` it is an ImportError saying the name is not emulated;
    anywhere else (``getattr``, ``hasattr``) a plain AttributeError, so feature checks work.
    """
    frame = sys._getframe(2)
    public = module.replace("ascendsim.ms", "mindspore", 1)
    if _IMPORT_FROM is not None and frame is not None:
        code = frame.f_code.co_code
        i = frame.f_lasti
        if 0 <= i < len(code) and code[i] == _IMPORT_FROM:
            return MsImportError(
                f"cannot import name '{name}' from '{public}': ascendsim does not emulate "
                f"{public}.{name} (see docs/compat.md for what is emulated)",
                name=public,
            )
    return AttributeError(f"module '{public}' has no attribute '{name}'")
