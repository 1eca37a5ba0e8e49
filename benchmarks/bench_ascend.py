"""Issue 5 figures: the GE init graph of a 7-billion-parameter shape-only model.

291 float16 parameter tensors (7e9 parameters, 14 GB) on one ascend910b device, placed by the
GE init graph (``is_init`` flips, host-to-device copies over PCIe, ``param_synced``):

- ``init7b_sim_ms`` next to ``init7b_ideal_ms`` = bytes / the preset's PCIe H2D bandwidth;
  target: within 5%;
- ``init7b_wall_s``: wall time of building, compiling and simulating; target < 5 s;
- ``init7b_rss_mb``: host RSS growth; target < 50 MB (no parameter bytes on the host).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _proc import RSS_SNIPPET, run_python  # noqa: E402

SNIPPET = (
    RSS_SNIPPET
    + """
import json, time, gc
from ascendsim.ms import context, nn, ops, Parameter, Tensor, _session
from ascendsim.ms.common.initializer import initializer
from ascendsim.ms import dtype as mstype
import ascendsim.device, ascendsim.backend.executor, ascendsim.graph.tracer  # imports: not measured
context.set_context(device_target="Ascend", enable_ge=True, shape_only=True, hardware="ascend910b")
N_TENSORS, TOTAL = 291, 7_000_000_000
ROWS = TOTAL // N_TENSORS // 4096
class Model(nn.Cell):
    def __init__(self):
        super().__init__()
        for i in range(N_TENSORS):
            setattr(self, f"w{i}", Parameter(initializer("normal", [ROWS, 4096], mstype.float16)))
        self.add = ops.Add()
    def construct(self, x):
        for i in range(N_TENSORS):
            x = self.add(x, getattr(self, f"w{i}"))
        return x
gc.collect()
rss0 = rss_mb()
t = time.perf_counter()
net = Model()
out = net(Tensor._shape_only((ROWS, 4096), mstype.float16))
system = _session.current().system
system.run()
wall = time.perf_counter() - t
rss = rss_mb() - rss0
trace = system.trace
flips = trace.filter(kind="is_init")
synced = trace.filter(kind="param_synced")
nbytes = sum(r.nbytes for r in flips)
print(json.dumps({"sim_ns": synced[-1].end - flips[0].start, "bytes": nbytes,
                  "bw": system.config.pcie.h2d_bandwidth, "wall": wall, "rss": rss,
                  "params": ROWS * 4096 * N_TENSORS, "all_init": all(p.is_init for p in net.get_parameters())}))
"""
)


def figures(quick: bool) -> list[tuple[str, float, str, bool]]:
    r = run_python(SNIPPET)
    ideal = r["bytes"] / r["bw"]
    err = abs(r["sim_ns"] - ideal) / ideal
    return [
        ("init7b_params", r["params"], "~7e9 float16 in 291 tensors", r["all_init"]),
        ("init7b_sim_ms", round(r["sim_ns"] / 1e6, 3), "informational", True),
        ("init7b_ideal_ms", round(ideal / 1e6, 3), "bytes / PCIe H2D bandwidth", True),
        ("init7b_error_percent", round(err * 100, 3), "<= 5%", err <= 0.05),
        ("init7b_wall_s", round(r["wall"], 3), "< 5 s", r["wall"] < 5),
        ("init7b_rss_mb", round(r["rss"], 2), "< 50 MB", r["rss"] < 50),
    ]


if __name__ == "__main__":
    for row in figures("--quick" in sys.argv):
        print(f"{row[0]}: {row[1]} (target {row[2]}) {'ok' if row[3] else 'MISSED'}")
