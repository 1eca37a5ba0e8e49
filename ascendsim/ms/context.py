"""``mindspore.context`` as in r1.6, plus ascendsim's own keys.

r1.6 keys keep r1.6's defaults, types and error messages (``device_target`` defaults to
``"Ascend"``, as MindSpore's Ascend package does). As in r1.6, ``device_id``,
``variable_memory_max_size``, ``max_device_memory`` and ``mempool_block_size`` can be set only
once per process (a second attempt raises ``TypeError``, even when the first one failed).

ascendsim extensions (ext):

* ``enable_ge`` (bool, default False): use the GE backend (init graph + sunk graph). In r1.6 it
  is read-only and fixed by the build; here it is settable and mirrors ``backend``.
* ``backend`` (``"ge"`` | ``"default"``): the same choice by name.
* ``float_status_check`` (``"warn"`` | ``"error"`` | ``"off"``, default ``"warn"``).
* ``hardware`` (preset name or path, default ``"ascend910a"``).
* ``shape_only`` (bool, default False): tensors carry shape and dtype only, no values.
* ``schedule`` (str, default ``"program"``): the graph schedule policy name (validated by the
  graph layer's policy registry when a graph runs, not here).
* ``set_ps_context(ms_role=...)`` sets the parameter-server role directly (r1.6 only reads
  ``$MS_ROLE`` when ``enable_ps`` is set, outside federated learning).
* :func:`reset_context` restores every default (and the auto-parallel and PS contexts);
  :func:`add_context_listener` registers ``fn(key, value)`` called after each successful
  ``set_context`` key.

All state is module-level, like MindSpore's context singleton. Errors: ``MsValueError`` for
unknown keys and bad values, ``MsTypeError`` for wrong types, as r1.6.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable
from typing import Any

from ..errors import MsRuntimeError, MsTypeError, MsValueError

__all__ = [
    "GRAPH_MODE", "PYNATIVE_MODE", "ParallelMode", "set_context", "get_context", "reset_context",
    "add_context_listener", "remove_context_listener", "set_auto_parallel_context",
    "get_auto_parallel_context", "reset_auto_parallel_context", "set_ps_context",
    "get_ps_context", "reset_ps_context",
]  # fmt: skip

GRAPH_MODE = 0
PYNATIVE_MODE = 1
_DEVICE_APP_MEMORY_SIZE = 31
_MEMORY_PATTERN = r"[1-9][0-9]*(\.)?[0-9]*GB|0\.[0-9]*GB"


class ParallelMode:
    """Names of the parallel modes (``context.ParallelMode.DATA_PARALLEL`` ...)."""

    STAND_ALONE = "stand_alone"
    DATA_PARALLEL = "data_parallel"
    HYBRID_PARALLEL = "hybrid_parallel"
    SEMI_AUTO_PARALLEL = "semi_auto_parallel"
    AUTO_PARALLEL = "auto_parallel"
    MODE_LIST = [STAND_ALONE, DATA_PARALLEL, HYBRID_PARALLEL, SEMI_AUTO_PARALLEL, AUTO_PARALLEL]


_DEFAULTS: dict[str, Any] = {
    "mode": GRAPH_MODE, "device_target": "Ascend", "device_id": 0, "save_graphs": False,
    "save_graphs_path": ".", "enable_graph_kernel": False, "graph_kernel_flags": "",
    "variable_memory_max_size": "0", "max_device_memory": 1024.0, "mempool_block_size": 1.0,
    "enable_reduce_precision": True, "check_bprop": False, "enable_sparse": False,
    "precompile_only": False, "enable_profiling": False, "profiling_options": "training_trace",
    "enable_dump": False, "save_dump_path": ".", "print_file_path": "", "compile_cache_path": "",
    "tune_mode": "NO_TUNE", "max_call_depth": 1000, "env_config_path": "",
    "grad_for_scalar": False, "pynative_synchronize": False, "enable_parallel_split": False,
    "reserve_class_name_in_scope": True,
    # ascendsim extensions
    "backend": "default", "float_status_check": "warn", "hardware": "ascend910a",
    "shape_only": False, "schedule": "program",
}  # fmt: skip

# r1.6's @args_type_check for set_context (None skips the check, as there)
_TYPES: dict[str, type | tuple[type, ...]] = {
    "mode": int, "precompile_only": bool, "device_target": str, "device_id": int,
    "save_graphs": bool, "save_graphs_path": str, "enable_dump": bool, "auto_tune_mode": str,
    "save_dump_path": str, "enable_reduce_precision": bool, "variable_memory_max_size": str,
    "enable_profiling": bool, "profiling_options": str, "enable_graph_kernel": bool,
    "reserve_class_name_in_scope": bool, "check_bprop": bool, "max_device_memory": str,
    "print_file_path": str, "enable_sparse": bool, "max_call_depth": int, "env_config_path": str,
    "graph_kernel_flags": str, "grad_for_scalar": bool, "pynative_synchronize": bool,
    "mempool_block_size": str, "compile_cache_path": str, "enable_parallel_split": bool,
    "enable_ge": bool, "backend": str, "float_status_check": str, "hardware": str,
    "shape_only": bool, "schedule": str,
}  # fmt: skip
_UNRESETTABLE = {"device_id": int, "variable_memory_max_size": str, "max_device_memory": str,
                 "mempool_block_size": str}  # fmt: skip

_state: dict[str, Any] = dict(_DEFAULTS)
_set_record: dict[str, Any] = {}
_listeners: list[Callable[[str, Any], None]] = []


def _bad_regular(value: str, reg: str) -> MsValueError:
    return MsValueError(
        f"'{value}'  is illegal, it should be match regular'{reg}' by flags'256.' "
        '(write a size such as "5GB" or "3.5GB")'
    )


def _set_mode(mode: int) -> None:
    if mode == PYNATIVE_MODE:
        parallel_mode = _auto_parallel["parallel_mode"]
        if parallel_mode not in (ParallelMode.DATA_PARALLEL, ParallelMode.STAND_ALONE):
            raise MsValueError(
                "Pynative Only support STAND_ALONE and DATA_PARALLEL for ParallelMode,"
                f"but got {parallel_mode.upper()}."
            )
    elif mode != GRAPH_MODE:
        raise MsValueError(
            "For 'context.set_context', the argument 'mode' should be context.GRAPH_MODE (0) "
            f"or context.PYNATIVE_MODE (1), but got {mode}."
        )
    _state["mode"] = int(mode)


def _set_device_target(target: str) -> None:
    valid = ["CPU", "GPU", "Ascend", "Davinci"]
    if target not in valid:
        raise MsValueError(
            f"For 'context.set_context', the argument 'device_target' must be one of {valid}, "
            f"but got {target}."
        )
    _state["device_target"] = "Ascend" if target == "Davinci" else target


def _set_device_id(device_id: int) -> None:
    if device_id < 0 or device_id > 4095:
        raise MsValueError(
            "For 'context.set_context', the argument 'device_id' must be in range [0, 4095], "
            f"but got {device_id}."
        )
    _state["device_id"] = device_id


def _set_max_call_depth(depth: int) -> None:
    if depth <= 0:
        raise MsValueError(
            "For 'context.set_context', the argument 'max_call_depth' must be greater than 0, "
            f"but got {depth}."
        )
    _state["max_call_depth"] = depth


def _set_auto_tune_mode(tune_mode: str) -> None:
    candidate = ["NO_TUNE", "RL", "GA", "RL,GA", "GA,RL"]
    if tune_mode not in candidate:
        raise MsValueError(
            "For 'context.set_context', the argument 'auto_tune_mode' must be in "
            f"{candidate}, but got {tune_mode}."
        )
    _state["tune_mode"] = tune_mode


def _set_variable_memory_max_size(size: str) -> None:
    if re.match(_MEMORY_PATTERN, size, re.ASCII) is None:
        raise _bad_regular(size, _MEMORY_PATTERN)
    if float(size[:-2]) > _DEVICE_APP_MEMORY_SIZE:
        raise MsValueError(
            "For 'context.set_context', the argument 'variable_memory_max_size' should not be "
            f"greater than 31GB, but got {size}."
        )
    _state["variable_memory_max_size"] = size[:-2] + " * 1024 * 1024 * 1024"


def _set_max_device_memory(size: str) -> None:
    if re.match(_MEMORY_PATTERN, size, re.ASCII) is None:
        raise _bad_regular(size, _MEMORY_PATTERN)
    value = float(size[:-2])
    if value == 0:
        raise MsValueError(
            "For 'context.set_context', the argument 'max_device_memory' should not be \"0GB\"."
        )
    _state["max_device_memory"] = value


def _set_mempool_block_size(size: str) -> None:
    if _state["mode"] == GRAPH_MODE:
        return  # r1.6 warns "Graph mode not support mempool_block_size context currently"
    if re.match(_MEMORY_PATTERN, size, re.ASCII) is None:
        raise MsValueError(
            'Context param mempool_block_size should be in correct format! Such as "10GB"'
        )
    value = float(size[:-2])
    if value < 1.0:
        raise MsValueError('Context param mempool_block_size should be greater or equal to "1GB"')
    _state["mempool_block_size"] = value


def _choice(key: str, choices: tuple[str, ...]) -> Callable[[str], None]:
    def setter(value: str) -> None:
        if value not in choices:
            raise MsValueError(
                f"For 'context.set_context', the argument '{key}' must be one of "
                f"{list(choices)}, but got {value!r}."
            )
        _state[key] = value

    return setter


def _set_backend(value: str) -> None:
    _choice("backend", ("ge", "default"))(value)


def _set_enable_ge(value: bool) -> None:
    _state["backend"] = "ge" if value else "default"


def _set_hardware(value: str) -> None:
    if not value.strip():
        raise MsValueError(
            "For 'context.set_context', the argument 'hardware' must name a preset "
            "(such as 'ascend910a') or a config file path, but got an empty string."
        )
    _state["hardware"] = value


_SETTERS: dict[str, Callable[[Any], None]] = {
    "mode": _set_mode, "device_target": _set_device_target, "device_id": _set_device_id,
    "max_call_depth": _set_max_call_depth, "auto_tune_mode": _set_auto_tune_mode,
    "variable_memory_max_size": _set_variable_memory_max_size,
    "max_device_memory": _set_max_device_memory, "mempool_block_size": _set_mempool_block_size,
    "backend": _set_backend, "enable_ge": _set_enable_ge, "hardware": _set_hardware,
    "float_status_check": _choice("float_status_check", ("warn", "error", "off")),
}  # fmt: skip


_TARGET_SPECIFIC = {
    "enable_graph_kernel": ("Ascend", "GPU", "CPU"), "graph_kernel_flags": ("Ascend", "GPU", "CPU"),
    "enable_reduce_precision": ("Ascend",), "print_file_path": ("Ascend",),
    "variable_memory_max_size": ("Ascend",), "auto_tune_mode": ("Ascend",),
    "max_device_memory": ("Ascend", "GPU"), "mempool_block_size": ("GPU", "Ascend"),
}  # fmt: skip


def _target_supports(key: str) -> bool:
    """r1.6 ignores (with a warning) keys the current device target does not support."""
    devices = _TARGET_SPECIFIC.get(key)
    target = _state["device_target"]
    if devices is None or target in devices:
        return True
    warnings.warn(
        f"Config '{key}' only supports devices in {list(devices)}, current device is '{target}', "
        "ignore it.",
        stacklevel=3,
    )
    return False


def set_context(**kwargs: Any) -> None:
    """Set context keys (see the module docstring); ``device_target`` is applied first.

    Raises ``MsValueError`` for an unknown key or an invalid value and ``MsTypeError`` for a
    value of the wrong type or a second setting of a set-once key, with r1.6's messages.
    """
    for name in kwargs:
        if name in _set_record:
            raise MsTypeError(
                f"Argument {name} is non-renewable parameter {_UNRESETTABLE[name]}. "
                "It can be set only once per process (ascendsim: call context.reset_context() in tests)."
            )
        if name in _UNRESETTABLE:
            _set_record[name] = kwargs[name]
    for name, value in kwargs.items():
        expected = _TYPES.get(name)
        if expected is not None and value is not None and not isinstance(value, expected):
            raise MsTypeError(f"The argument {name} must be {expected}, but got {type(value)}")
    ordered = sorted(kwargs.items(), key=lambda kv: kv[0] != "device_target")
    for key, value in ordered:
        if key in (
            "enable_profiling",
            "profiling_options",
            "enable_auto_mixed_precision",
            "enable_dump",
            "save_dump_path",
        ):
            continue  # r1.6: deprecated, ignored with a warning
        if not _target_supports(key):
            continue
        if key in _SETTERS:
            _SETTERS[key](value)
        elif key in _DEFAULTS:
            _state[key] = value
        else:
            raise MsValueError(
                f"For 'context.set_context', the keyword argument {key} is not recognized! For "
                "detailed usage of 'set_context', please refer to the Mindspore official website."
            )
        for listener in list(_listeners):
            listener(key, get_context(key) if key != "auto_tune_mode" else value)


def get_context(attr_key: str) -> Any:
    """The value of a context key (``MsValueError`` for an unknown key, as r1.6)."""
    if attr_key == "enable_ge":
        return _state["backend"] == "ge"
    if attr_key in _state:
        return _state[attr_key]
    raise MsValueError(
        f"For 'context.get_context', the argument {attr_key} is not recognized! For detailed "
        "usage of 'get_context', please refer to the Mindspore official website."
    )


def add_context_listener(fn: Callable[[str, Any], None]) -> None:
    """Call ``fn(key, value)`` after every successful ``set_context`` key (ascendsim ext)."""
    _listeners.append(fn)


def remove_context_listener(fn: Callable[[str, Any], None]) -> None:
    """Stop calling ``fn`` (no error if it was not registered)."""
    if fn in _listeners:
        _listeners.remove(fn)


# --- auto-parallel context -------------------------------------------------------------------

_AUTO_PARALLEL_DEFAULTS: dict[str, Any] = {
    "device_num": 1, "global_rank": 0, "gradients_mean": False, "gradient_fp32_sync": True,
    "parallel_mode": ParallelMode.STAND_ALONE, "search_mode": "dynamic_programming",
    "auto_parallel_search_mode": "dynamic_programming", "parameter_broadcast": False,
    "strategy_ckpt_load_file": "", "strategy_ckpt_save_file": "", "full_batch": False,
    "enable_parallel_optimizer": False, "all_reduce_fusion_config": [], "pipeline_stages": 1,
    "grad_accumulation_step": 1, "dataset_strategy": "data_parallel", "loss_repeated_mean": True,
    "comm_fusion": {"allreduce": {"mode": "auto", "config": 64}},
    "communi_parallel_mode": "all_group_parallel", "optimizer_weight_shard_size": -1,
    "optimizer_weight_shard_aggregated_save": False, "sharding_propagation": False,
    "enable_alltoall": False,
}  # fmt: skip
_AUTO_PARALLEL_TYPES: dict[str, type | tuple[type, ...]] = {
    "device_num": int, "global_rank": int, "gradients_mean": bool, "gradient_fp32_sync": bool,
    "parallel_mode": str, "auto_parallel_search_mode": str, "search_mode": str,
    "parameter_broadcast": bool, "strategy_ckpt_load_file": str, "strategy_ckpt_save_file": str,
    "full_batch": bool, "enable_parallel_optimizer": bool, "all_reduce_fusion_config": list,
    "pipeline_stages": int, "grad_accumulation_step": int, "comm_fusion": dict,
}  # fmt: skip
_auto_parallel: dict[str, Any] = {}


def _check_range(key: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise MsValueError(
            f"The context configuration parameter '{key}' must be in [{low}, {high}], but got the "
            f"value of {key} : {value}."
        )


def set_auto_parallel_context(**kwargs: Any) -> None:
    """Set auto-parallel keys (``parallel_mode``, ``device_num``, ``global_rank``, ...).

    Raises ``MsTypeError`` for a wrong type and ``MsValueError`` for an unknown key or an
    invalid value, with r1.6's messages.
    """
    for name, value in kwargs.items():
        expected = _AUTO_PARALLEL_TYPES.get(name)
        if expected is not None and value is not None and not isinstance(value, expected):
            raise MsTypeError(f"The argument {name} must be {expected}, but got {type(value)}")
    for key, value in kwargs.items():
        if key not in _AUTO_PARALLEL_DEFAULTS:
            raise MsValueError(f"Set context keyword {key} is not recognized!")
        if key == "parallel_mode" and value not in ParallelMode.MODE_LIST:
            raise MsValueError(
                "The context configuration parameter 'parallel_mode' only support 'stand_alone', "
                "'data_parallel', 'hybrid_parallel', 'semi_auto_parallel' and 'auto_parallel', "
                f"but got the value : {value}."
            )
        if key in ("search_mode", "auto_parallel_search_mode") and value not in (
            "recursive_programming", "dynamic_programming", "sharding_propagation"
        ):  # fmt: skip
            raise MsValueError(
                "The context configuration parameter 'auto_parallel_search_mode' only support "
                f"'recursive_programming' and 'dynamic_programming', but got the value : {value}."
            )
        if key == "device_num":
            _check_range(key, value, 1, 4096)
        if key == "global_rank":
            _check_range(key, value, 0, 4095)
        if key in ("search_mode", "auto_parallel_search_mode"):
            _auto_parallel["search_mode"] = _auto_parallel["auto_parallel_search_mode"] = value
        else:
            _auto_parallel[key] = value


def get_auto_parallel_context(attr_key: str) -> Any:
    """An auto-parallel key's value (``MsValueError`` for an unknown key, as r1.6)."""
    if attr_key not in _auto_parallel:
        raise MsValueError(f"Get context keyword {attr_key} is not recognized!")
    value = _auto_parallel[attr_key]
    return list(value) if isinstance(value, list) else value


