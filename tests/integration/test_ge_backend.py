"""The GE backend's init graph and ``Parameter.is_init`` (GRAPH_MODE), read from the trace.

SEMANTICS.md: on GE, compiling a graph sets ``is_init = True`` on every not-yet-initialised
parameter when the init graph is launched; the init graph copies their data host to device (a
``param_synced`` record when each copy completes) and the compute graph waits for it. On every
other backend ``is_init`` stays False and parameters move to the device on first use.
"""

from __future__ import annotations

import numpy as np
import pytest

from ascendsim.errors import DeviceOutOfMemory
from ascendsim.ms import Parameter, Tensor, _session, context, float32, nn, ops
from ascendsim.ms.common.initializer import initializer
from tests.integration import fresh_state, small_hbm_preset, trace

PARAMS = ["conv.weight", "conv.bias", "dense.weight", "dense.bias"]
NBYTES = {"conv.weight": 2 * 1 * 3 * 3 * 4, "conv.bias": 2 * 4, "dense.weight": 3 * 32 * 4,
          "dense.bias": 3 * 4}  # fmt: skip
# conv 3x3 'same' on a 4x4 map of ones with ones: corners 4, edges 6, inside 9 -> 100 per
# channel, 2 channels into a Dense of ones -> 200
EXPECTED = [[200.0, 200.0, 200.0]]


@pytest.fixture(autouse=True)
def _fresh():
    fresh_state()
    yield
    fresh_state()


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3, has_bias=True, weight_init="ones")
        self.relu = ops.ReLU()
        self.reshape = ops.Reshape()
        self.dense = nn.Dense(2 * 4 * 4, 3, weight_init="ones")

    def construct(self, x):
        y = self.relu(self.conv(x))
        return self.dense(self.reshape(y, (1, 2 * 4 * 4)))


def _x() -> Tensor:
    return Tensor(np.ones([1, 1, 4, 4], np.float32))


def _ge():
    context.set_context(device_target="Ascend", mode=context.GRAPH_MODE, enable_ge=True)


def _flags(net) -> dict[str, bool]:
    return {p.name: p.is_init for p in net.get_parameters()}


def _param_readers() -> dict[str, list[str]]:
    """Kernel (node) names of the last compiled graph, per parameter name they read."""
    cg = _session.current().graphs[-1]
    readers: dict[str, list[str]] = {}
    for node in cg.graph.nodes:
        for ref in node.inputs:
            if ref.kind == "param":
                readers.setdefault(cg.params[ref.index].name, []).append(node.name)
    return readers


def test_ge_init_graph_flips_is_init_at_launch_and_syncs_before_first_read():
    _ge()
    net = Net()
    assert _flags(net) == dict.fromkeys(PARAMS, False)
    assert net(_x()).asnumpy().tolist() == EXPECTED
    assert _flags(net) == dict.fromkeys(PARAMS, True)

    log = trace()
    launch = log.first(kind="host", name="launch init graph of Net")
    overhead = _session.current().system.config.host.launch_overhead
    assert launch is not None and (launch.start, launch.duration) == (0, overhead)
    is_init = log.filter(kind="is_init")
    assert [(r.name, r.start, r.arg("value"), r.nbytes) for r in is_init] == [
        (p, launch.end, True, NBYTES[p]) for p in PARAMS
    ]
    synced = {r.name: r for r in log.filter(kind="param_synced")}
    assert sorted(synced) == sorted(PARAMS)
    copies = {r.name: r for r in log.filter(kind="copy") if r.name.startswith("init H2D ")}
    assert sorted(copies) == sorted(f"init H2D {p}" for p in PARAMS)
    for p in PARAMS:
        copy = copies[f"init H2D {p}"]
        assert (copy.track, copy.nbytes, copy.start >= launch.end) == ("pcie.h2d", NBYTES[p], True)
        assert synced[p].start == copy.end  # param_synced at the copy's completion
    # no plain (non-init) copy of a parameter on GE
    assert [r.name for r in log.filter(kind="copy") if r.name in {f"H2D {p}" for p in PARAMS}] == []
    # every compute kernel that reads a parameter starts after that parameter arrived
    readers = _param_readers()
    assert sorted(readers) == sorted(PARAMS)
    kernels = {r.name: r for r in log.filter(kind="kernel")}
    for p, nodes in readers.items():
        for node in nodes:
            assert kernels[node].start >= synced[p].start, (node, p)


