"""``nn.Cell``: parameter registration, naming by attribute path, and the graph-mode call.

Naming follows MindSpore r1.6 (checked against it): a Parameter assigned as an attribute keeps
an explicit name, and a default-named one (``"Parameter"``) takes the attribute name; when a
Cell is assigned as an attribute of another, every parameter of the child is renamed to
``attr.key`` (its attribute path), whatever it was called before. ``parameters_and_names`` lists
a cell's own parameters first, then each child's, in assignment order.

Calling a Cell: in PYNATIVE_MODE ``construct`` runs op by op; in GRAPH_MODE (r1.6's default)
the call is traced into a graph once per input signature and run sunk on the simulated device
(see :mod:`ascendsim.ms._graph_mode`). Inside a graph being traced, a sub-cell is inlined.
"""

from __future__ import annotations

import inspect
import re
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import numpy as np

from ascendsim.errors import MsKeyError, MsNotImplementedError, MsTypeError, MsValueError

__all__ = ["Cell"]

_DEFAULT_NAME = "Parameter"


class Cell:
    """Base class of every network and layer (``mindspore.nn.Cell``)."""

    def __init__(self, auto_prefix: bool = True, flags: dict[str, Any] | None = None) -> None:
        object.__setattr__(self, "_params", OrderedDict())
        object.__setattr__(self, "_cells", OrderedDict())
        object.__setattr__(self, "_params_list", OrderedDict())
        object.__setattr__(self, "_auto_prefix", auto_prefix)
        object.__setattr__(self, "training", False)
        object.__setattr__(self, "requires_grad", False)
        object.__setattr__(self, "_flags", dict(flags or {}))
        object.__setattr__(self, "cell_type", None)

    # --- attributes -----------------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        from ascendsim.ms.common.parameter import Parameter, ParameterTuple

        if "_params" not in self.__dict__:
            raise MsValueError(
                f"{type(self).__name__}: call super().__init__() in __init__ before assigning "
                f"attribute {name!r}"
            )
        if isinstance(value, Parameter):
            if value.name == _DEFAULT_NAME:
                value.name = name
            self._cells.pop(name, None)
            self._params[name] = value
            self.__dict__.pop(name, None)
        elif isinstance(value, ParameterTuple):
            for i, p in enumerate(value):
                if p.name == _DEFAULT_NAME:
                    p.name = f"{name}.{i}"
            self._params_list[name] = value
            object.__setattr__(self, name, value)
        elif isinstance(value, Cell):
            if name in self._params:
                raise MsTypeError(f"For 'Cell', the {name} should be Parameter, but got Cell.")
            self._cells[name] = value
            self.__dict__.pop(name, None)
            if self._auto_prefix:
                for key, p in value.parameters_and_names():
                    p.name = f"{name}.{key}"
        else:
            from ascendsim.ms.common.tensor import Tensor

            if name in self._params and value is not None:
                if isinstance(value, Tensor):  # r1.6: the Parameter takes the tensor's data
                    self._params[name].set_data(value)
                    return
                raise MsTypeError(
                    f"For 'Cell', the type of {name} should be Parameter or ParameterTuple, but "
                    f"got {type(value).__name__}."
                )
            self._params.pop(name, None)
            self._cells.pop(name, None)
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        d = self.__dict__
        if "_params" in d and name in d["_params"]:
            return d["_params"][name]
        if "_cells" in d and name in d["_cells"]:
            return d["_cells"][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        if name in self._params:
            del self._params[name]
        elif name in self._cells:
            del self._cells[name]
        else:
            object.__delattr__(self, name)

    # --- parameters -----------------------------------------------------------------------
    def insert_param_to_cell(self, param_name: str, param: Any, check_name: bool = True) -> None:
        from ascendsim.ms.common.parameter import Parameter

        if not param_name:
            raise MsKeyError(
                "For 'insert_param_to_cell', the argument 'param_name' should not be None."
            )
        if check_name and "." in param_name:
            raise MsKeyError(
                "For 'insert_param_to_cell', the argument 'param_name' should not contain \".\""
            )
        if param is None:  # r1.6 keeps the slot, empty
            self._params[param_name] = None
            return
        if not isinstance(param, Parameter):
            raise MsTypeError(
                "For 'insert_param_to_cell', the argument 'param' should be 'Parameter' if not "
                f"None, but got {type(param)}."
            )
        if param.name == _DEFAULT_NAME:
            param.name = param_name
        self._params[param_name] = param

    def parameters_and_names(
        self, name_prefix: str = "", expand: bool = True
    ) -> Iterator[tuple[str, Any]]:
        """(attribute path, Parameter) pairs: own parameters first, then each child's."""
        seen: set[int] = set()
        cells = [(name_prefix, self)]
        if expand:
            cells = list(self.cells_and_names(name_prefix=name_prefix))
        for prefix, cell in cells:
            for key, p in list(cell._params.items()) + [
                (f"{k}.{i}", p) for k, tup in cell._params_list.items() for i, p in enumerate(tup)
            ]:
                if p is None or id(p) in seen:
                    continue
                seen.add(id(p))
                yield (f"{prefix}.{key}" if prefix else key), p

    def get_parameters(self, expand: bool = True) -> Iterator[Any]:
        for _, p in self.parameters_and_names(expand=expand):
            yield p

    def trainable_params(self, recurse: bool = True) -> list[Any]:
        return [p for p in self.get_parameters(expand=recurse) if p.requires_grad]

    def untrainable_params(self, recurse: bool = True) -> list[Any]:
        return [p for p in self.get_parameters(expand=recurse) if not p.requires_grad]

    def parameters_dict(self, recurse: bool = True) -> OrderedDict[str, Any]:
        return OrderedDict((p.name, p) for p in self.get_parameters(expand=recurse))

    def update_parameters_name(self, prefix: str = "", recurse: bool = True) -> None:
        """Prefix every parameter's name; a non-empty prefix resets ``is_init`` (r1.6)."""
        if not isinstance(prefix, str):
            raise MsTypeError(f"The type of prefix should be str, but got {type(prefix).__name__}.")
        if not re.match(r"^\w+[0-9a-zA-Z\_\.]*$", prefix):
            raise MsValueError(
                f"'{prefix}'  is illegal, it should be match regular"
                r"'^\w+[0-9a-zA-Z\_\.]*$' (give a prefix such as 'net.')"
            )
        for p in self.get_parameters(expand=recurse):
            if prefix:
                p.is_init = False
            p.name = prefix + p.name

    def init_parameters_data(self, auto_parallel_mode: bool = False) -> dict[Any, Any]:
        out = {}
        for p in self.get_parameters():
            out[p] = p.init_data()
        return out

    # --- children -------------------------------------------------------------------------
    def cells_and_names(
        self, cells: Any = None, name_prefix: str = ""
    ) -> Iterator[tuple[str, Any]]:
        seen: set[int] = set()
        stack: list[tuple[str, Cell]] = [(name_prefix, self)]
        while stack:
            prefix, cell = stack.pop(0)
            if id(cell) in seen:
                continue
            seen.add(id(cell))
            yield prefix, cell
            children = [
                ((f"{prefix}.{k}" if prefix else k), c)
                for k, c in cell._cells.items()
                if c is not None
            ]
            stack = children + stack  # depth-first, pre-order, as r1.6

    def cells(self) -> Any:
        """The direct sub-cells (a view of them, as r1.6's ``odict_values``)."""
        return self._cells.values()

    def name_cells(self) -> OrderedDict[str, Cell]:
        return OrderedDict(self._cells)

    # --- flags ----------------------------------------------------------------------------
    def add_flags(self, **flags: Any) -> Cell:
        self._flags.update(flags)
        return self

    def add_flags_recursive(self, **flags: Any) -> Cell:
        for _, cell in self.cells_and_names():
            cell.add_flags(**flags)
        return self

    def get_flags(self) -> dict[str, Any]:
        return dict(self._flags)

    def set_train(self, mode: bool = True) -> Cell:
        for _, cell in self.cells_and_names():
            object.__setattr__(cell, "training", bool(mode))
        return self

    def set_grad(self, requires_grad: bool = True) -> Cell:
        object.__setattr__(self, "requires_grad", bool(requires_grad))
        return self

    def to_float(self, dst_type: Any) -> Cell:
        """Run this cell and its sub-cells in ``dst_type`` (float16 or float32): every op inside
        gets its float16/float32 tensor inputs (parameters too) cast to it, as r1.6's mixed
        precision does; the outputs keep that type.

        Raises:
            MsValueError: ``dst_type`` is neither float16 nor float32 (r1.6's message).
        """
        from ascendsim.ms.common import dtype as mstype

        if dst_type not in (mstype.float16, mstype.float32):
            raise MsValueError(
                "For 'to_float', the argument 'dst_type' should be float32 or float16, but got "
                f"{dst_type}."
            )
        for _, cell in self.cells_and_names():
            object.__setattr__(cell, "_mixed_precision", dst_type)
        return self

    @property
    def cls_name(self) -> str:
        """The class name (``type(cell).__name__``), as r1.6 exposes it."""
        return type(self).__name__

    @property
    def param_prefix(self) -> str:
        """The attribute path of this cell in its parent (set by ``update_cell_prefix``)."""
        return self.__dict__.get("_param_prefix", "")

    def update_cell_prefix(self) -> None:
        """Set every sub-cell's ``param_prefix`` to its attribute path."""
        for name, cell in self.cells_and_names():
            cell.__dict__["_param_prefix"] = name

    # --- calling --------------------------------------------------------------------------
    def construct(self, *inputs: Any, **kwargs: Any) -> Any:
        raise MsNotImplementedError(
            f"{type(self).__name__} defines no construct(); write one: it is the cell's "
            "forward computation"
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from ascendsim.ms import _dispatch

        if kwargs:  # bind keyword arguments to construct's parameters, as r1.6 does
            bound = inspect.signature(self.construct).bind(*args, **kwargs)
            bound.apply_defaults()
            args = tuple(bound.args) + tuple(bound.kwargs.values())
        mixed = self.__dict__.get("_mixed_precision")
        if mixed is None:
            return self._run(args)
        with _dispatch.mixed_precision(mixed):  # to_float(): ops inside cast their inputs
            return self._run(args)

    def _run(self, args: tuple[Any, ...]) -> Any:
        from ascendsim.ms import _dispatch, _graph_mode, context

        tracer = _dispatch.current_tracer()
        if tracer is not None:
            if "bprop" in type(self).__dict__ or "bprop" in self.__dict__:
                from ascendsim.ms.ops._grad.tape import Recorder, record_cell_bprop

                if isinstance(tracer, Recorder):  # being differentiated: its own bprop rules
                    return record_cell_bprop(tracer, self, args)
            return self.construct(*args)
        if context.get_context("mode") == context.GRAPH_MODE:
            self._check_construct_args(args)
            return _graph_mode.call_graph(self, self.construct, args, type(self).__name__)
        if any(isinstance(a, np.ndarray) for a in args):
            raise MsTypeError("For 'Cell', inputs should not be numpy array.")  # r1.6 PyNative
        if self.requires_grad:  # a GradOperation on these inputs reuses this forward
            _dispatch.note_eager_forward(self, args)
        return self.construct(*args)

    def _check_construct_args(self, args: tuple[Any, ...]) -> None:
        """r1.6 counts ``construct``'s arguments before it compiles a graph (its messages)."""
        required = optional = 0
        for p in inspect.signature(self.construct).parameters.values():
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                return
            if p.kind is p.POSITIONAL_OR_KEYWORD:
                if p.default is p.empty:
                    required += 1
                else:
                    optional += 1
        if len(args) < required:
            raise MsTypeError(
                f"For 'Cell', the function construct need {required} positional argument, but "
                f"got {len(args)}."
            )
        if len(args) > required + optional:
            raise MsTypeError(
                f"For 'Cell', the function construct need {required} positional argument and "
                f"{optional} default argument, total {required + optional}, but got {len(args)}."
            )

    # --- printing -------------------------------------------------------------------------
    def extend_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        extra = self.extend_repr()
        if not self._cells:
            return f"{type(self).__name__}<{extra}>"
        # r1.6's layout: the extra text on its own line before the children, all indented
        body = "\n" + (f"{extra}\n" if extra else "")
        body += "".join(f"({key}): {cell!r}\n" for key, cell in self._cells.items())
        return f"{type(self).__name__}<" + body.replace("\n", "\n  ") + ">"
