"""How a case's result is recorded: the same code runs under r1.6 (capture) and ascendsim."""

import hashlib
import math
import re

import numpy as np

#: r1.6's C++ messages start with ``file.cc:LINE Function] ``: not part of the behaviour
_CPP_PREFIX = re.compile(r"^[\w/.\-]+\.(cc|h):\d+ \w+\] ")
_BUILTINS = (IndexError, KeyError, TypeError, ValueError, RuntimeError, AttributeError)


def _value(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def encode(result, tensor_cls):
    """A JSON-able record of ``result``: tensors as (dtype, shape, values or digest)."""
    if isinstance(result, tensor_cls):
        arr = np.ascontiguousarray(result.asnumpy())
        if arr.size <= 24:
            flat = [_value(v) for v in arr.reshape(-1).tolist()]
        else:
            flat = "sha:" + hashlib.sha256(arr.tobytes()).hexdigest()[:32]
        return ["T", str(result.dtype), list(result.shape), flat]
    if isinstance(result, (tuple, list)):
        return ["L", [encode(r, tensor_cls) for r in result]]
    if isinstance(result, (bool, int, float, str)):
        return ["V", repr(result)]
    return ["O", type(result).__name__]


def encode_error(exc):
    """(builtin exception type, first line of the message without r1.6's C++ location)."""
    kind = next((t.__name__ for t in _BUILTINS if isinstance(exc, t)), type(exc).__name__)
    text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    line = text.strip().split("\n")[0]
    return ["E", kind, _CPP_PREFIX.sub("", line)]


def run_case(expr, names, tensor_cls):
    """Evaluate ``expr`` in ``names``; the encoded result or error."""
    try:
        return encode(eval(expr, dict(names)), tensor_cls)  # noqa: S307 - test expressions
    except Exception as exc:  # noqa: BLE001 - every error is part of the record
        return encode_error(exc)
