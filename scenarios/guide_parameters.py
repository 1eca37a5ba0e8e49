"""The program of ``guide_parameters.yaml``: the parameter guide's examples, in one Cell.

Each statement below is one of the guide's examples ("Network Parameters", MindSpore r1.6):
creating Parameters from a Tensor, an Initializer and a float; ``clone``, ``init_data`` and
``set_data``; and ``ParameterTuple.clone``. ``construct`` then reads them so that the run shows
where each one lives and when it reaches the device.
"""

import numpy as np

from ascendsim.ms import Parameter, ParameterTuple, Tensor, nn, ops
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.common.initializer import initializer


class GuideParameters(nn.Cell):
    def __init__(self):
        super().__init__()
        # Declaration: from a Tensor (Int64 on Linux), an Initializer, a Python float
        self.x = Parameter(default_input=Tensor(np.arange(2 * 3).reshape((2, 3))), name="x")
        self.y = Parameter(default_input=initializer("ones", [1, 2, 3], mstype.float32), name="y")
        self.z = Parameter(default_input=2.0, name="z")
        # Methods: clone, init_data, set_data (Int64 data into a Float32 Parameter: cast)
        self.w = Parameter(default_input=initializer("ones", [1, 2, 3], mstype.float32), name="w")
        self.w_clone = self.w.clone()
        self.w_clone.name = "w_clone"
        self.w.init_data()
        self.w.set_data(data=Tensor(np.arange(2 * 3).reshape((1, 2, 3))))
        # ParameterTuple and its clone: names become params_copy.x, params_copy.y, ...
        self.params_copy = ParameterTuple((self.x, self.y, self.z)).clone("params_copy")
        self.mul = ops.Mul()
        self.add = ops.Add()
        self.cast = ops.Cast()

    def construct(self):
        out = self.add(self.mul(self.w, self.z), self.cast(self.x, mstype.float32))
        copy_sum = self.add(self.params_copy[1], self.y)
        return out, copy_sum


def build():
    return GuideParameters()
