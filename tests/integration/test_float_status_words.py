"""The register's size is a preset field; the ops keep r1.6's (8,) tensors whatever it is."""

from __future__ import annotations

import numpy as np
import pytest

from ascendsim.config import load_hardware
from ascendsim.device import System
from ascendsim.ms import Tensor, _session, context, ops


@pytest.mark.parametrize("words", [1, 4, 8, 16])
def test_get_copies_what_fits_of_a_register_of_any_size(words: int) -> None:
    context.reset_context()
    system = System(load_hardware("ascend910a", {"float_status.words": words}))
    with _session.use_system(system):
        context.set_context(device_target="Ascend")
        status = ops.NPUAllocFloatStatus()()
        ops.Mul()(Tensor(np.array([60000], np.float16)), Tensor(np.array([2], np.float16)))
        got = ops.depend(status, ops.NPUGetFloatStatus()(status)).asnumpy()
    assert got.shape == (8,) and got.tolist() == [1.0] + [0.0] * 7
    assert system.device(0).float_status.words == words
    context.reset_context()
