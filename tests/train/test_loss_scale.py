"""Loss scaling: the dynamic scale's update rule on real float16 overflow and on declared
overflow (shape-only), the skipped update (parameters and optimizer state untouched, no optimizer
kernel), the Ascend float-status ops in the trace, the GPU finiteness path, and bad input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ascendsim.errors import MsTypeError, MsValueError
from ascendsim.ms import Parameter, Tensor, _graph_mode, _session, context, nn, ops
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.common.initializer import initializer

PATTERN = "FFFTFTTFFF"
# MindSpore r1.6's rule (SEMANTICS.md): scale 4096, factor 2, window 3
SCALES = [4096.0, 4096.0, 8192.0, 4096.0, 4096.0, 2048.0, 1024.0, 1024.0, 1024.0, 2048.0]


class Linear(nn.Cell):
    def __init__(self, shape_only: bool = False) -> None:
        super().__init__()
        init = initializer("ones", (4, 2), mstype.float16) if shape_only else Tensor(
            np.full((4, 2), 0.5, np.float16))  # fmt: skip
        self.w = Parameter(init, name="w")
        self.mm = ops.MatMul()

    def construct(self, x: Any) -> Any:
        return self.mm(x, self.w)


def _cell(update: Any, shape_only: bool = False) -> tuple[Any, Any, Any]:
    net = Linear(shape_only)
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.01, momentum=0.9)
    train = nn.TrainOneStepWithLossScaleCell(nn.WithLossCell(net, nn.MSELoss()), opt, update)
    return net, opt, train


def test_dynamic_scale_on_real_float16_overflow() -> None:
    context.set_context(float_status_check="error")
    net, opt, train = _cell(nn.DynamicLossScaleUpdateCell(4096, 2, 3))
    y = Tensor(np.zeros((8, 2), np.float16))
    rows = []
    for flag in PATTERN:
        # x = 100 makes scale * gradient exceed float16's 65504 in the backward pass
        x = Tensor(np.full((8, 4), 100.0 if flag == "T" else 1.0, np.float16))
        w0, m0 = net.w.asnumpy().copy(), opt.moments[0].asnumpy().copy()
        loss, cond, used = train(x, y)
        rows.append((bool(cond.asnumpy()), float(train.scale_sense.asnumpy()),
                     float(used.asnumpy()), not np.array_equal(w0, net.w.asnumpy()),
                     not np.array_equal(m0, opt.moments[0].asnumpy())))  # fmt: skip
    assert [r[0] for r in rows] == [f == "T" for f in PATTERN]
    assert [r[1] for r in rows] == SCALES
    assert [r[2] for r in rows] == [4096.0] + SCALES[:-1]  # the scale each step used
    # an overflowing step leaves the weights and the momentum untouched, others update both
    assert [r[3] for r in rows] == [r[4] for r in rows] == [f == "F" for f in PATTERN]
    trace = _session.current().system.trace
    updates = [r for r in trace.filter(kind="kernel") if r.name.startswith("ApplyMomentum")]
    assert len(updates) == PATTERN.count("F")  # no optimizer kernel in an overflowing step
    kinds = [r.kind for r in trace if r.kind in ("float_status_clear", "float_status_read")]
    assert kinds == ["float_status_clear", "float_status_read"] * len(PATTERN)
    assert trace.filter(kind="hazard") == []


def test_dynamic_scale_on_declared_overflow_shape_only() -> None:
    context.set_context(shape_only=True)
    net, opt, train = _cell(nn.DynamicLossScaleUpdateCell(4096, 2, 3), shape_only=True)
    x = Tensor._shape_only((8, 4), mstype.float16)
    y = Tensor._shape_only((8, 2), mstype.float16)
    rt = _session.current().runtime
    # the graph's node names are deterministic: compile it once (without running) to learn the
    # name of the backward MatMul, the node declared to overflow
    cg = _graph_mode.compile_function(train._forward_backward, (x, y), name="probe")
    grad_mm = [n.name for n in cg.graph.nodes if n.op_name == "MatMul"][-1]
    got = []
    for flag in PATTERN:
        rt.declared_overflow.clear()
        if flag == "T":
            rt.declared_overflow.add(grad_mm)
        loss, cond, _ = train(x, y)
        got.append((bool(cond.asnumpy()), float(train.scale_sense.asnumpy())))
    assert got == [(f == "T", s) for f, s in zip(PATTERN, SCALES, strict=True)]


def test_fixed_scale_skips_overflowing_steps() -> None:
    net, opt, train = _cell(nn.FixedLossScaleUpdateCell(1024))
    y = Tensor(np.zeros((8, 2), np.float16))
    changed = []
    for big in (False, True, False):
        w0 = net.w.asnumpy().copy()
        _, cond, used = train(Tensor(np.full((8, 4), 200.0 if big else 1.0, np.float16)), y)
        changed.append((bool(cond.asnumpy()), float(used.asnumpy()),
                        not np.array_equal(w0, net.w.asnumpy())))  # fmt: skip
    assert changed == [(False, 1024.0, True), (True, 1024.0, False), (False, 1024.0, True)]


def test_gpu_path_checks_finiteness() -> None:
    context.set_context(device_target="GPU", hardware="ascend910b")  # Inf/NaN overflow mode
    net, opt, train = _cell(nn.DynamicLossScaleUpdateCell(4096, 2, 3))
    y = Tensor(np.zeros((8, 2), np.float16))
    got = []
    for big in (False, True):
        _, cond, _ = train(Tensor(np.full((8, 4), 100.0 if big else 1.0, np.float16)), y)
        got.append((bool(cond.asnumpy()), float(train.scale_sense.asnumpy())))
    assert got == [(False, 4096.0), (True, 2048.0)]
    (cg,) = train._graph_a._ascendsim_graphs.values()
    names = {n.op_name for n in cg.graph.nodes}
    assert "FloatStatus" in names and not any(n.startswith("NPU") for n in names)


def test_tensor_scale_sense_is_set_by_the_host() -> None:
    net, opt, train = _cell(Tensor(1024.0, mstype.float32))
    x, y = Tensor(np.ones((8, 4), np.float16)), Tensor(np.zeros((8, 2), np.float16))
    _, _, used = train(x, y)
    train.set_sense_scale(Tensor(2.0, mstype.float32))
    _, _, used_after = train(x, y)
    assert [float(used.asnumpy()), float(used_after.asnumpy())] == [1024.0, 2.0]
    with pytest.raises(MsTypeError) as info:
        train.set_sense_scale(2.0)
    assert str(info.value) == (
        "For 'TrainOneStepWithLossScaleCell', the type of 'sens' must be "
        "Tensor, but got <class 'float'>"
    )  # r1.6's message


def test_a_scale_that_is_not_a_parameter_is_refused_when_traced() -> None:
    class Wrap(nn.Cell):
        def __init__(self) -> None:
            super().__init__()
            self.update = nn.DynamicLossScaleUpdateCell(4096, 2, 3)

        def construct(self, scale: Any, overflow: Any) -> Any:
            return self.update(scale, overflow)

    with pytest.raises(MsTypeError) as info:
        Wrap()(Tensor(4096.0, mstype.float32), Tensor(False))
    # r1.6 (GRAPH_MODE): TypeError "Function S-Prim-Assign's input 0 should be a Parameter, ..."
    assert str(info.value).startswith(
        "Function S-Prim-Assign's input 0 should be a Parameter, but Tensor[Float32]. "
        "DynamicLossScaleUpdateCell updates 'loss_scale' in place: pass a Parameter"
    )


@pytest.mark.parametrize(
    "args, exc, fragment",
    [
        ((4096, 1, 3), MsValueError, "the 'scale_factor' must be > 1"),
        ((4096, 0.5, 3), MsValueError, "but got 0.5; use e.g. scale_factor=2"),
        ((4096, "2", 3), MsTypeError, "the 'scale_factor' must be a float or int, but got str"),
        ((4096, 2, 0), MsValueError,
         "`scale_window` in `DynamicLossScaleUpdateCell` should be int and must > 0, but got `0`"),
        ((4096, 2, 1.5), MsTypeError, "`scale_window` in `DynamicLossScaleUpdateCell` must be int"),
        ((0.5, 2, 3), MsValueError, "the 'loss_scale_value' must be >= 1"),
    ],
)  # fmt: skip
def test_bad_update_cell_arguments(args: tuple[Any, ...], exc: type, fragment: str) -> None:
    with pytest.raises(exc, match=None) as info:
        nn.DynamicLossScaleUpdateCell(*args)
    assert fragment in str(info.value)


def test_bad_scale_sense_raises_r16_errors() -> None:
    net = nn.Dense(2, 2)
    wl = nn.WithLossCell(net, nn.MSELoss())
    opt = nn.Momentum(net.trainable_params(), 0.1, 0.9)
    with pytest.raises(MsTypeError) as info:
        nn.TrainOneStepWithLossScaleCell(wl, opt, 3.0)
    assert str(info.value) == (
        "For 'TrainOneStepWithLossScaleCell', the 'scale_sense' must be "
        "Cell or Tensor, but got 'scale_sense' type: <class 'float'>."
    )
    with pytest.raises(MsValueError) as info:
        nn.TrainOneStepWithLossScaleCell(wl, opt, Tensor(np.ones(2), mstype.float32))
    assert str(info.value) == (
        "For 'TrainOneStepWithLossScaleCell', the shape of 'scale_sense' "
        "must be (1,) or (), but got (2,)."
    )
