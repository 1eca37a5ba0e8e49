"""The model of ``sweep_init_time.yaml``: a 1.3-billion-parameter decoder, shape only, run data
parallel on every device of the scenario.

``llm_1b()`` opens the communication world (``communication.init()``: one rank per simulated
device, as ``context.parallel_mode: data_parallel`` and ``devices`` say) and returns a Cell
whose graph reads every parameter (through ``Depend``), so the GE init graph places all of them
on every device. The layers are stacked into one tensor per kind, as in
``placement_7b_shape_only.yaml``: 24 layers of width 2048 (attention 2048x6144 + 2048x2048,
MLP 2048x8192 twice), a 32,000-token embedding and head: 1.34e9 float16 values, 2.5 GiB.
"""

from __future__ import annotations

from typing import Any

from ascendsim.ms import Parameter, nn, ops
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.common.initializer import initializer

_SHAPES = {
    "embed": [32000, 2048],
    "layers.qkv": [24, 2048, 6144],
    "layers.o": [24, 2048, 2048],
    "layers.mlp_in": [24, 2048, 8192],
    "layers.mlp_out": [24, 8192, 2048],
    "lm_head": [2048, 32000],
}


class Decoder(nn.Cell):
    """Every parameter of the model, read in order by a chain of Depends."""

    def __init__(self) -> None:
        super().__init__()
        self.names = list(_SHAPES)
        for name, shape in _SHAPES.items():
            p = Parameter(initializer("normal", shape, mstype.float16), name=name)
            setattr(self, name.replace(".", "_"), p)
        self.depend = ops.Depend()
        self.matmul = ops.MatMul()

    def construct(self, x: Any) -> Any:
        for name in self.names[:-1]:
            x = self.depend(x, getattr(self, name.replace(".", "_")))
        return self.matmul(x, self.lm_head)


def llm_1b() -> Decoder:
    """Open the data-parallel world of the scenario's devices and return the model."""
    from ascendsim.ms.communication import init

    init()
    return Decoder()