def test_second_call_does_no_init_copy():
    _ge()
    net = Net()
    net(_x()).asnumpy()
    n_records = len(trace())
    assert net(_x()).asnumpy().tolist() == EXPECTED
    later = trace().records[n_records:]
    assert [r for r in later if r.kind in ("is_init", "param_synced")] == []
    assert [r.name for r in later if r.kind == "copy" and "init H2D" in r.name] == []
    assert len([r for r in later if r.kind == "graph"]) == 1
    assert _flags(net) == dict.fromkeys(PARAMS, True)


def test_default_backend_keeps_is_init_false_and_copies_parameters_once_on_first_use():
    context.set_context(device_target="Ascend", mode=context.GRAPH_MODE)
    net = Net()
    assert net(_x()).asnumpy().tolist() == EXPECTED
    assert net(_x()).asnumpy().tolist() == EXPECTED
    assert _flags(net) == dict.fromkeys(PARAMS, False)
    log = trace()
    assert log.filter(kind="is_init") == [] and log.filter(kind="param_synced") == []
    param_copies = [r for r in log.filter(kind="copy") if r.cause in PARAMS]
    assert sorted(r.name for r in param_copies) == sorted(f"H2D {p}" for p in PARAMS)
    first_kernel = {}
    for r in log.filter(kind="kernel"):
        first_kernel.setdefault(r.name, r)
    readers = _param_readers()
    assert sorted(readers) == sorted(PARAMS)
    for p, nodes in readers.items():
        copy = next(r for r in param_copies if r.cause == p)
        assert copy.track == "pcie.h2d" and copy.nbytes == NBYTES[p]
        for node in nodes:  # copied before its first reader ran
            assert first_kernel[node].start >= copy.end, (node, p)


def test_update_parameters_name_resets_is_init_and_a_cached_graph_does_not_reinitialise():
    """r1.6's _Executor.compile returns early on a compile-cache hit (same cell, same input
    signature), before _exec_init_graph: after update_parameters_name the flags stay False and
    no init graph runs; a new input signature compiles again and runs it."""
    _ge()
    net = Net()
    net(_x()).asnumpy()
    first = len(trace())
    net.update_parameters_name("p.")
    renamed = [f"p.{p}" for p in PARAMS]
    assert _flags(net) == dict.fromkeys(renamed, False)
    assert net(_x()).asnumpy().tolist() == EXPECTED
    assert _flags(net) == dict.fromkeys(renamed, False)
    later = trace().records[first:]
    assert [r for r in later if r.kind in ("is_init", "param_synced")] == []


def test_update_parameters_name_rejects_an_empty_prefix_and_keeps_is_init():
    """r1.6 (checked): the prefix must match ``^\\w+[0-9a-zA-Z\\_\\.]*$``; ``""`` raises
    ValueError ("''  is illegal, it should be match regular...") and changes nothing."""
    _ge()
    net = Net()
    net(_x()).asnumpy()
    with pytest.raises(ValueError):
        net.update_parameters_name("")
    assert _flags(net) == dict.fromkeys(PARAMS, True)


def test_parameter_larger_than_free_hbm_fails_in_the_init_graph(tmp_path):
    preset = small_hbm_preset(tmp_path, "64MiB")
    context.set_context(
        device_target="Ascend", mode=context.GRAPH_MODE, enable_ge=True, hardware=str(preset)
    )

    class Big(nn.Cell):
        def __init__(self):
            super().__init__()
            self.small = Parameter(Tensor(np.ones([4], np.float32)), name="small")
            # 17 Mi float32 = 68 MiB > the 64 MiB pool
            self.big = Parameter(initializer("zeros", [17 * 1024 * 1024], float32), name="big")
            self.sum = ops.ReduceSum()

        def construct(self, x):
            return x + self.small + self.sum(self.big)

    net = Big()
    with pytest.raises(DeviceOutOfMemory) as info:
        net(Tensor(np.ones([4], np.float32)))
    err = info.value
    assert isinstance(err, RuntimeError)
    assert err.requester == "big"
    assert err.requested == 17 * 1024 * 1024 * 4
    assert err.free < err.requested
    assert "'big'" in str(err) and "out of device memory" in str(err)
    log = trace()
    assert _session.current().system.config.hbm.capacity == 64 * 1024 * 1024
    # it failed while the init graph allocated parameters: no compute graph ran
    assert log.first(kind="host", name="launch init graph of Big") is not None
    assert log.filter(kind="graph") == [] and log.filter(kind="kernel") == []
    # device allocations (the host-memory model records its own, with device None)
    assert [r.name for r in log.filter(kind="alloc") if r.device == 0] == ["small"]