def reset_auto_parallel_context() -> None:
    """Restore every auto-parallel key to its default."""
    _auto_parallel.clear()
    _auto_parallel.update(
        {k: (list(v) if isinstance(v, list) else v) for k, v in _AUTO_PARALLEL_DEFAULTS.items()}
    )


# --- parameter-server context ----------------------------------------------------------------

_PS_DEFAULTS: dict[str, Any] = {
    "enable_ps": False, "server_mode": "", "ms_role": "MS_NOT_PS", "worker_num": 0,
    "server_num": 0, "scheduler_ip": "0.0.0.0", "scheduler_port": 6667,
}  # fmt: skip
_ROLES = ("MS_WORKER", "MS_PSERVER", "MS_SCHED")
_ps: dict[str, Any] = {}


def set_ps_context(**kwargs: Any) -> None:
    """Set parameter-server keys. ``enable_ps=True`` reads the role from ``$MS_ROLE`` then.

    (ext) ``ms_role="MS_WORKER"`` (or ``MS_PSERVER``/``MS_SERVER``/``MS_SCHED``) sets the role
    directly; r1.6 ignores it outside federated learning, so there only ``$MS_ROLE`` counts.
    Raises ``MsTypeError`` if ``enable_ps`` is not a bool, ``MsValueError`` for unknown keys,
    ``MsRuntimeError`` for an invalid role (as r1.6).
    """
    if "enable_ps" in kwargs and not isinstance(kwargs["enable_ps"], bool):
        raise MsTypeError(
            f"The argument enable_ps must be {bool}, but got {type(kwargs['enable_ps'])}"
        )
    for key, value in kwargs.items():
        if key not in _PS_DEFAULTS:
            raise MsValueError(f"Set PS context keyword {key} is not recognized!")
        if key == "enable_ps":
            _ps["enable_ps"] = value
            role = os.environ.get("MS_ROLE", "")
            _ps["server_mode"] = "PARAMETER_SERVER" if value else ""
            _ps["ms_role"] = role if value and role in _ROLES else "MS_NOT_PS"
        elif key == "ms_role":
            if value not in _ROLES + ("MS_SERVER",):
                raise MsRuntimeError(
                    f"ms_role {value} is invalid: use one of {list(_ROLES) + ['MS_SERVER']}."
                )
            _ps["ms_role"] = "MS_PSERVER" if value == "MS_SERVER" else value
        else:
            _ps[key] = value


