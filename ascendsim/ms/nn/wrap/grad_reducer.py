"""``nn.DistributedGradReducer``: all-reduce the gradients of a data-parallel step.

As r1.6 does, each gradient is cast to float32, summed over the devices with ``AllReduce``
(skipping parameters marked ``layerwise_parallel``), multiplied by ``1/degree`` when ``mean``
is set, and cast back. Fusion follows r1.6's operators: without
``all_reduce_fusion_config`` every gradient goes through one ``AllReduce`` primitive with
``fusion=fusion_type`` (the whole gradient set becomes one fused collective); with split indices
``[i1, i2, ...]`` gradients ``0..i1``, ``i1+1..i2`` ... get fusion ids 1024, 1025, ...
Collectives sharing a nonzero fusion id run as one (see :mod:`ascendsim.backend.collectives`).
"""

from __future__ import annotations

from typing import Any

from ascendsim.errors import MsNotImplementedError, MsValueError
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.nn.cell import Cell

__all__ = ["DistributedGradReducer", "parallel_mode", "gradients_mean", "device_num"]


def parallel_mode() -> str:
    """The auto-parallel context's ``parallel_mode``."""
    from ascendsim.ms import context

    return str(context.get_auto_parallel_context("parallel_mode"))


def gradients_mean() -> bool:
    """The auto-parallel context's ``gradients_mean``."""
    from ascendsim.ms import context

    return bool(context.get_auto_parallel_context("gradients_mean"))


def device_num() -> int:
    """r1.6's ``_get_device_num``: ``device_num`` if set above 1, else the group size."""
    from ascendsim.ms import communication, context

    n = int(context.get_auto_parallel_context("device_num"))
    if n > 1 or not communication.GlobalComm.INITED:
        return n
    return communication.get_group_size()


def _fusion_ids(length: int, split_indices: list[int]) -> list[int]:
    """r1.6's ``_init_allreduce_operators``: the fusion id of each gradient. Gradient ``i``
    gets the current id, which advances after ``i`` reaches the next split index (so with
    splits ``[85, 160]`` gradients 0..85 share id 1024 and 86..160 share 1025)."""
    fusion_type, split, ids = 2**10, 0, []
    for i in range(length):
        ids.append(fusion_type)
        if split < len(split_indices) and split_indices[split] <= i:
            fusion_type += 1
            split += 1
    return ids


class DistributedGradReducer(Cell):
    """Sum (or average) gradients over the devices of a data-parallel group.

    Args:
        parameters: the parameters the gradients belong to (order matters).
        mean: divide by ``degree`` after the sum.
        degree: the number of devices (default: the communication group size).
        fusion_type: the fusion id of the gradients' AllReduce when no split indices are set.
        group: the communication group.

    Raises:
        MsValueError: ``degree`` not a positive int (r1.6's message).
        MsRuntimeError: ``degree`` left to default before ``communication.init()``.
        MsNotImplementedError: (when called) data parallel in PYNATIVE_MODE.
    """

    def __init__(self, parameters: Any, mean: bool = True, degree: int | None = None,
                 fusion_type: int = 1, group: str = "hccl_world_group") -> None:  # fmt: skip
        super().__init__(auto_prefix=False)
        from ascendsim.ms import communication, context
        from ascendsim.ms.ops import operations as P

        if degree is None:
            degree = communication.get_group_size()
        elif not isinstance(degree, int) or isinstance(degree, bool) or degree <= 0:
            raise MsValueError(
                "For 'DistributedGradReducer', parameter 'degree' in DistributedGradReducer "
                f"should large than 0 and be int, degree: {degree}."
            )
        self.degree = degree
        self.mean = bool(mean)
        params = list(parameters)
        self.allreduce_filter = tuple(not p.layerwise_parallel for p in params)
        split = list(context.get_auto_parallel_context("all_reduce_fusion_config"))
        if split:
            self.op_list = tuple(P.AllReduce("sum", group).add_prim_attr("fusion", f)
                                 .add_prim_attr("index", i + 1)
                                 for i, f in enumerate(_fusion_ids(len(params), split)))  # fmt: skip
        else:
            shared = P.AllReduce("sum", group).add_prim_attr("fusion", fusion_type)
            self.op_list = tuple(shared for _ in params)
        self.cast = P.Cast()
        self.mul = P.Mul()

    def construct(self, grads: Any) -> tuple[Any, ...]:
        from ascendsim.ms import _dispatch, _parallel

        if _dispatch.current_tracer() is None and _parallel.active():
            raise MsNotImplementedError(
                "DistributedGradReducer in PYNATIVE_MODE: ascendsim simulates the ranks of a "
                "data-parallel run in GRAPH_MODE only; set "
                "context.set_context(mode=context.GRAPH_MODE)"
            )
        out = []
        for op, keep, grad in zip(self.op_list, self.allreduce_filter, grads, strict=True):
            if not keep:
                out.append(grad)
                continue
            dtype = grad.dtype
            g = grad if dtype == mstype.float32 else self.cast(grad, mstype.float32)
            g = op(g)
            if self.mean:
                g = self.mul(g, 1.0 / self.degree)
            out.append(g if dtype == mstype.float32 else self.cast(g, dtype))
        return tuple(out)
