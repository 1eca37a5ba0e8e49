"""Loss scaling: ``DynamicLossScaleUpdateCell``, ``FixedLossScaleUpdateCell`` and
``TrainOneStepWithLossScaleCell`` (r1.6's ``loss_scale.py``).

The overflow check is r1.6's: on Ascend ``start_overflow_check`` allocates a status with
``NPUAllocFloatStatus``, orders it after the loss with ``Depend``, clears it with
``NPUClearFloatStatus`` and makes the backward's sensitivity depend on the clear;
``get_overflow_status`` makes the status depend on the gradients, reads the register with
``NPUGetFloatStatus``, makes the status depend on the read and sums it. On GPU each gradient
goes through ``FloatStatus`` (a finiteness check) instead. In data parallel the flag is
all-reduced. Overflow is ``flag >= 1``.

**The skip.** r1.6's ``construct`` ends with ``if not overflow: optimizer(grads)``, a branch
on a device value that MindSpore compiles into the graph. ascendsim's tracer cannot branch on
values, so in GRAPH_MODE the step runs as *two graphs*: graph A (forward, backward, overflow
check, loss-scale update; it returns the gradients too) and graph B (the optimizer update on
those gradients). The host reads the overflow flag after A (a device-to-host copy, visible in
the trace) and launches B only when there was no overflow, so an overflowing step leaves the
parameters *and* the optimizer state (moments, accumulators) bit-for-bit untouched and runs no
optimizer kernel. The cost of this choice: one host round trip per step that r1.6's on-device
branch does not pay. In shape-only runs the flag has a value when the float-status chain
computes one (Ascend path; see ``Runtime.declared_overflow``); a flag without a value counts as
"no overflow". In PYNATIVE_MODE ``construct`` runs as written.
"""

from __future__ import annotations

import numbers
from typing import Any

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.nn.cell import Cell
from ascendsim.ms.nn.wrap.cell_wrapper import TrainOneStepCell, depend_on, sync_params_after

__all__ = ["DynamicLossScaleUpdateCell", "FixedLossScaleUpdateCell",
           "TrainOneStepWithLossScaleCell"]  # fmt: skip


