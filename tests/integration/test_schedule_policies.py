"""Schedule policies through the front end: every policy runs a graph and respects its edges;
``adversarial`` runs float-status reads early and clears late."""

from __future__ import annotations

import numpy as np
import pytest

from ascendsim.ms import Tensor, _session, context, nn, ops


class _Unordered(nn.Cell):
    """Clear, Mul and Get with only the Depend that puts Get after Mul."""

    def construct(self, x):  # noqa: ANN001, ANN201
        st = ops.NPUAllocFloatStatus()()
        ops.NPUClearFloatStatus()(st)  # ordered against nothing but the Alloc
        y = x * x
        st = ops.depend(st, y)
        ops.NPUGetFloatStatus()(st)
        return y


def _kernels(policy: str) -> list[str]:
    context.reset_context()
    _session.reset()
    context.set_context(
        device_target="Ascend", mode=context.GRAPH_MODE, schedule=policy, float_status_check="off"
    )
    out = _Unordered()(Tensor(np.array([3.0], np.float32)))
    assert out.asnumpy().tolist() == [9.0]
    trace = _session.current().system.trace
    graph = [r for r in trace.records if r.kind == "graph"]
    assert [r.arg("policy") for r in graph] == [policy]  # the trace says which policy ran
    names = [r.name.split("-")[0] for r in trace.records if r.kind == "kernel"]
    _session.reset()
    context.reset_context()
    return names


@pytest.mark.parametrize("policy", ["program", "reverse", "critical-path", "random:3"])
def test_every_policy_respects_the_edges(policy: str) -> None:
    names = _kernels(policy)
    assert names.index("NPUAllocFloatStatus") < names.index("NPUClearFloatStatus")
    assert names.index("Mul") < names.index("NPUGetFloatStatus")


def test_adversarial_reads_early_and_clears_late() -> None:
    names = _kernels("adversarial")
    assert names.index("NPUGetFloatStatus") < names.index("NPUClearFloatStatus")
    assert names[-1] == "NPUClearFloatStatus"
    assert _kernels("program").index("NPUClearFloatStatus") < _kernels("program").index("Mul")
