"""Float status end to end: NPUAllocFloatStatus / NPUClearFloatStatus / NPUGetFloatStatus in
PyNative and GRAPH_MODE, saturation (910A) versus inf/NaN (910B), the sticky register, the
stale-read hazard under each ``float_status_check`` mode, and the errors r1.6 raises."""

from __future__ import annotations

import numpy as np
import pytest

from ascendsim.errors import FloatStatusOrderError
from ascendsim.ms import Tensor, context, ms_function, nn, ops
from tests.integration import fresh_state, trace

FP16_MAX = 65504.0


@pytest.fixture(autouse=True)
def _fresh():
    fresh_state()
    yield
    fresh_state()


def _ascend(**kw):
    context.set_context(device_target="Ascend", **kw)


def _guide(x, y):
    """The guide's "Dependency Control" example, verbatim in structure."""
    init = ops.NPUAllocFloatStatus()()
    sum_ = ops.Add()(x, y)
    product = ops.MatMul()(x, y)
    init = ops.depend(init, sum_)
    init = ops.depend(init, product)
    get_status = ops.NPUGetFloatStatus()(init)
    sum_ = ops.depend(sum_, get_status)
    product = ops.depend(product, get_status)
    out = ops.Add()(sum_, product)
    init = ops.depend(init, out)
    clear = ops.NPUClearFloatStatus()(init)
    out = ops.depend(out, clear)
    return out


def _checked_matmul(x, y):
    """Alloc, Clear, MatMul, Get ordered with depend (start/get_overflow_status of the
    loss-scale cells); returns (product, status after the Get, summed status)."""
    status = ops.NPUAllocFloatStatus()()
    clear = ops.NPUClearFloatStatus()(status)
    x = ops.depend(x, clear)
    product = ops.MatMul()(x, y)
    status = ops.depend(status, product)
    get = ops.NPUGetFloatStatus()(status)
    status = ops.depend(status, get)
    return product, status, ops.ReduceSum()(status)


class _CheckedMatMul(nn.Cell):
    def construct(self, x, y):
        return _checked_matmul(x, y)


_graph_checked_matmul = ms_function(_checked_matmul)

RUNNERS = {
    "pynative": _checked_matmul,
    "ms_function": lambda x, y: _graph_checked_matmul(x, y),
    "cell": lambda x, y: _CheckedMatMul()(x, y),
}


def _fp16(value: float, shape=(2, 2)) -> Tensor:
    return Tensor(np.full(shape, value, np.float16))


# --- the guide's example ----------------------------------------------------------------------
GUIDE_OUT = "[[5. 5. 5.]\n [5. 5. 5.]\n [5. 5. 5.]]\n"


@pytest.mark.parametrize("how", ["pynative", "ms_function", "cell"])
def test_guide_example_prints_documented_output(how, capsys):
    _ascend(mode=context.GRAPH_MODE)
    x = Tensor(np.ones([3, 3]).astype(np.float32))
    y = Tensor(np.ones([3, 3]).astype(np.float32))
    if how == "pynative":
        out = _guide(x, y)
    elif how == "ms_function":
        out = ms_function(_guide)(x, y)
    else:

        class Guide(nn.Cell):
            def construct(self, a, b):
                return _guide(a, b)

        out = Guide()(x, y)
    print(out)
    assert capsys.readouterr() == (GUIDE_OUT, "")  # no hazard warning either
    fs = [(r.kind, r.arg("is_set", r.arg("was_set"))) for r in trace() if r.track == "float_status"]
    assert fs == [("float_status_read", False), ("float_status_clear", False)]


# --- overflow, saturation versus inf/NaN ------------------------------------------------------
@pytest.mark.parametrize("how", list(RUNNERS))
@pytest.mark.parametrize("hardware", ["ascend910a", "ascend910b"])
def test_fp16_overflow_sets_the_status_and_the_chip_mode_decides_the_values(how, hardware, capsys):
    _ascend(mode=context.GRAPH_MODE, hardware=hardware)
    product, status, total = RUNNERS[how](_fp16(300.0, (2, 3)), _fp16(300.0, (3, 2)))
    values = product.asnumpy()  # 300 * 300 * 3 = 270000 > 65504
    if hardware == "ascend910a":  # saturation: the largest finite float16, no inf
        assert values.tolist() == [[FP16_MAX, FP16_MAX], [FP16_MAX, FP16_MAX]]
    else:  # inf/NaN mode
        assert np.isposinf(values).all()
    assert total.asnumpy() > 0
    assert status.asnumpy().sum() > 0
    assert capsys.readouterr().err == ""
    sets = [r.cause for r in trace().filter(kind="float_status_set")]
    assert len(sets) == 1 and sets[0].startswith("MatMul-")


