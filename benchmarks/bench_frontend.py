"""Issue 3 figures: lazy initializer memory and Parameter creation cost.

- ``big_param_rss_delta_mb``: ``Parameter(initializer('normal', [100_000, 100_000], float16))``
  (20 GB if materialised) created in a shape-only context and placed in the simulated HBM by
  the GE init graph; host RSS delta (target < 10 MB).
- ``param_create_ratio``: creating N Parameters from initializers (lazy: a shape-only context,
  so no values are drawn) versus creating N Parameters backed by numpy 1-element arrays, in one
  process; target within 5x. ``param_create_eager_us`` reports the cost with values drawn at
  construction (r1.6's behaviour in a values run).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _proc import RSS_SNIPPET, run_python  # noqa: E402

BIG = (
    RSS_SNIPPET
    + """
import json
import ascendsim.ms as ms
from ascendsim.ms import context, nn, ops, Parameter, Tensor
from ascendsim.ms.common.initializer import initializer
from ascendsim.ms import dtype as mstype
context.set_context(device_target="Ascend", enable_ge=True, shape_only=True)
class Holder(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(initializer("normal", [100_000, 100_000], mstype.float16), name="w")
        self.sum = ops.ReduceSum()
    def construct(self, x):
        return self.sum(self.w) + x
x = Tensor(1.0, mstype.float16)
class Warm(nn.Cell):  # first use imports the simulator and builds the system: not the subject
    def __init__(self):
        super().__init__()
        self.w = Parameter(initializer("normal", [4, 4], mstype.float16), name="warm")
        self.sum = ops.ReduceSum()
    def construct(self, x):
        return self.sum(self.w) + x
Warm()(x)
import gc; gc.collect()
before = rss_mb()
net = Holder()
out = net(x)
from ascendsim.ms import _session
system = _session.current().system
system.run()
after = rss_mb()
held = system.device(0).memory.holders(1)[0]
print(json.dumps({"delta": after - before, "placed": held[1], "is_init": net.w.is_init}))
"""
)

CREATE = """
import json, time
import numpy as np
from ascendsim.ms import Parameter, Tensor, context
context.set_context(shape_only={lazy})
from ascendsim.ms.common.initializer import initializer
from ascendsim.ms import dtype as mstype
N = {n}
t = time.perf_counter()
a = [Parameter(Tensor(np.ones(1, np.float32)), name=f"p{{i}}") for i in range(N)]
t_np = time.perf_counter() - t
t = time.perf_counter()
b = [Parameter(initializer("normal", [1], mstype.float32), name=f"q{{i}}") for i in range(N)]
t_init = time.perf_counter() - t
print(json.dumps({{"np": t_np, "init": t_init}}))
"""


def figures(quick: bool) -> list[tuple[str, float, str, bool]]:
    big = run_python(BIG)
    n = 10_000 if quick else 100_000
    c = run_python(CREATE.format(n=n, lazy=True))
    eager = run_python(CREATE.format(n=max(n // 10, 1000), lazy=False))
    ratio = c["init"] / c["np"]
    return [
        ("big_param_rss_delta_mb", round(big["delta"], 2), "< 10 MB", big["delta"] < 10),
        (
            "big_param_placed_gb",
            round(big["placed"] / 1e9, 2),
            "20 GB placed in HBM",
            big["placed"] >= 20e9 and big["is_init"],
        ),
        ("param_create_us", round(c["init"] / n * 1e6, 2), "informational", True),
        (
            "param_create_eager_us",
            round(eager["init"] / max(n // 10, 1000) * 1e6, 2),
            "informational (values drawn at construction, as r1.6)",
            True,
        ),
        ("param_create_ratio", round(ratio, 2), "<= 5x numpy-backed Parameters", ratio <= 5),
    ]


if __name__ == "__main__":
    for row in figures("--quick" in sys.argv):
        print(f"{row[0]}: {row[1]} (target {row[2]}) {'ok' if row[3] else 'MISSED'}")
