"""Global and op-level random seeds, as MindSpore r1.6's ``mindspore/common/seed.py``.

``set_seed(s)`` seeds numpy's global generator (which the numpy-based initializers draw
from) and resets the op-seed counters. The ``Normal`` initializer takes its Philox key pair
from :func:`_get_graph_seed` with op seed = global seed and kernel ``"init"``: the first
materialisation after ``set_seed(s)`` uses ``(s, s)``, and every later one advances the second
word by ``0xD2511F53 ^ 0xCD9E8D57`` (mod ``2**31 - 1``). A global seed of 0 stands for
r1.6's default graph seed 87654321; with no global seed at all the pair is ``(0, 0)`` and the
generator picks a random key.

This is front-end state mirroring MindSpore's own process-wide globals (the simulated
``System`` owns no part of it). :func:`_reset_seed_state` restores the import-time state
(no global seed, no counters) for tests.
"""

from __future__ import annotations

import numpy as np

from ...errors import MsTypeError, MsValueError

__all__ = ["set_seed", "get_seed"]

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1
_KEY_CONSTANT = (3528531795, 2654435769, 3449720151, 3144134277)

_GLOBAL_SEED: int | None = None
_KERNEL_SEED: dict[tuple[str, int], int] = {}


def _check_non_negative_int(value: object, arg_name: str, prim_name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        msg = (
            f"`{arg_name}` in `{prim_name}` should be int and must >= 0, but got `{value}` "
            f"with type `{type(value).__name__}`."
        )
        raise (
            MsValueError if isinstance(value, int) and not isinstance(value, bool) else MsTypeError
        )(msg)
    return value


def set_seed(seed: int) -> None:
    """Set the global seed: seeds numpy's global generator and resets the op-seed counters.

    Raises ``MsTypeError`` if ``seed`` is not an int (or is a bool), ``MsValueError`` if it is
    negative or not below ``2**32`` (numpy's limit).
    """
    if not isinstance(seed, int):
        raise MsTypeError(f"The argument 'seed' must be type of int, but got {type(seed)}.")
    _check_non_negative_int(seed, "seed", "global_seed")
    if seed >= 2**32:
        raise MsValueError(
            f"Seed must be between 0 and 2**32 - 1 (numpy's limit), but got {seed}; "
            "pass a smaller seed to set_seed."
        )
    global _GLOBAL_SEED
    np.random.seed(seed)
    _reset_op_seed()
    _GLOBAL_SEED = seed


def get_seed() -> int | None:
    """The global seed, or ``None`` if :func:`set_seed` was never called."""
    return _GLOBAL_SEED


def _reset_op_seed() -> None:
    for kernel_name, op_seed in list(_KERNEL_SEED):
        _KERNEL_SEED[(kernel_name, op_seed)] = op_seed


def _reset_seed_state() -> None:
    """Forget the global seed and all op-seed counters (test helper)."""
    global _GLOBAL_SEED
    _GLOBAL_SEED = None
    _KERNEL_SEED.clear()


def _truncate_seed(seed: int) -> int:
    return seed % _MAXINT32


def _get_op_seed(op_seed: int, kernel_name: str) -> int:
    return _KERNEL_SEED.setdefault((kernel_name, op_seed), op_seed)


def _update_seeds(op_seed: int | None, kernel_name: str) -> None:
    if op_seed is not None:
        _KERNEL_SEED[(kernel_name, op_seed)] += _KEY_CONSTANT[0] ^ _KEY_CONSTANT[2]


def _get_graph_seed(op_seed: int | None, kernel_name: str) -> tuple[int, int]:
    """The (seed, seed2) pair a random kernel uses; advances the kernel's counter."""
    global_seed = get_seed()
    if global_seed == 0:
        global_seed = DEFAULT_GRAPH_SEED
    elif global_seed is None:
        global_seed = 0
    if op_seed is None:
        op_seed = 0
    if global_seed == 0 and op_seed == 0:
        return 0, 0
    _check_non_negative_int(op_seed, "seed", kernel_name)
    temp_seed = _get_op_seed(op_seed, kernel_name)
    seeds = _truncate_seed(global_seed), _truncate_seed(temp_seed)
    _update_seeds(op_seed, kernel_name)
    return seeds


def _get_global_and_op_seed() -> tuple[int, int]:
    """(global, op) seed pair used by parameter-server embedding caches (no counter advance)."""
    global_seed = get_seed()
    op_seed = get_seed()
    if global_seed == 0:
        global_seed = DEFAULT_GRAPH_SEED
    elif global_seed is None:
        global_seed = 0
    if op_seed is None:
        op_seed = 0
    temp_seed = _get_op_seed(op_seed, "init")
    return _truncate_seed(global_seed), _truncate_seed(temp_seed)
