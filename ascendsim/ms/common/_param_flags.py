"""The parallel and parameter-server flags of a Parameter (split out of ``parameter.py``).

r1.6 keeps these in the Parameter's ``ParamInfo``; ascendsim models them as plain validated
attributes: none of them affects the simulation except through the graph and backend layers
that read them. Also :func:`slice_index`, r1.6's ``_get_slice_index`` (which slice of a
parameter this rank holds), with the rank taken from the auto-parallel ``global_rank``.
"""

from __future__ import annotations

from typing import Any

from ...errors import MsRuntimeError, MsTypeError, MsValueError
from .. import context

__all__ = ["ParameterFlags", "check_bool", "slice_index"]


def check_bool(name: str, value: Any, dot: str = ".") -> None:
    """r1.6's bool check of a Parameter flag (``MsTypeError`` with its message)."""
    if not isinstance(value, bool):
        raise MsTypeError(f"The argument `{name}` must be bool type{dot}")


class ParameterFlags:
    """Mixin: cache, communication-fusion and pipeline flags (defaults set by ``Parameter``)."""

    _cache_enable: bool
    _cache_shape: tuple[int, ...] | list[int]
    _comm_fusion: int
    _comm_recompute: bool
    _unique: bool
    _pipeline_stage_list: list[int]
    push_weight_to_server: bool
    pull_weight_from_server: bool
    requires_aggr: bool

    @property
    def cache_enable(self) -> bool:
        """Whether the parameter uses the PS embedding cache (a bool)."""
        return self._cache_enable

    @cache_enable.setter
    def cache_enable(self, value: bool) -> None:
        check_bool("cache_enable", value)
        self._cache_enable = value

    @property
    def cache_shape(self) -> tuple[int, ...] | list[int]:
        """The embedding-cache shape (a tuple or list)."""
        return self._cache_shape

    @cache_shape.setter
    def cache_shape(self, value: tuple[int, ...] | list[int]) -> None:
        if not isinstance(value, (tuple, list)):
            raise MsTypeError("The argument `cache_shape` must be tuple or list type.")
        self._cache_shape = value

    @property
    def comm_fusion(self) -> int:
        """Fusion group of the parameter's auto-inserted communication ops (>= 0, default 1)."""
        return self._comm_fusion

    @comm_fusion.setter
    def comm_fusion(self, value: int) -> None:
        if context.get_context(
            "mode"
        ) == context.PYNATIVE_MODE and "auto_parallel" in context.get_auto_parallel_context(
            "parallel_mode"
        ):
            raise MsRuntimeError(
                "`comm_fusion` does not support PYNATIVE_MODE in AUTO_PARALLEL and SEMI_AUTO_PARALLEL mode."
            )
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise (
                MsTypeError
                if not isinstance(value, int) or isinstance(value, bool)
                else MsValueError
            )(
                f"`comm_fusion` should be int and must >= 0, but got `{value}` with type `{type(value).__name__}`."
            )
        self._comm_fusion = value

    @property
    def parallel_optimizer_comm_recompute(self) -> bool:
        """Recompute attribute of the parallel optimizer's AllGather (a bool)."""
        return self._comm_recompute

    @parallel_optimizer_comm_recompute.setter
    def parallel_optimizer_comm_recompute(self, value: bool) -> None:
        check_bool("parallel_optimizer_comm_recompute", value)
        self._comm_recompute = value

    @property
    def unique(self) -> bool:
        """Whether the parameter is already unique."""
        return self._unique

    @unique.setter
    def unique(self, value: bool) -> None:
        self._unique = value

    def set_param_fl(
        self,
        push_to_server: bool = False,
        pull_from_server: bool = False,
        requires_aggr: bool = True,
    ) -> None:
        """Set how the parameter interacts with a federated-learning server."""
        self.push_weight_to_server = self.push_weight_to_server or push_to_server
        self.pull_weight_from_server = self.pull_weight_from_server or pull_from_server
        if not requires_aggr:
            self.requires_aggr = False

    def add_pipeline_stage(self, stage: int) -> None:
        """Record a pipeline stage using this parameter (``MsTypeError`` unless an int >= 0)."""
        if not isinstance(stage, int) or stage < 0:
            raise MsTypeError("`stage` must be a positive number of int type")
        self._pipeline_stage_list.append(stage)


def slice_index(dev_mat: list[int], tensor_map: list[int]) -> int:
    """Index of this rank's slice (r1.6's ``_get_slice_index``; rank = ``global_rank``)."""
    rank = int(context.get_auto_parallel_context("global_rank"))
    strategy = [1 if dim == -1 else dev_mat[-dim - 1] for dim in tensor_map]
    coordinate = [0] * len(dev_mat)
    for i in range(len(dev_mat) - 1, -1, -1):
        coordinate[i] = rank % dev_mat[i]
        rank //= dev_mat[i]
    mapped = [0 if d == -1 else coordinate[len(coordinate) - 1 - d] for d in tensor_map]
    index, size = 0, 1
    for i in range(len(mapped) - 1, -1, -1):
        index += size * mapped[i]
        size *= strategy[i]
    return index
