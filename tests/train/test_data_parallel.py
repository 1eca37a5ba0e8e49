"""Data parallel over simulated NPUs: the same step on every rank, parameter broadcast at the
start, gradient all-reduce over HCCS with ring timing, layerwise_parallel parameters left out,
the overflow flag all-reduced, and communication's errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ascendsim.backend.collectives import ring_allreduce_ns
from ascendsim.errors import MsRuntimeError, MsTypeError, MsValueError
from ascendsim.ms import Tensor, _parallel, _session, communication, context, nn, ops, set_seed
from ascendsim.ms.common import dtype as mstype

X = np.random.RandomState(0).randn(16, 4).astype(np.float32)
Y = np.random.RandomState(1).randn(16, 2).astype(np.float32)


class Mlp(nn.Cell):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Dense(4, 8)
        self.relu = nn.ReLU()
        self.fc2 = nn.Dense(8, 2)

    def construct(self, x: Any) -> Any:
        return self.fc2(self.relu(self.fc1(x)))


def _train(
    devices: int, steps: int = 3, layerwise: bool = False, broadcast: bool = True
) -> tuple[Any, list[float]]:
    if devices > 1:
        context.set_auto_parallel_context(
            parallel_mode="data_parallel",
            device_num=devices,
            gradients_mean=True,
            parameter_broadcast=broadcast,
        )
        communication.init()
    set_seed(1)
    net = Mlp()
    net.fc2.bias.layerwise_parallel = layerwise
    train = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()),
                                nn.Momentum(net.trainable_params(), 0.1, 0.9))  # fmt: skip
    losses = [float(train(Tensor(X), Tensor(Y)).asnumpy()) for _ in range(steps)]
    return net, losses


def test_data_parallel_step_equals_the_full_batch_step() -> None:
    single, single_losses = _train(1)
    want = {p.name: p.asnumpy().copy() for p in single.trainable_params()}
    communication.release()
    context.reset_context()
    _session.reset()
    net, losses = _train(4)
    for p in net.trainable_params():  # mean of the 4 shard gradients == the full-batch gradient
        np.testing.assert_allclose(p.asnumpy(), want[p.name], rtol=1e-5, atol=1e-7)
    # the printed loss is rank 0's: its shard of 4 samples
    assert losses[0] != pytest.approx(single_losses[0])
    pg = _parallel.group()
    for rt in pg.runtimes[1:]:
        for p in net.trainable_params():
            np.testing.assert_array_equal(rt.param_buffers[p._uid].value, p.asnumpy())


def test_collectives_in_the_trace_follow_the_ring() -> None:
    _train(4, steps=2)
    trace = _session.current().system.trace
    rows = [(r.device, r.name, r.args_dict["steps"]) for r in trace.filter(kind="collective")]
    assert rows == (
        [(d, "Broadcast parameters (10 tensors)", 5) for d in range(4)]
        + [(d, "AllReduce fusion 1 (4 tensors)", 6) for d in range(4)] * 2
    )
    pg = _parallel.group()
    assert [link.name for link in pg.comm.links] == [
        "npu0.hccs.0-1",
        "npu1.hccs.1-2",
        "npu2.hccs.2-3",
        "npu3.hccs.3-0",
    ]
    for op in pg.comm.history:
        if op.kind == "allreduce":
            assert op.nbytes == 4 * (8 * 4 + 8 + 2 * 8 + 2)  # every gradient in float32
            assert op.end - op.start == ring_allreduce_ns(op.nbytes, pg.comm.links)
    hops = [r for r in trace.filter(kind="copy") if "AllReduce" in r.name]
    assert len(hops) == 2 * 6 * 4 and {r.track for r in hops} == {
        "hccs.0-1", "hccs.1-2", "hccs.2-3", "hccs.3-0"}  # fmt: skip
    waits = [r for r in trace.filter(kind="event_wait") if r.name.startswith("wait AllReduce")]
    assert sorted(r.device for r in waits) == [0, 0, 1, 1, 2, 2, 3, 3]


def test_no_broadcast_unless_parameter_broadcast_is_set() -> None:
    # r1.6 broadcasts only with parameter_broadcast=True; without it the ranks start from the
    # values the program made (r1.6 asks for a shared seed then)
    net, _ = _train(2, steps=1, broadcast=False)
    trace = _session.current().system.trace
    assert [r.name for r in trace.filter(kind="collective", device=0)] == [
        "AllReduce fusion 1 (4 tensors)"
    ]
    np.testing.assert_array_equal(
        _parallel.group().runtimes[1].param_buffers[net.fc1.weight._uid].value,
        net.fc1.weight.asnumpy(),
    )


def test_ring_timing_across_hccs_groups_matches_the_formula() -> None:
    context.set_auto_parallel_context(parallel_mode="data_parallel", device_num=8)
    communication.init()
    comm = _parallel.group().comm
    links = comm.links
    assert [lk.track for lk in links if lk.track.startswith("net")] == ["net.3-4", "net.7-0"]
    nbytes = 102_228_128  # ResNet-50's gradients in float32
    slow = min(lk.bandwidth for lk in links)
    formula = 2 * 7 / 8 * nbytes / slow + 2 * 7 * max(lk.latency for lk in links)
    assert ring_allreduce_ns(nbytes, links) == pytest.approx(formula, rel=1e-6)


def test_layerwise_parallel_parameters_are_not_broadcast_or_reduced() -> None:
    net, _ = _train(2, steps=2, layerwise=True)
    pg = _parallel.group()
    trace = _session.current().system.trace
    # fc2.bias and its momentum (a clone keeps layerwise_parallel) stay per rank: 10 - 2
    assert trace.filter(kind="collective")[0].name == "Broadcast parameters (8 tensors)"
    others = pg.runtimes[1].param_buffers
    assert not np.array_equal(others[net.fc2.bias._uid].value, net.fc2.bias.asnumpy())
    np.testing.assert_array_equal(others[net.fc2.weight._uid].value, net.fc2.weight.asnumpy())


def test_the_overflow_flag_is_all_reduced() -> None:
    context.set_context(shape_only=True)
    context.set_auto_parallel_context(parallel_mode="data_parallel", device_num=2)
    communication.init()
    net = nn.Dense(4, 2)
    train = nn.TrainOneStepWithLossScaleCell(
        nn.WithLossCell(net, nn.MSELoss()), nn.Momentum(net.trainable_params(), 0.1, 0.9),
        nn.DynamicLossScaleUpdateCell(4096, 2, 3))  # fmt: skip
    x, y = Tensor._shape_only((8, 4), mstype.float32), Tensor._shape_only((8, 2), mstype.float32)
    train(x, y)
    pg = _parallel.group()
    (cg,) = train._graph_a._ascendsim_graphs.values()
    grad_mm = [n.name for n in cg.graph.nodes if n.op_name == "MatMul"][-1]
    pg.runtimes[1].declared_overflow.add(grad_mm)  # only rank 1 overflows
    _, cond, _ = train(x, y)
    assert bool(cond.asnumpy()) and float(train.scale_sense.asnumpy()) == 2048.0
    flag = [n.name for n in cg.graph.nodes if n.op_name == "AllReduce"][-1]
    assert [op.name for op in pg.comm.history[-2:]] == ["AllReduce fusion 1 (2 tensors)", flag]


def test_communication_errors_match_r16() -> None:
    with pytest.raises(MsRuntimeError, match="^Distributed Communication has not been inited"):
        communication.get_rank()
    with pytest.raises(
        MsTypeError,
        match="For 'init', the argument 'backend_name' must be a "
        "string, but got the type : <class 'int'>",
    ):
        communication.init(3)
    context.set_context(device_target="CPU")
    with pytest.raises(MsRuntimeError) as info:
        communication.init()
    assert str(info.value) == (
        "For 'set_context', the argument 'device_target' CPU is not "
        "supported in parallel initialization, please use Ascend or GPU."
    )
    with pytest.raises(MsRuntimeError, match="should be 'Ascend' to init hccl, but got CPU"):
        communication.init("hccl")


def test_init_without_enough_simulated_devices_names_the_fix() -> None:
    ops.Add()(Tensor(1.0), Tensor(2.0)).asnumpy()  # the system is built: one NPU
    context.set_auto_parallel_context(parallel_mode="data_parallel", device_num=8)
    with pytest.raises(MsRuntimeError) as info:
        communication.init()
    assert str(info.value).startswith(
        "For 'init', the world group needs 8 simulated NPUs (device_num=8), but the simulated "
        "system in use has 1: it was built before device_num was set."
    )


def test_ranks_and_sizes() -> None:
    context.set_auto_parallel_context(parallel_mode="data_parallel", device_num=8)
    communication.init()
    got = (
        communication.get_rank(),
        communication.get_group_size(),
        communication.get_local_rank_size(),
        communication.GlobalComm.WORLD_COMM_GROUP,
    )
    assert got == (0, 8, 8, "hccl_world_group")


def test_a_batch_that_does_not_split_evenly_is_refused() -> None:
    context.set_auto_parallel_context(parallel_mode="data_parallel", device_num=4)
    communication.init()
    net = Mlp()
    train = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()),
                                nn.Momentum(net.trainable_params(), 0.1, 0.9))  # fmt: skip
    with pytest.raises(MsValueError, match="its first dimension must be a multiple of 4"):
        train(Tensor(X[:6]), Tensor(Y[:6]))


def test_collective_ops_combine_every_rank_shard() -> None:
    context.set_auto_parallel_context(parallel_mode="data_parallel", device_num=4)
    communication.init()

    class Collect(nn.Cell):
        def __init__(self) -> None:
            super().__init__()
            self.max = ops.AllReduce(op="max")
            self.sum = ops.AllReduce()
            self.bcast = ops.Broadcast(2)

        def construct(self, x: Any) -> Any:
            return self.max(x), self.sum(x), self.bcast((x,))[0]

    x = Tensor(np.arange(8, dtype=np.float32).reshape(4, 2))  # rank r holds row r
    got = [t.asnumpy().tolist() for t in Collect()(x)]
    assert got == [[[6.0, 7.0]], [[12.0, 16.0]], [[4.0, 5.0]]]


def test_data_parallel_needs_graph_mode() -> None:
    context.set_context(mode=context.PYNATIVE_MODE)
    context.set_auto_parallel_context(parallel_mode="data_parallel", device_num=2)
    communication.init()
    reducer = nn.DistributedGradReducer(Mlp().trainable_params())
    with pytest.raises(Exception, match="GRAPH_MODE only") as info:
        reducer((Tensor(X),) * 4)
    assert isinstance(info.value, NotImplementedError)
