"""``mindspore.communication.management``: init, ranks and groups of the simulated world.

One Python process simulates every rank of a data-parallel run (see
:mod:`ascendsim.ms._parallel`). :func:`init` opens the world group over ``device_num`` simulated
NPUs (the auto-parallel context's ``device_num``; 1 if unset): the backend is HCCL on Ascend
and NCCL on GPU, as r1.6 picks them, and the rank-table environment variables r1.6 requires
(``RANK_ID``, ``RANK_TABLE_FILE``) are not needed. The program sees itself as rank 0:
:func:`get_rank` returns 0 and printed values are rank 0's.

Errors follow r1.6: ``RuntimeError`` for a CPU target, a backend that does not match the target,
or a query before ``init``; ``TypeError`` for a non-str backend or group. ascendsim adds one:
``init`` raises ``RuntimeError`` when the simulated system already running has fewer NPUs than
``device_num`` (it was built before ``device_num`` was set).
"""

from __future__ import annotations

from typing import Any

from ascendsim.errors import MsRuntimeError, MsTypeError, MsValueError

__all__ = ["GlobalComm", "init", "release", "get_rank", "get_group_size", "get_local_rank",
           "get_local_rank_size", "get_world_rank_from_group_rank",
           "get_group_rank_from_world_rank", "create_group", "destroy_group",
           "HCCL_WORLD_COMM_GROUP", "NCCL_WORLD_COMM_GROUP"]  # fmt: skip

HCCL_WORLD_COMM_GROUP = "hccl_world_group"
NCCL_WORLD_COMM_GROUP = "nccl_world_group"


class GlobalComm:
    """World communication state (r1.6's class attributes, plus the simulated world size)."""

    BACKEND = "hccl"
    WORLD_COMM_GROUP = HCCL_WORLD_COMM_GROUP
    INITED = False
    CHECK_ENVS = True
    #: (ext) number of simulated ranks in the world group
    WORLD_SIZE = 1
    #: (ext) user-created groups: name -> world ranks
    GROUPS: dict[str, list[int]] = {}


def _check_group(func: str, group: Any) -> str:
    if not isinstance(group, str):
        raise MsTypeError(
            f"For '{func}', the argument 'group' must be type of string, but got "
            f"'group' type : {type(group)}."
        )
    return group


def _check_inited() -> None:
    if not GlobalComm.INITED:
        raise MsRuntimeError(
            "Distributed Communication has not been inited (call "
            "mindspore.communication.init() after context.set_auto_parallel_context("
            "parallel_mode='data_parallel', device_num=N))"
        )


def _is_world(group: str) -> bool:
    return group in (HCCL_WORLD_COMM_GROUP, NCCL_WORLD_COMM_GROUP, GlobalComm.WORLD_COMM_GROUP)


def init(backend_name: str | None = None) -> None:
    """Open the world group over ``device_num`` simulated NPUs (see the module docstring).

    Raises:
        MsRuntimeError: a CPU target; ``hccl`` off Ascend; an unknown backend; a simulated
            system with fewer NPUs than ``device_num``.
        MsTypeError: ``backend_name`` not a str.
    """
    from ascendsim.ms import _session, context

    if context._ps_role() in ("MS_PSERVER", "MS_SCHED"):
        return
    target = context.get_context("device_target")
    if backend_name is None:
        if target == "Ascend":
            backend_name = "hccl"
        elif target == "GPU":
            backend_name = "nccl"
        else:
            raise MsRuntimeError(
                f"For 'set_context', the argument 'device_target' {target} is not supported in "
                "parallel initialization, please use Ascend or GPU."
            )
    if not isinstance(backend_name, str):
        raise MsTypeError(
            "For 'init', the argument 'backend_name' must be a string, but got the "
            f"type : {type(backend_name)}"
        )
    if backend_name == "hccl":
        if target != "Ascend":
            raise MsRuntimeError(
                "For 'init', the argument  'backend_name' should be 'Ascend' to "
                f"init hccl, but got {target}"
            )
        world = HCCL_WORLD_COMM_GROUP
    elif backend_name == "nccl":
        world = NCCL_WORLD_COMM_GROUP
    else:
        raise MsRuntimeError(
            "For 'init', the argument 'backend_name' must be nccl while "
            f"'device_target' is GPU, but got the 'backend_name' : {backend_name}."
        )
    size = int(context.get_auto_parallel_context("device_num"))
    session = _session.current()
    if session._system is not None:
        have = len(session._system.devices)
        if have < size:
            raise MsRuntimeError(
                f"For 'init', the world group needs {size} simulated NPUs (device_num={size}), "
                f"but the simulated system in use has {have}: it was built before device_num "
                "was set. Call context.set_auto_parallel_context(device_num=...) before the "
                "first op runs, or context.set_context(hardware=...) to build a new system."
            )
    GlobalComm.BACKEND = backend_name
    GlobalComm.WORLD_COMM_GROUP = world
    GlobalComm.WORLD_SIZE = size
    GlobalComm.INITED = True


