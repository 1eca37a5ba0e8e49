"""Runs two ops, prints a result, then raises: the trace must hold the work done before."""

import numpy as np
from mindspore import Tensor, ops

x = Tensor(np.ones([2, 2], np.float32))
y = ops.Add()(x, x)
print(y)


def check(value):
    raise ValueError(f"midway failure with {value}")  # line 12


check(3)  # line 15
z = ops.Mul()(y, y)  # never runs
print(z)