@pytest.mark.parametrize("how", list(RUNNERS))
def test_no_overflow_reads_zero(how, capsys):
    _ascend(mode=context.GRAPH_MODE)
    product, status, total = RUNNERS[how](_fp16(3.0, (2, 3)), _fp16(3.0, (3, 2)))
    assert product.asnumpy().tolist() == [[27.0, 27.0], [27.0, 27.0]]
    assert status.asnumpy().tolist() == [0.0] * 8
    assert total.asnumpy() == 0
    assert trace().filter(kind="float_status_set") == []
    assert capsys.readouterr().err == ""


def test_register_is_sticky_until_clear(capsys):
    _ascend()
    alloc, clear, get = (
        ops.NPUAllocFloatStatus(),
        ops.NPUClearFloatStatus(),
        ops.NPUGetFloatStatus(),
    )
    status = alloc()
    c = clear(status)
    big = ops.depend(_fp16(300.0), c)
    over = ops.MatMul()(big, big)  # overflows
    fine = ops.Add()(over, _fp16(0.0))  # later kernels that do not overflow
    fine = ops.Mul()(fine, _fp16(0.0))
    status = ops.depend(status, fine)
    g = get(status)
    status = ops.depend(status, g)
    assert status.asnumpy().sum() > 0  # still set, two kernels later

    c2 = clear(status)
    small = ops.depend(_fp16(1.0), c2)
    after = ops.Add()(small, small)
    status = ops.depend(status, after)
    g2 = get(status)
    status = ops.depend(status, g2)
    assert status.asnumpy().tolist() == [0.0] * 8  # Clear zeroed it

    fs = [(r.kind, r.name.split("-")[0]) for r in trace() if r.track == "float_status"]
    assert fs == [
        ("float_status_clear", "NPUClearFloatStatus"),
        ("float_status_set", "MatMul"),
        ("float_status_read", "NPUGetFloatStatus"),
        ("float_status_clear", "NPUClearFloatStatus"),
        ("float_status_read", "NPUGetFloatStatus"),
    ]
    reads = [r.arg("is_set") for r in trace().filter(kind="float_status_read")]
    assert reads == [True, False]
    assert capsys.readouterr().err == ""


# --- the stale-read hazard --------------------------------------------------------------------
def _stale_read(big=None):
    """An overflow, then Alloc and Get with no Clear in between: the Get picks it up."""
    big = _fp16(300.0) if big is None else big
    product = ops.MatMul()(big, big)
    status = ops.NPUAllocFloatStatus()()
    status = ops.depend(status, product)
    get = ops.NPUGetFloatStatus()(status)
    return ops.depend(status, get)


def test_stale_read_warns_once_on_stderr_and_records_a_hazard(capsys):
    _ascend()
    status = _stale_read()
    assert status.asnumpy().sum() > 0  # the stale overflow is reported
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert err.startswith("ascendsim: warning: NPUGetFloatStatus-0 reads the float-status")
    assert "NPUAllocFloatStatus-0" in err
    assert "stale overflow from MatMul-0" in err
    hazards = trace().filter(kind="hazard")
    assert [(h.cause, h.arg("other"), h.arg("stale_overflow")) for h in hazards] == [
        ("NPUGetFloatStatus-0", "NPUAllocFloatStatus-0", ("MatMul-0",))
    ]
    get_kernel = trace().first(kind="kernel", name="NPUGetFloatStatus-0")
    assert hazards[0].start == get_kernel.end  # at the simulated time of the read


def test_stale_read_in_a_graph_names_the_graph_nodes(capsys):
    _ascend(mode=context.GRAPH_MODE)
    status = ms_function(_stale_read)(_fp16(300.0))
    assert status.asnumpy().sum() > 0
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "ascendsim: warning: NPUGetFloatStatus-" in err
    (hazard,) = trace().filter(kind="hazard")
    assert hazard.cause.startswith("NPUGetFloatStatus-")
    assert hazard.arg("other").startswith("NPUAllocFloatStatus-")
    assert len(hazard.arg("stale_overflow")) == 1
    assert hazard.arg("stale_overflow")[0].startswith("MatMul-")


def test_graph_on_captured_constants_computes_values_and_overflow():
    """A graph whose MatMul reads only Tensors captured from Python (graph constants)."""
    _ascend(mode=context.GRAPH_MODE)
    big = _fp16(300.0)

    @ms_function
    def product_of_constants():
        return ops.MatMul()(big, big)

    assert product_of_constants().asnumpy().tolist() == [[FP16_MAX, FP16_MAX]] * 2
    assert [r.cause.split("-")[0] for r in trace().filter(kind="float_status_set")] == ["MatMul"]


