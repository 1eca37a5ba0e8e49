"""Ops, layers and composite helpers added for r1.6 parity: values, dtypes, shapes and error
messages. Every expected value and message below was printed by MindSpore r1.6 (1.6.1, CPU
target) for the same call. Where r1.6's CPU kernels use approximate exp/log (LogSoftmax,
Softplus, LogSigmoid) the values are compared with a tolerance; everything else is exact.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ascendsim.errors import MsRuntimeError, MsTypeError, MsValueError
from ascendsim.ms import Parameter, ParameterTuple, Tensor, nn, ops
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.ops import composite as C
from ascendsim.ms.ops import functional as F
from ascendsim.ms.ops import operations as P

HINT = (
    " . The supported data types depend on the hardware that executes the operator, please refer "
    "the official api document to get more information about the data type."
)
X = Tensor(np.array([[1.0, 2.0, 3.0], [4.0, 0.5, 6.0]], np.float32))
XI = Tensor(np.array([[1, 5, 3], [4, 0, 6]], np.int32))
XN = Tensor(np.array([[1.0, -2.0, 3.0], [-4.0, 0.5, -6.0]], np.float32))


def _np(t: Any) -> np.ndarray:
    return t.asnumpy()


def _raises(cls: type[Exception], msg: str, fn: Any) -> None:
    with pytest.raises(cls) as info:
        fn()
    assert str(info.value) == msg


# --- LogSoftmax -------------------------------------------------------------------------------


def test_log_softmax_values_close_to_r16() -> None:
    r16 = [[-2.40760374, -1.40760386, -0.40760383], [-2.13051796, -5.63051796, -0.130518004]]
    out = P.LogSoftmax()(X)
    assert out.dtype == mstype.float32 and out.shape == (2, 3)
    np.testing.assert_allclose(_np(out), r16, rtol=3e-5)
    r16_0 = [[-3.04858732, -0.201413333, -3.04858732], [-0.0485873297, -1.70141339, -0.0485873297]]
    np.testing.assert_allclose(_np(nn.LogSoftmax(0)(X)), r16_0, rtol=3e-5)
    half = P.LogSoftmax()(Tensor(_np(X).astype(np.float16)))
    assert half.dtype == mstype.float16
    assert (
        _np(half).tolist()
        == np.array(
            [[-2.4082, -1.4072, -0.40771], [-2.1309, -5.6289, -0.13049]], np.float16
        ).tolist()
    )


def test_log_softmax_errors_and_repr() -> None:
    assert repr(P.LogSoftmax()) == "Prim[LogSoftmax]<axis=-1>"
    assert repr(nn.LogSoftmax()) == "LogSoftmax<>"
    _raises(MsTypeError, "For primitive[LogSoftmax], the input argument[x] must be a type of "
            "{ Tensor[Float16], Tensor[Float32],}, but got Tensor[Int32].",
            lambda: P.LogSoftmax()(XI))  # fmt: skip
    _raises(MsValueError, "For primitive[LogSoftmax], the axis must in [-2,2) ,but got 3.",
            lambda: P.LogSoftmax(3)(X))  # fmt: skip
    _raises(MsTypeError, "For 'LogSoftmax', the type of `axis` should be 'int', but got '(0,)' "
            "with type 'tuple'.", lambda: P.LogSoftmax((0,)))  # fmt: skip


# --- ArgMaxWithValue / ArgMinWithValue --------------------------------------------------------


def test_arg_max_min_with_value() -> None:
    idx, val = P.ArgMaxWithValue()(X)
    assert (idx.dtype, idx.shape, _np(idx).tolist()) == (mstype.int32, (3,), [1, 0, 1])
    assert (val.dtype, _np(val).tolist()) == (mstype.float32, [4.0, 2.0, 6.0])
    idx, val = P.ArgMaxWithValue(axis=1, keep_dims=True)(X)
    assert (idx.shape, _np(idx).tolist(), _np(val).tolist()) == ((2, 1), [[2], [2]], [[3.0], [6.0]])
    idx, val = P.ArgMinWithValue()(X)
    assert (_np(idx).tolist(), _np(val).tolist()) == ([0, 1, 0], [1.0, 0.5, 3.0])
    idx, val = P.ArgMinWithValue(axis=-1, keep_dims=True)(X)
    assert (_np(idx).tolist(), _np(val).tolist()) == ([[0], [1]], [[1.0], [0.5]])
    idx, val = P.ArgMaxWithValue()(Tensor(np.array([3.0, 1.0, 3.0], np.float32)))  # first tie
    assert (idx.shape, int(_np(idx)), float(_np(val))) == ((), 0, 3.0)
    idx, val = P.ArgMaxWithValue(1)(Tensor(_np(X).astype(np.float16)))
    assert (val.dtype, _np(idx).tolist()) == (mstype.float16, [2, 2])
    assert repr(P.ArgMaxWithValue()) == "Prim[ArgMaxWithValue]<axis=0, keep_dims=False>"


def test_arg_max_with_value_errors() -> None:
    _raises(MsTypeError, "Operator[ArgMaxWithValue]  input(kNumberTypeInt32) output("
            "kNumberTypeInt32,kNumberTypeInt32) is not supported. This error means the current "
            "input type is not supported, please refer to the MindSpore doc for supported types.",
            lambda: P.ArgMaxWithValue()(XI))  # fmt: skip
    _raises(MsValueError, "`axis` in `ArgMinWithValue` should be in range of [-2, 2), but got -3 "
            "with type `int`.", lambda: P.ArgMinWithValue(axis=-3)(X))  # fmt: skip
    _raises(MsTypeError, "For 'ArgMaxWithValue', the type of `keep_dims` should be 'bool', but "
            "got '1' with type 'int'.", lambda: P.ArgMaxWithValue(keep_dims=1))  # fmt: skip


# --- L2Normalize ------------------------------------------------------------------------------


def test_l2_normalize_values_bit_for_bit() -> None:
    out = P.L2Normalize()(X)
    assert _np(out).tolist() == np.array(
        [[2.42535636e-01, 9.70142543e-01, 4.47213590e-01],
         [9.70142543e-01, 2.42535636e-01, 8.94427180e-01]], np.float32).tolist()  # fmt: skip
    rows = np.array([[2.67261237e-01, 5.34522474e-01, 8.01783681e-01],
                     [5.53371608e-01, 6.91714510e-02, 8.30057383e-01]], np.float32)  # fmt: skip
    assert _np(P.L2Normalize(axis=1)(X)).tolist() == rows.tolist()
    # epsilon clamps the sum of squares (14 and 52.25 here), not the norm
    assert _np(P.L2Normalize(axis=-1, epsilon=10.0)(X)).tolist() == rows.tolist()
    assert _np(P.L2Normalize()(Tensor(np.zeros((2, 2), np.float32)))).tolist() == [[0, 0], [0, 0]]
    half = P.L2Normalize(1)(Tensor(_np(X).astype(np.float16)))
    assert (
        _np(half).tolist()
        == np.array(
            [[0.26733, 0.53467, 0.80176], [0.55371, 0.069214, 0.83008]], np.float16
        ).tolist()
    )


def test_l2_normalize_attributes_and_errors() -> None:
    assert repr(P.L2Normalize()) == "Prim[L2Normalize]<axis=[0], epsilon=0.0001>"
    assert P.L2Normalize(1).axis == [1]
    _raises(MsTypeError, "For 'L2Normalize', the type of 'input_x' should be one of "
            f"Tensor[Float16], Tensor[Float32], but got Tensor[Int32]{HINT}",
            lambda: P.L2Normalize()(XI))  # fmt: skip
    _raises(MsValueError, "`axis value` in `L2Normalize` should be in range of [-2, 2), but got 2 "
            "with type `int`.", lambda: P.L2Normalize(axis=2)(X))  # fmt: skip
    _raises(MsTypeError, "For 'L2Normalize', the length of 'axis' must be 1, but got 2, later "
            "will support multiple axis!", lambda: P.L2Normalize(axis=(0, 1)))  # fmt: skip
    _raises(MsTypeError, "For 'L2Normalize', the type of `axis` should be one of '['list', "
            "'tuple']', but got '1.0' with type 'float'.", lambda: P.L2Normalize(axis=1.0))  # fmt: skip


# --- activations ------------------------------------------------------------------------------


def test_activation_layers_match_r16() -> None:
    f32 = np.float32
    assert _np(nn.LeakyReLU()(XN)).tolist() == np.array(
        [[1.0, -0.4, 3.0], [-0.8, 0.5, -1.2]], f32).tolist()  # fmt: skip
    assert _np(nn.LeakyReLU(2)(XN)).tolist() == [[1.0, -4.0, 3.0], [-8.0, 0.5, -12.0]]
    assert _np(nn.LeakyReLU(0.1)(Tensor(np.array([[1, -5, 3], [4, 0, 6]], np.int32)))).tolist() == [
        [1, 0, 3],
        [4, 0, 6],
    ]  # alpha cast to 0
    v = Tensor(np.array([-1.0, 3.0, 7.0, 6.0], f32))
    assert _np(nn.ReLU6()(v)).tolist() == [0.0, 3.0, 6.0, 6.0]
    assert _np(nn.ELU()(XN)).tolist() == np.array(
        [[1.0, -8.64664733e-01, 3.0], [-9.81684387e-01, 0.5, -9.97521222e-01]], f32).tolist()  # fmt: skip
    assert _np(nn.HSwish()(XN)).tolist() == np.array(
        [[6.66666687e-01, -3.33333343e-01, 3.0], [0.0, 2.91666657e-01, 0.0]], f32).tolist()  # fmt: skip
    assert _np(nn.HSigmoid()(XN)).tolist() == np.array(
        [[6.66666687e-01, 1.66666672e-01, 1.0], [0.0, 5.83333313e-01, 0.0]], f32).tolist()  # fmt: skip
    r16_logsig = [[-3.13261807e-01, -2.12692785, -4.85873222e-02],
                  [-4.01815319, -4.74076152e-01, -6.00247288]]  # fmt: skip
    np.testing.assert_allclose(_np(nn.LogSigmoid()(XN)), r16_logsig, rtol=2e-6)
    r16_softplus = [[1.31326175, 1.26928091e-01, 3.04858732],
                    [1.81498528e-02, 9.74076986e-01, 2.47573853e-03]]  # fmt: skip
    np.testing.assert_allclose(_np(P.Softplus()(XN)), r16_softplus, rtol=3e-5)
    assert repr(nn.LeakyReLU(0.3)) == "LeakyReLU<>" and repr(nn.ELU()) == "ELU<>"
    assert repr(P.Elu()) == "Prim[Elu]<alpha=1.0>"


def test_activation_errors_match_r16() -> None:
    _raises(MsTypeError, "For 'LeakyReLU', the type of `alpha` should be one of '['float', "
            "'int']', but got 'a' with type 'str'.", lambda: nn.LeakyReLU("a"))  # fmt: skip
    _raises(MsTypeError, "For 'ReLU6', the type of 'input_x' should be one of Tensor[Float16], "
            f"Tensor[Float32], but got Tensor[Int32]{HINT}", lambda: P.ReLU6()(XI))  # fmt: skip
    _raises(MsValueError, "For 'Elu' the `alpha` must = 1.0, but got 2.0.", lambda: nn.ELU(2.0))
    _raises(MsTypeError, "For primitive[Softplus], the input argument[x] must be a type of "
            "{ Tensor[Float16], Tensor[Float32],}, but got Tensor[Int32].",
            lambda: P.Softplus()(XI))  # fmt: skip


# --- elementwise and array ops ----------------------------------------------------------------


def test_sign_squared_difference_isnan_isinf() -> None:
    assert _np(P.Sign()(XN)).tolist() == [[1, -1, 1], [-1, 1, -1]]
    assert _np(P.Sign()(Tensor(np.array([[1, -5, 3], [4, 0, 6]], np.int32)))).tolist() == [
        [1, -1, 1], [1, 0, 1]]  # fmt: skip
    sq = P.SquaredDifference()(XN, 2.0)
    assert (sq.dtype, _np(sq).tolist()) == (mstype.float32, [[1, 16, 1], [36, 2.25, 64]])
    nanx = Tensor(np.array([1.0, np.nan, np.inf, -np.inf], np.float32))
    assert _np(P.IsNan()(nanx)).tolist() == [False, True, False, False]
    assert _np(F.isnan(nanx)).tolist() == [False, True, False, False]
    assert _np(P.IsInf()(nanx)).tolist() == [False, False, True, True]
    assert _np(P.IsNan()(XI)).tolist() == [[False] * 3] * 2
    _raises(MsTypeError, "For primitive[IsInf], the input argument[x] must be a type of "
            "{ Tensor[Float16], Tensor[Float32], Tensor[Float64],}, but got Tensor[Int32].",
            lambda: P.IsInf()(XI))  # fmt: skip


def test_eye_rank_size() -> None:
    eye = P.Eye()(2, 3, mstype.int32)
    assert (eye.dtype, _np(eye).tolist()) == (mstype.int32, [[1, 0, 0], [0, 1, 0]])
    assert _np(P.Eye()(2, 2, mstype.bool_)).tolist() == [[True, False], [False, True]]
    _raises(MsValueError, "`n` in `Eye` should be int and must > 0, but got `0` with type `int`.",
            lambda: P.Eye()(0, 2, mstype.int32))  # fmt: skip
    _raises(MsTypeError, "`n` in `Eye` must be int, but got `float`",
            lambda: P.Eye()(2.0, 2, mstype.int32))  # fmt: skip
    assert P.Rank()(X) == 2 and P.Size()(X) == 6


def test_topk_and_sort() -> None:
    vals, idx = P.TopK()(Tensor(np.array([1.0, 5.0, 3.0, 5.0, 2.0], np.float32)), 3)
    assert (_np(vals).tolist(), idx.dtype, _np(idx).tolist()) == (
        [5.0, 5.0, 3.0], mstype.int32, [1, 3, 2])  # fmt: skip
    vals, idx = P.TopK(sorted=True)(XN, 2)
    assert (_np(vals).tolist(), _np(idx).tolist()) == ([[3, 1], [0.5, -4]], [[2, 0], [1, 0]])
    _raises(MsTypeError, "Operator[TopK]  input(kNumberTypeInt32,kNumberTypeInt64) output("
            "kNumberTypeInt32,kNumberTypeInt32) is not supported. This error means the current "
            "input type is not supported, please refer to the MindSpore doc for supported types.",
            lambda: P.TopK()(XI, 2))  # fmt: skip
    _raises(MsRuntimeError, "For 'TopK', address size of output error.", lambda: P.TopK()(XN, 4))
    vals, idx = P.Sort()(XN)
    assert (_np(vals).tolist(), _np(idx).tolist()) == (
        [[-2, 1, 3], [-6, -4, 0.5]], [[1, 0, 2], [2, 0, 1]])  # fmt: skip
    vals, idx = P.Sort(axis=0, descending=True)(XN)
    assert (_np(vals).tolist(), _np(idx).tolist()) == (
        [[1, 0.5, 3], [-4, -2, -6]], [[0, 1, 0], [1, 0, 1]])  # fmt: skip
    _raises(MsTypeError, "For primitive[Sort], the input argument[inputx] must be a type of "
            "{ Tensor[Float16], Tensor[Float32],}, but got Tensor[Int32].",
            lambda: P.Sort()(XI))  # fmt: skip


def test_gather_d_scatter_nd_tensor_scatter_update() -> None:
    t = Tensor(np.array([[1, 2], [3, 4]], np.float32))
    idx = Tensor(np.array([[0, 0], [1, 0]], np.int32))
    assert _np(P.GatherD()(t, 1, idx)).tolist() == [[1, 1], [4, 3]]
    idx64 = Tensor(np.array([[0, 1], [1, 0]], np.int64))
    assert _np(P.GatherD()(t, 0, idx64)).tolist() == [[1, 4], [3, 2]]
    ind = Tensor(np.array([[0], [2]], np.int32))
    upd = Tensor(np.array([1.0, 2.0], np.float32))
    assert _np(P.ScatterNd()(ind, upd, (4,))).tolist() == [1, 0, 2, 0]
    dup = Tensor(np.array([[0], [0]], np.int32))
    assert _np(P.ScatterNd()(dup, upd, (4,))).tolist() == [3, 0, 0, 0]  # repeated: summed
    out = P.TensorScatterUpdate()(
        t, Tensor(np.array([[0, 1]], np.int32)), Tensor(np.array([9.0], np.float32))
    )
    assert _np(out).tolist() == [[1, 9], [3, 4]]


# --- composite helpers and functional aliases ---------------------------------------------------


def test_clip_by_value() -> None:
    lo, hi = Tensor(-1.0, mstype.float32), Tensor(2.0, mstype.float32)
    assert _np(C.clip_by_value(XN, lo, hi)).tolist() == [[1, -1, 2], [-1, 0.5, -1]]
    assert _np(ops.clip_by_value(XN, 2.0, -1.0)).tolist() == [[2.0] * 3] * 2  # min > max: min
    out = C.clip_by_value(XI, 2, 4)
    assert (out.dtype, _np(out).tolist()) == (mstype.int32, [[2, 4, 3], [4, 2, 4]])


def test_clip_by_global_norm() -> None:
    y = Tensor(np.array([3.0, 4.0], np.float32))
    x = Tensor(np.array([[1.0, -2.0, 3.0], [4.0, 0.5, -6.0]], np.float32))
    a, b = C.clip_by_global_norm((x, y), 1.0)
    f32 = np.float32
    assert _np(b).tolist() == np.array([3.14054370e-01, 4.18739140e-01], f32).tolist()
    assert _np(a)[1].tolist() == np.array([4.18739140e-01, 5.23423925e-02, -6.28108740e-01],
                                          f32).tolist()  # fmt: skip
    a, b = ops.clip_by_global_norm([x, y], 100.0)  # below the limit: unchanged
    assert _np(b).tolist() == [3.0, 4.0]
    (h,) = C.clip_by_global_norm((Tensor(np.array([3.0, 4.0], np.float16)),), 1.0)
    assert (h.dtype, _np(h).tolist()) == (
        mstype.float16, np.array([0.6001, 0.7998], np.float16).tolist())  # fmt: skip
    _raises(MsValueError, "For 'clip_by_global_norm' the `clip_norm` must > 0.0, but got -1.0.",
            lambda: C.clip_by_global_norm((XN,), -1.0))  # fmt: skip
    _raises(MsValueError, "For '_ClipByGlobalNorm', input 'use_norm' only supports None "
            "currently, but got 'use_norm': 2.0", lambda: C.clip_by_global_norm((XN,), 1.0, 2.0))  # fmt: skip


def test_matmul() -> None:
    a = Tensor(np.arange(6).reshape(2, 3).astype(np.float32))
    b = Tensor(np.arange(12).reshape(3, 4).astype(np.float32))
    assert _np(C.matmul(a, b)).tolist() == [[20, 23, 26, 29], [56, 68, 80, 92]]
    v = C.matmul(Tensor(np.ones(3, np.float32)), b)
    assert (v.shape, _np(v).tolist()) == ((4,), [12, 15, 18, 21])
    s = ops.matmul(Tensor(np.ones(3, np.float32)), Tensor(np.ones(3, np.float32)))
    assert (s.shape, float(_np(s))) == ((), 3.0)
    batched = C.matmul(Tensor(np.ones((2, 2, 3), np.float32)), b)
    assert batched.shape == (2, 2, 4) and _np(batched)[1, 1].tolist() == [12, 15, 18, 21]
    mixed = C.matmul(a, Tensor(np.ones((3, 2), np.int32)))  # mixed dtypes: float32
    assert (mixed.dtype, _np(mixed).tolist()) == (mstype.float32, [[3, 3], [12, 12]])
    _raises(MsValueError, "For 'matmul', the shape1[-1] should be equal to shape2[-2] when the "
            "length of shape2 is greater than or equal to 2, but got shape1[-1]: 3, shape2[-2]: 2.",
            lambda: C.matmul(a, a))  # fmt: skip


def test_repeat_elements() -> None:
    assert _np(C.repeat_elements(XI, 2)).tolist() == [[1, 5, 3], [1, 5, 3], [4, 0, 6], [4, 0, 6]]
    assert _np(ops.repeat_elements(XI, rep=2, axis=1)).tolist() == [
        [1, 1, 5, 5, 3, 3], [4, 4, 0, 0, 6, 6]]  # fmt: skip
    _raises(MsValueError, "`rep` in `repeat_elements` should be int and must > 0, but got `0` "
            "with type `int`.", lambda: C.repeat_elements(XN, 0, 1))  # fmt: skip
    _raises(MsTypeError, "`rep` in `repeat_elements` must be int, but got `float`",
            lambda: C.repeat_elements(XN, 2.0, 1))  # fmt: skip
    _raises(MsValueError, "`axis` in `repeat_elements` should be in range of [-2, 2), but got 2 "
            "with type `int`.", lambda: C.repeat_elements(XN, 2, 2))  # fmt: skip
    _raises(MsTypeError, "For 'repeat_elements', the type of 'axis' must be int, but got `float`",
            lambda: C.repeat_elements(XN, 2, 1.0))  # fmt: skip


def test_functional_aliases_match_r16() -> None:
    # r1.6: these names exist in both mindspore.ops and ops.functional, as these primitives
    expected = {"exp": "Exp", "sin": "Sin", "cos": "Cos", "tanh": "Tanh", "stack": "Stack",
                "gt": "Greater", "ge": "GreaterEqual", "le": "LessEqual", "less": "Less",
                "div": "RealDiv", "tensor_sub": "Sub", "tensor_mul": "Mul",
                "tensor_div": "RealDiv", "tensor_floordiv": "FloorDiv", "tensor_mod": "FloorMod",
                "tensor_gt": "Greater", "tensor_ge": "GreaterEqual", "tensor_lt": "Less",
                "tensor_le": "LessEqual", "pows": "Pow", "absolute": "Abs", "neg_tensor": "Neg",
                "floor": "Floor", "isnan": "IsNan", "tensor_exp": "Exp", "sort": "Sort",
                "scatter_nd": "ScatterNd", "gather_d": "GatherD", "eye": "Eye",
                "tensor_scatter_update": "TensorScatterUpdate", "erf": "Erf"}  # fmt: skip
    for name, prim in expected.items():
        assert getattr(ops, name) is getattr(F, name), name
        assert getattr(ops, name).name == prim, name
    assert repr(F.stop_gradient) == "Prim[stop_gradient]" and ops.stop_gradient is F.stop_gradient
    assert callable(ops.identity)


def test_stop_gradient_forward_and_backward() -> None:
    assert F.stop_gradient(3) == 3
    assert _np(F.stop_gradient(XN)).tolist() == _np(XN).tolist()

    class Net(nn.Cell):
        def __init__(self) -> None:
            super().__init__()
            self.w = Parameter(Tensor(np.array([2.0, 3.0], np.float32)), name="w")
            self.sum = P.ReduceSum()

        def construct(self, x: Any) -> Any:
            a = x * self.w
            return self.sum(a + F.stop_gradient(a * self.w))

    net = Net()
    x = Tensor(np.array([1.0, 1.0], np.float32))
    # r1.6: d/dx = w = [2, 3], d/dw = x = [1, 1] (the stopped branch contributes nothing)
    (gx,) = C.GradOperation(get_all=True)(net)(x)
    (gw,) = C.GradOperation(get_by_list=True)(net, ParameterTuple(net.trainable_params()))(x)
    assert (_np(gx).tolist(), _np(gw).tolist()) == ([2.0, 3.0], [1.0, 1.0])


def test_sign_of_nan_and_softplus_underflow_as_r16() -> None:
    sign = P.Sign()(Tensor(np.array([-2.0, 0.0, 3.0, np.nan], np.float32)))
    assert sign.asnumpy().tolist() == [-1.0, 0.0, 1.0, 0.0]
    soft = P.Softplus()(Tensor(np.array([-100.0, 20.0], np.float32)))
    assert soft.asnumpy().tolist() == [0.0, 20.0]
