"""Data parallel on GE: every rank's init graph places every parameter of the Cell."""

from __future__ import annotations

import numpy as np

from ascendsim.ms import Parameter, Tensor, _session, communication, context, nn, ops


class _DependOnly(nn.Cell):
    def __init__(self) -> None:
        super().__init__()
        self.w = Parameter(Tensor(np.ones([4, 4], np.float32)), name="w")
        # read only through Depend: no kernel reads it, the init graph still places it
        self.v = Parameter(Tensor(np.ones([1024], np.float32)), name="v")

    def construct(self, x):  # noqa: ANN001, ANN201
        x = ops.depend(x, self.v)
        return ops.MatMul()(x, self.w)


def test_every_rank_places_every_parameter_of_the_cell() -> None:
    context.reset_context()
    context.set_context(mode=context.GRAPH_MODE, enable_ge=True)
    context.set_auto_parallel_context(parallel_mode="data_parallel", device_num=4)
    try:
        with _session.use_system(_session.new_system(devices=4)) as session:
            communication.init()
            net = _DependOnly()
            out = net(Tensor(np.ones([8, 4], np.float32)))
            assert out.asnumpy().tolist() == [[4.0] * 4] * 2  # rank 0's shard of the batch
            session.runtime.synchronize()
            placed = [
                sorted(b.owner for b in npu.memory.blocks if b.persistent)
                for npu in session.system.devices
            ]
            assert placed == [["v", "w"]] * 4
            flips = [
                (r.device, r.name) for r in session.system.trace.records if r.kind == "is_init"
            ]
            assert sorted(flips) == [(d, n) for d in range(4) for n in ("v", "w")]
    finally:
        communication.release()
        context.reset_context()