def release() -> None:
    """Close the world group."""
    GlobalComm.INITED = False
    GlobalComm.GROUPS = {}


def get_rank(group: str = HCCL_WORLD_COMM_GROUP) -> int:
    """This process's rank: 0 (the program sees rank 0 of the simulated ranks)."""
    _check_group("get_rank", group)
    _check_inited()
    return 0


def get_group_size(group: str = HCCL_WORLD_COMM_GROUP) -> int:
    """The number of ranks in ``group`` (the world: ``device_num``)."""
    _check_group("get_group_size", group)
    _check_inited()
    if _is_world(group):
        return GlobalComm.WORLD_SIZE
    if group not in GlobalComm.GROUPS:
        raise MsValueError(
            f"For 'get_group_size', the group '{group}' does not exist; create it "
            "with create_group(group, rank_ids)."
        )
    return len(GlobalComm.GROUPS[group])


def get_local_rank(group: str = HCCL_WORLD_COMM_GROUP) -> int:
    """Rank within this server: 0."""
    _check_group("get_local_rank", group)
    _check_inited()
    return 0


def get_local_rank_size(group: str = HCCL_WORLD_COMM_GROUP) -> int:
    """Ranks of ``group`` on this server (the hardware preset's ``devices_per_server`` cap)."""
    from ascendsim.config import load_hardware
    from ascendsim.ms import context

    per_server = int(load_hardware(context.get_context("hardware")).devices_per_server)
    return min(get_group_size(group), per_server)


def get_world_rank_from_group_rank(group: str, group_rank_id: int) -> int:
    """The world rank of ``group_rank_id`` in ``group``."""
    _check_group("get_world_rank_from_group_rank", group)
    _check_inited()
    return group_rank_id if _is_world(group) else GlobalComm.GROUPS[group][group_rank_id]


def get_group_rank_from_world_rank(world_rank_id: int, group: str) -> int:
    """The rank in ``group`` of world rank ``world_rank_id``."""
    _check_group("get_group_rank_from_world_rank", group)
    _check_inited()
    return world_rank_id if _is_world(group) else GlobalComm.GROUPS[group].index(world_rank_id)


def create_group(group: str, rank_ids: list[int]) -> None:
    """Record a group of world ranks (ascendsim runs collectives on the world group only)."""
    _check_group("create_group", group)
    _check_inited()
    if not isinstance(rank_ids, list) or len(set(rank_ids)) != len(rank_ids) or not rank_ids:
        raise MsValueError(
            f"For 'create_group', the 'rank_ids' must be a non-empty list of "
            f"distinct ranks, but got {rank_ids}."
        )
    GlobalComm.GROUPS[group] = list(rank_ids)


def destroy_group(group: str) -> None:
    """Forget a group made by :func:`create_group`."""
    _check_group("destroy_group", group)
    GlobalComm.GROUPS.pop(group, None)
