"""A float16 MatMul whose result (300 * 300 * 2 = 180000) overflows float16, and the float
status read after it (Alloc, Clear, MatMul, Get, ordered with depend)."""

import numpy as np
from mindspore import Tensor, context, ops

context.set_context(device_target="Ascend")
x = Tensor(np.full([2, 2], 300, np.float16))
status = ops.NPUAllocFloatStatus()()
clear = ops.NPUClearFloatStatus()(status)
x = ops.depend(x, clear)
product = ops.MatMul()(x, x)
status = ops.depend(status, product)
get = ops.NPUGetFloatStatus()(status)
status = ops.depend(status, get)
print(product)
print(status.sum() > 0)