def get_ps_context(attr_key: str) -> Any:
    """A parameter-server key's value (``MsValueError`` for an unknown key, as r1.6)."""
    if attr_key not in _ps:
        raise MsValueError(f"Get PS context keyword {attr_key} is not recognized!")
    return _ps[attr_key]


def reset_ps_context() -> None:
    """Restore every parameter-server key to its default."""
    _ps.clear()
    _ps.update(_PS_DEFAULTS)


def _ps_role() -> str:
    """``"MS_WORKER"``, ``"MS_PSERVER"``, ``"MS_SCHED"`` or ``"MS_NOT_PS"``."""
    return _ps["ms_role"] if _ps["enable_ps"] else "MS_NOT_PS"


def _is_in_parallel_mode() -> bool:
    """Whether the parallel mode is semi-auto or auto parallel (Parameters stay lazy then)."""
    return _auto_parallel["parallel_mode"] in (
        ParallelMode.SEMI_AUTO_PARALLEL,
        ParallelMode.AUTO_PARALLEL,
    )


def reset_context() -> None:
    """Restore all context, auto-parallel and PS keys and forget set-once records (ext)."""
    _state.clear()
    _state.update(_DEFAULTS)
    _set_record.clear()
    reset_auto_parallel_context()
    reset_ps_context()


reset_auto_parallel_context()
reset_ps_context()
