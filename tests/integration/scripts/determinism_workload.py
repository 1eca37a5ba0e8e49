"""A mixed workload for the byte-identical-trace check: seeded random initialisers, a GE graph
(init graph, then a second run), PyNative float-status ops and a stale-status warning."""

import numpy as np
from mindspore import Tensor, context, nn, ops, set_seed

set_seed(1)
context.set_context(device_target="Ascend", mode=context.GRAPH_MODE, enable_ge=True)


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, has_bias=True, weight_init="Normal")
        self.dense = nn.Dense(4 * 6 * 6, 5, weight_init="XavierUniform")
        self.relu = ops.ReLU()
        self.reshape = ops.Reshape()

    def construct(self, x):
        y = self.relu(self.conv(x))
        return self.dense(self.reshape(y, (2, 4 * 6 * 6)))


net = Net()
x = Tensor(np.ones([2, 3, 6, 6], np.float32))
print(net(x).asnumpy().round(4))
print(net(x * 2).asnumpy().round(4))

big = Tensor(np.full([4, 4], 300, np.float16))
product = ops.MatMul()(big, big)  # overflows before the status is allocated: a stale read
status = ops.NPUAllocFloatStatus()()
status = ops.depend(status, product)
get = ops.NPUGetFloatStatus()(status)
status = ops.depend(status, get)
print(status)
