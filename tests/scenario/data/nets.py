"""Programs for the python: scenarios of tests/scenario."""

import numpy as np

from ascendsim.ms import Parameter, Tensor, nn, ops


class Scale(nn.Cell):
    def __init__(self) -> None:
        super().__init__()
        self.w = Parameter(Tensor(np.full((2,), 2.0, np.float32)), name="scale.w")
        self.mul = ops.Mul()

    def construct(self, x):
        return self.mul(x, self.w)


def build_scale():
    return Scale()


def build_pair():
    add, sub = ops.Add(), ops.Sub()
    return lambda x: (add(x, x), sub(x, x))


def build_nothing():
    return 3