def _check_scale_value(cls: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise MsTypeError(
            f"For '{cls}', the 'loss_scale_value' must be a float or int, but got "
            f"{type(value).__name__}."
        )
    if value < 1:
        raise MsValueError(
            f"For '{cls}', the 'loss_scale_value' must be >= 1 (as "
            f"DynamicLossScaleManager requires), but got {value}."
        )


class DynamicLossScaleUpdateCell(Cell):
    """Divide the scale by ``scale_factor`` on overflow (not below 1); multiply it after
    ``scale_window`` overflow-free steps in a row. ``construct(loss_scale, overflow)`` updates
    the ``loss_scale`` Parameter in place and returns ``overflow``.

    Raises (ascendsim checks the arguments r1.6's cell takes unchecked; the types and bounds
    are those of r1.6's ``DynamicLossScaleManager``):
        MsTypeError: a non-numeric ``loss_scale_value``/``scale_factor``, a non-int
            ``scale_window``; (when traced) a ``loss_scale`` that is not a Parameter, as r1.6's
            ``Assign`` rejects it.
        MsValueError: ``loss_scale_value`` < 1, ``scale_factor`` <= 1, ``scale_window`` < 1.
    """

    def __init__(self, loss_scale_value: float, scale_factor: float, scale_window: int) -> None:
        super().__init__()
        from ascendsim.ms.common.parameter import Parameter
        from ascendsim.ms.common.tensor import Tensor
        from ascendsim.ms.ops import operations as P

        name = "DynamicLossScaleUpdateCell"
        _check_scale_value(name, loss_scale_value)
        if isinstance(scale_factor, bool) or not isinstance(scale_factor, numbers.Real):
            raise MsTypeError(
                f"For '{name}', the 'scale_factor' must be a float or int, but got "
                f"{type(scale_factor).__name__}."
            )
        if scale_factor <= 1:
            raise MsValueError(
                f"For '{name}', the 'scale_factor' must be > 1 (the scale is divided by it on "
                f"overflow and multiplied by it after 'scale_window' good steps), but got "
                f"{scale_factor}; use e.g. scale_factor=2."
            )
        if isinstance(scale_window, bool) or not isinstance(scale_window, int):
            raise MsTypeError(
                f"`scale_window` in `{name}` must be int, but got `{type(scale_window).__name__}`"
            )
        if scale_window < 1:
            raise MsValueError(
                f"`scale_window` in `{name}` should be int and must > 0, but got "
                f"`{scale_window}` with type `int`: it counts the overflow-free steps before "
                "the scale grows, so use 1 or more."
            )
        self.scale_window = Tensor(scale_window, dtype=mstype.int32)
        self.scale_factor = Tensor(scale_factor, dtype=mstype.float32)
        self.loss_scale_value = loss_scale_value
        self.cur_iter = Parameter(Tensor(1, dtype=mstype.int32), name="current_iterator_step")
        self.last_overflow_iter = Parameter(Tensor(0, dtype=mstype.int32),
                                            name="last_overflow_iterator_step")  # fmt: skip
        self.select = P.Select()
        self.max = P.Maximum()
        self.minimum_loss_scale = Tensor(1.0, dtype=mstype.float32)
        self.reciprocal = P.Reciprocal()
        self.less_equal = P.LessEqual()
        self.logic_and = P.LogicalAnd()
        self.logic_not = P.LogicalNot()
        self.logic_or = P.LogicalOr()
        self.const_true = Tensor(True, dtype=mstype.bool_)

    def get_loss_scale(self) -> float:
        """The initial loss scale value."""
        return self.loss_scale_value

    def construct(self, loss_scale: Any, overflow: Any) -> Any:
        from ascendsim.ms import _dispatch
        from ascendsim.ms.common.parameter import Parameter
        from ascendsim.ms.ops import functional as F

        if _dispatch.current_tracer() is not None and not isinstance(loss_scale, Parameter):
            raise MsTypeError(
                f"Function S-Prim-Assign's input 0 should be a Parameter, but "
                f"Tensor[{loss_scale.dtype}]. DynamicLossScaleUpdateCell updates 'loss_scale' in "
                "place: pass a Parameter (TrainOneStepWithLossScaleCell passes its scale_sense)."
            )
        overflow_cond = overflow
        on_overflow = self.select(
            overflow_cond,
            self.max(loss_scale * self.reciprocal(self.scale_factor), self.minimum_loss_scale),
            loss_scale,
        )
        should_inc = self.less_equal(self.scale_window, self.cur_iter - self.last_overflow_iter)
        last_iter_cond = self.logic_or(overflow_cond, should_inc)
        last_overflow_iter = self.select(last_iter_cond, self.cur_iter, self.last_overflow_iter)
        last_iter = F.assign(self.last_overflow_iter, last_overflow_iter)
        update_scale_cond = self.logic_and(should_inc, self.logic_not(overflow_cond))
        scale_mul_res = on_overflow * self.scale_factor
        scaled_loss_scale = self.select(update_scale_cond, scale_mul_res, on_overflow)
        F.assign(loss_scale, scaled_loss_scale)
        inc_cur_iter = self.cur_iter + 1
        inc_cur_iter = F.depend(inc_cur_iter, last_iter)
        F.assign(self.cur_iter, inc_cur_iter)
        return overflow


class FixedLossScaleUpdateCell(Cell):
    """A scale that never changes; ``construct`` returns ``overflow`` (overflowing steps are
    still skipped by ``TrainOneStepWithLossScaleCell``).

    Raises:
        MsTypeError / MsValueError: ``loss_scale_value`` not a number / below 1.
    """

    def __init__(self, loss_scale_value: float) -> None:
        super().__init__()
        _check_scale_value("FixedLossScaleUpdateCell", loss_scale_value)
        self.loss_scale_value = loss_scale_value

    def get_loss_scale(self) -> float:
        """The loss scale value."""
        return self.loss_scale_value

    def construct(self, _: Any, overflow: Any) -> Any:
        return overflow


class TrainOneStepWithLossScaleCell(TrainOneStepCell):
    """A training step with loss scaling; returns ``(loss, overflow, loss_scale)``.

    ``scale_sense`` is an update Cell (Dynamic/Fixed) or a Tensor of shape ``()`` or ``(1,)``
    (then the scale changes only through :meth:`set_sense_scale`). See the module docstring
    for how an overflowing step is skipped.

    Raises:
        MsTypeError: ``scale_sense`` neither a Cell nor a Tensor (r1.6's message).
        MsValueError: a Tensor ``scale_sense`` of another shape (r1.6's message).
    """

    def __init__(self, network: Cell, optimizer: Cell, scale_sense: Any) -> None:
        super().__init__(network, optimizer, sens=None)
        from ascendsim.ms import context
        from ascendsim.ms.common.parameter import Parameter
        from ascendsim.ms.common.tensor import Tensor
        from ascendsim.ms.ops import operations as P
        from ascendsim.ms.ops.composite import HyperMap

        self.hyper_map = HyperMap()
        self.base = Tensor(1, mstype.float32)
        self.reduce_sum = P.ReduceSum(keep_dims=False)
        self.less_equal = P.LessEqual()
        self.allreduce = P.AllReduce()
        self.is_distributed = self.parallel_mode != "stand_alone"
        self.gpu_target = context.get_context("device_target") == "GPU"
        self.loss_scaling_manager = None
        if isinstance(scale_sense, Cell):
            self.loss_scaling_manager = scale_sense
            self.scale_sense = Parameter(Tensor(scale_sense.get_loss_scale(), dtype=mstype.float32),
                                         name="scale_sense")  # fmt: skip
        elif isinstance(scale_sense, Tensor):
            if tuple(scale_sense.shape) in ((1,), ()):
                self.scale_sense = Parameter(scale_sense, name="scale_sense")
            else:
                raise MsValueError(
                    "For 'TrainOneStepWithLossScaleCell', the shape of 'scale_sense' must be (1,) "
                    f"or (), but got {tuple(scale_sense.shape)}."
                )
        else:
            raise MsTypeError(
                "For 'TrainOneStepWithLossScaleCell', the 'scale_sense' must be Cell or Tensor, "
                f"but got 'scale_sense' type: {type(scale_sense)}."
            )
        self._graph_a = _GraphOwner()
        self._graph_b = _GraphOwner()
        self._overflow_is_cond = True  # set again each time graph A is traced

    # --- r1.6's pieces --------------------------------------------------------------------
    def start_overflow_check(self, pre_cond: Any, compute_input: Any) -> tuple[Any, Any]:
        """Alloc and clear the status after ``pre_cond``; ``compute_input`` after the clear."""
        from ascendsim.ms.ops import functional as F
        from ascendsim.ms.ops import operations as P

        status: Any = False
        if not self.gpu_target:
            status = P.NPUAllocFloatStatus()()
            status = F.depend(status, pre_cond)
            clear_status = P.NPUClearFloatStatus()(status)
            compute_input = F.depend(compute_input, clear_status)
        return status, compute_input

    def get_overflow_status(self, status: Any, compute_output: Any) -> Any:
        """The overflow flag (a Bool scalar) after ``compute_output``."""
        from ascendsim.ms.ops import functional as F
        from ascendsim.ms.ops import operations as P

        if not self.gpu_target:
            status = depend_on(status, compute_output)
            get_status = P.NPUGetFloatStatus()(status)
            status = F.depend(status, get_status)
            flag_sum = self.reduce_sum(status, (0,))
        else:
            flags = self.hyper_map(P.FloatStatus(), tuple(compute_output))
            flag_sum = P.AddN()(list(flags))
            flag_sum = P.Reshape()(flag_sum, ())
        if self.is_distributed:
            flag_reduce = self.allreduce(flag_sum)
            return self.less_equal(self.base, flag_reduce)
        return self.less_equal(self.base, flag_sum)

    def process_loss_scale(self, overflow: Any) -> Any:
        """Run the scale update cell (if any); returns ``overflow``."""
        if self.loss_scaling_manager is not None:
            return self.loss_scaling_manager(self.scale_sense, overflow)
        return overflow

    def set_sense_scale(self, sens: Any) -> None:
        """Replace the scale (a Tensor of the scale's shape and dtype).

        Raises:
            MsTypeError: ``sens`` not a Tensor.
        """
        from ascendsim.ms.common.tensor import Tensor

        if not isinstance(sens, Tensor):
            raise MsTypeError(
                "For 'TrainOneStepWithLossScaleCell', the type of 'sens' must be "
                f"Tensor, but got {type(sens)}"
            )
        self.scale_sense.set_data(sens)
        _refresh_device_copies(self.scale_sense)

    # --- the step --------------------------------------------------------------------------
    def _forward_backward(self, *inputs: Any) -> tuple[Any, ...]:
        """loss, cond, the scale used, overflow and the (reduced, unscaled) gradients; overflow
        is left out when the update cell returns ``cond`` itself (one output per value)."""
        from ascendsim.ms.ops import composite as C
        from ascendsim.ms.ops import functional as F
        from ascendsim.ms.ops import operations as P

        loss = self.network(*inputs)
        status, scaling_sens = self.start_overflow_check(loss, self.scale_sense)
        scaling_sens_filled = C.ones_like(loss) * _cast(scaling_sens, F.dtype(loss))
        grads = self.grad(self.network, self.weights)(*inputs, scaling_sens_filled)
        # r1.6's _grad_scale: grad * reciprocal(scale) (one Reciprocal: MindSpore merges them)
        inverse = self.reciprocal_of(scaling_sens)
        grads = tuple(g * _cast(inverse, F.dtype(g)) for g in grads)
        grads = self.grad_reducer(grads)
        cond = self.get_overflow_status(status, grads)
        # the scale this step used, read before the update cell writes the Parameter (r1.6
        # loads it there; a graph output aliasing the Parameter would show a later value)
        used_scale = P.Cast()(scaling_sens, scaling_sens.dtype)
        overflow = self.process_loss_scale(cond)
        self._overflow_is_cond = overflow is cond
        flags = (cond,) if overflow is cond else (cond, overflow)
        return (loss, used_scale) + flags + tuple(grads)

    def reciprocal_of(self, scale: Any) -> Any:
        """``1 / scale`` (r1.6's ``_grad_scale`` computes it once per gradient)."""
        from ascendsim.ms.ops import operations as P

        return P.Reciprocal()(scale)

    def construct(self, *inputs: Any) -> tuple[Any, Any, Any]:
        loss, scaling_sens, cond, *rest = self._forward_backward(*inputs)
        overflow, grads = (cond, rest) if self._overflow_is_cond else (rest[0], rest[1:])
        if not overflow:  # PYNATIVE_MODE: a host value (see the module docstring)
            loss = depend_on(loss, self.optimizer(tuple(grads))[0])
        return loss, cond, scaling_sens

    def _apply(self, *grads: Any) -> Any:
        return self.optimizer(tuple(grads))[0]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from ascendsim.ms import _dispatch, _graph_mode, context

        if (
            kwargs
            or _dispatch.current_tracer() is not None
            or (context.get_context("mode") != context.GRAPH_MODE)
        ):
            return Cell.__call__(self, *args, **kwargs)
        name = type(self).__name__
        step = _graph_mode.call_graph(self._graph_a, self._forward_backward, args, name)
        loss, scaling_sens, cond, *rest = step
        overflow, grads = (cond, rest) if self._overflow_is_cond else (rest[0], rest[1:])
        result: Any = step
        if not _host_flag(overflow):
            result = _graph_mode.call_graph(self._graph_b, self._apply, tuple(grads),
                                            f"{name}.optimizer")  # fmt: skip
        sync_params_after(list(self.get_parameters()), result)
        return loss, cond, scaling_sens


def _refresh_device_copies(param: Any) -> None:
    """Make the device copies of ``param`` (every rank's) hold its new host value.

    ``Parameter.set_data`` replaces the host array, but a parameter already on a device keeps
    reading its device buffer (MindSpore writes the new value through to the device); until the
    front end does that for every Parameter, the scale is refreshed here. The host-to-device
    copy itself is not timed.
    """
    import numpy as np

    from ascendsim.ms import _session

    session = _session.current()
    if not session.started or param._value is None:
        return
    runtimes = [session.runtime]
    group = session.__dict__.get("_ascendsim_parallel")
    if group is not None:
        runtimes += group.runtimes[1:]
    for i, rt in enumerate(runtimes):
        buf = rt.param_buffers.get(param._uid)
        if buf is None:
            continue
        if i == 0:  # rank 0's buffer shares the Parameter's array
            buf.host, buf.device_value = param._value, None
        elif buf.value is not None:
            np.copyto(buf.value, param._value)


def _cast(x: Any, dtype: Any) -> Any:
    """``F.cast``, left out when the dtype already matches (MindSpore removes such casts)."""
    from ascendsim.ms.ops import functional as F

    return x if x.dtype == dtype else F.cast(x, dtype)


class _GraphOwner:
    """Holds one compiled-graph cache (``call_graph`` caches on its owner)."""


def _host_flag(flag: Any) -> bool:
    """The value of a Bool scalar tensor on the host (a sync); False when it has no value
    (a shape-only run whose flag was not computed)."""
    sync = getattr(flag, "_sync", None)
    if sync is not None:
        sync()
    value = getattr(flag, "_value", None)
    return bool(value) if value is not None else False
