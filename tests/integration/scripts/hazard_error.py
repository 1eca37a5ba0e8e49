"""float_status_check="error": a stale NPUGetFloatStatus read raises FloatStatusOrderError."""

import numpy as np
from mindspore import Tensor, context, ops

context.set_context(device_target="Ascend", float_status_check="error")
x = Tensor(np.full([2, 2], 300, np.float16))
product = ops.MatMul()(x, x)  # overflows; the register is never cleared
status = ops.NPUAllocFloatStatus()()
status = ops.depend(status, product)
get = ops.NPUGetFloatStatus()(status)
status = ops.depend(status, get)
print(status)  # line 13: reading runs the Get, which raises
print("never printed")
