"""``repr(Tensor)`` exactly as MindSpore r1.6 prints it (its C++ ``Tensor::ToStringRepr``).

r1.6 does not use numpy here: floats print in ``%15.8e`` (float16: ``%11.4e``), integers are
right-aligned to the widest printed number, booleans to 5 characters; 1-D tensors print every
element with a line break after each 12 floats/bools or 24 integers; higher-rank tensors show
at most 3 leading and 3 trailing entries per dimension with ``...`` between. Scalars use C++'s
default stream format (``%g``). ``str(Tensor)`` is numpy's and lives in ``tensor.py``.
"""

from __future__ import annotations

import math

import numpy as np

_THRESHOLD = 6
_HALF = _THRESHOLD // 2


def _c_float(value: float, spec: str) -> str:
    """Format like C's printf (glibc spells a negative NaN ``-nan``)."""
    if math.isnan(value):
        text = "-nan" if math.copysign(1.0, value) < 0 else "nan"
        width = spec.split(".")[0].rstrip("eg")
        return f"{text:>{width}}" if width else text
    return format(value, spec)


def _scalar(value: np.generic, kind: str) -> str:
    if kind == "b":
        return "True" if value else "False"
    if kind == "f":
        return _c_float(float(value), "g")
    if kind == "c":
        return _complex(value)
    if value.dtype.itemsize == 1:  # C++ streams an (u)int8 scalar as a character
        return chr(int(value) & 0xFF)
    return str(int(value))


def _complex(value: np.generic) -> str:
    real, imag = float(value.real), float(value.imag)
    sign = "-" if math.copysign(1.0, imag) < 0 else "+"
    return f"{_c_float(real, 'g')}{sign}{_c_float(abs(imag), 'g')}j"


class _Writer:
    """Builds the value text of one tensor; mirrors r1.6's recursive summary printer."""

    def __init__(self, flat: np.ndarray, shape: tuple[int, ...]) -> None:
        self.flat = flat
        self.shape = shape
        self.ndim = len(shape)
        self.kind = flat.dtype.kind
        if self.kind == "f":
            self.spec = "11.4e" if flat.dtype == np.float16 else "15.8e"
            self.linefeed = 2 * _THRESHOLD
        elif self.kind == "b":
            self.linefeed = 2 * _THRESHOLD
        else:
            self.linefeed = 4 * _THRESHOLD
        self.parts: list[str] = []
        self.int_width = 0
        self.int_cells: list[int] = []  # indices into parts holding integers to right-align

    def element(self, value: np.generic) -> None:
        if self.kind == "f":
            self.parts.append(_c_float(float(value), self.spec))
        elif self.kind == "b":
            self.parts.append(f"{'True' if value else 'False':>5}")
        elif self.kind == "c":
            self.parts.append(_complex(value))
        else:
            text = str(int(value))
            self.int_width = max(self.int_width, len(text))
            self.int_cells.append(len(self.parts))
            self.parts.append(text)

    #: between the elements of a row (r1.6's repr uses commas; Print's writer does not)
    separator = ", "

    def run(self, cursor: int, start: int, end: int) -> None:
        """Elements ``start..end`` of the row beginning at flat index ``cursor``."""
        for i in range(start, end):
            if cursor + i >= self.flat.size:
                break
            self.element(self.flat[cursor + i])
            if i != end - 1:
                self.parts.append(self.separator)
            if self.ndim == 1 and (i + 1) % self.linefeed == 0:
                self.parts.append("\n ")

    def summary(self, cursor: int, depth: int) -> int:
        """Print dimension ``depth`` starting at flat index ``cursor``; return the next cursor."""
        self.parts.append("[")
        num = self.shape[depth]
        if depth == self.ndim - 1:
            if num > _THRESHOLD and self.ndim > 1:
                self.run(cursor, 0, _HALF)
                self.parts.append(" ... ")
                self.run(cursor, num - _HALF, num)
            else:
                self.run(cursor, 0, num)
            cursor += num
        else:
            indent = ",\n" + " " * (depth + 1)
            for i in range(min(_HALF, num)):
                if i > 0:
                    self.parts.append(indent)
                cursor = self.summary(cursor, depth + 1)
            if num > _THRESHOLD:
                self.parts.append(indent + "...")
                cursor += int(np.prod(self.shape[depth + 1 :], dtype=np.int64)) * (num - _THRESHOLD)
            if num > _HALF:
                for i in range(min(num - _HALF, _HALF)):
                    # no comma right after the "..." line (r1.6)
                    sep = indent if (i != 0 or num <= _THRESHOLD) else indent[1:]
                    self.parts.append(sep)
                    cursor = self.summary(cursor, depth + 1)
        self.parts.append("]")
        return cursor

    def text(self) -> str:
        for idx in self.int_cells:
            self.parts[idx] = self.parts[idx].rjust(self.int_width)
        return "".join(self.parts)


def numpy_str(values: np.ndarray) -> str:
    """``str(array)`` as numpy 1.21 (r1.6's numpy) prints it.

    numpy 2 prints 0-d float32/float16 arrays in scientific notation from 1e8 on; numpy 1.21
    used positional notation for ``1e-4 <= |x| < 1e16`` for every float type.
    """
    if values.ndim == 0 and values.dtype.kind == "f":
        x = values[()]
        magnitude = abs(float(x))
        if not math.isfinite(magnitude):
            return str(x)
        if magnitude == 0.0 or 1e-4 <= magnitude < 1e16:
            return np.format_float_positional(x, unique=True, trim="0")
        return np.format_float_scientific(x, unique=True, trim="-")
    return str(values)


def value_text(values: np.ndarray) -> str:
    """The ``value=`` part of r1.6's repr for a materialised array."""
    if values.size == 0:
        return ""
    if values.ndim == 0:
        return _scalar(values[()], values.dtype.kind)
    writer = _Writer(values.reshape(-1), values.shape)
    writer.summary(0, 0)
    return writer.text()


def tensor_repr(
    shape: tuple[int, ...], dtype_name: str, values: np.ndarray | None, placeholder: str
) -> str:
    """Full ``Tensor(shape=[..], dtype=.., value=..)`` text; ``placeholder`` when no values."""
    size = int(np.prod(shape, dtype=np.int64)) if shape else 1
    if values is not None:
        body = value_text(values)
    else:
        body = "" if size == 0 else placeholder
    sep = "\n" if len(shape) > 1 else " "
    shape_text = "[" + ", ".join(str(d) for d in shape) + "]"
    return f"Tensor(shape={shape_text}, dtype={dtype_name}, value={sep}{body})"