def test_clear_of_a_tensor_no_alloc_produced_is_a_hazard(capsys):
    _ascend()
    cleared = ops.NPUClearFloatStatus()(Tensor(np.zeros(8, np.float32)))
    assert cleared.asnumpy().tolist() == [0.0] * 8
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert err.startswith("ascendsim: warning: NPUClearFloatStatus-0 clears the float status")
    assert "Clear before Alloc" in err
    (hazard,) = trace().filter(kind="hazard")
    assert hazard.cause == "NPUClearFloatStatus-0"


def test_check_error_raises_float_status_order_error(capsys):
    _ascend(float_status_check="error")
    status = _stale_read()
    with pytest.raises(FloatStatusOrderError, match="stale overflow from MatMul-0") as info:
        status.asnumpy()
    assert isinstance(info.value, RuntimeError)
    assert capsys.readouterr().err == ""
    assert [h.cause for h in trace().filter(kind="hazard")] == ["NPUGetFloatStatus-0"]


def test_check_off_is_silent_but_still_records_the_hazard(capsys):
    _ascend(float_status_check="off")
    status = _stale_read()
    assert status.asnumpy().sum() > 0
    assert capsys.readouterr().err == ""
    assert [h.cause for h in trace().filter(kind="hazard")] == ["NPUGetFloatStatus-0"]


def test_check_mode_changed_on_a_running_session_applies(capsys):
    _ascend()
    ops.Add()(_fp16(1.0), _fp16(1.0)).asnumpy()  # the session is running now
    context.set_context(float_status_check="error")
    status = _stale_read()
    with pytest.raises(FloatStatusOrderError):
        status.asnumpy()


def test_hardware_changed_on_a_running_session_starts_a_new_system():
    """ascendsim.ms._session: "Context changes that alter the simulated machine (hardware,
    device_id) start a new session"."""
    _ascend()
    assert ops.Add()(_fp16(1.0), _fp16(1.0)).asnumpy().tolist() == [[2.0, 2.0], [2.0, 2.0]]
    context.set_context(hardware="ascend910b")
    big = _fp16(300.0)
    assert np.isposinf(ops.MatMul()(big, big).asnumpy()).all()


# --- errors -----------------------------------------------------------------------------------
def _status_ops():
    f32 = Tensor(np.zeros(8, np.float32))
    return {
        "NPUAllocFloatStatus": lambda: ops.NPUAllocFloatStatus()(),
        "NPUClearFloatStatus": lambda: ops.NPUClearFloatStatus()(f32),
        "NPUGetFloatStatus": lambda: ops.NPUGetFloatStatus()(f32),
    }


@pytest.mark.parametrize("target", ["CPU", "GPU"])
def test_status_ops_are_ascend_only(target):
    context.set_context(device_target=target)
    for name, call in _status_ops().items():
        # r1.6 (CPU): RuntimeError "For 'NPUAllocFloatStatus, the CPU platform is not
        # supported!" (its quote is unbalanced)
        with pytest.raises(RuntimeError) as info:
            call()
        assert str(info.value).startswith(f"For '{name}, the {target} platform is not supported!")


def test_status_ops_in_a_graph_on_cpu_raise_the_same_error():
    context.set_context(device_target="CPU", mode=context.GRAPH_MODE)
    with pytest.raises(RuntimeError, match=r"^For 'NPUAllocFloatStatus, the CPU platform"):
        ms_function(_stale_read)()


@pytest.mark.parametrize("target", ["Ascend", "CPU"])
@pytest.mark.parametrize("op", ["NPUGetFloatStatus", "NPUClearFloatStatus"])
def test_wrong_status_inputs(op, target):
    """Messages and types captured from r1.6 (CPU backend): the input checks come before the
    platform check, so they hold on CPU too."""
    context.set_context(device_target=target)
    prim = getattr(ops, op)()
    with pytest.raises(TypeError) as info:
        prim(Tensor(np.zeros(8, np.int32)))
    assert str(info.value).startswith(
        f"For '{op}', the type of 'x' should be one of Tensor[Float16], Tensor[Float32], "
        "but got Tensor[Int32] ."
    )
    with pytest.raises(ValueError) as info:
        prim(Tensor(np.zeros(4, np.float32)))
    assert str(info.value) == (
        f"`x_shape[0]` in `{op}` should be int and must = 8, but got `4` with type `int`."
    )
    with pytest.raises(ValueError, match=r"len\(x_shape\)"):
        prim(Tensor(np.zeros((2, 4), np.float32)))
