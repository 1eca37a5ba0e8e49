"""Conv2D, BiasAdd, ReLU, Softmax: r1.6 attributes and errors, and the guide's Conv2d outputs.

The three ``PUBLISHED_*`` strings are the outputs the MindSpore r1.6 parameter guide prints for
``nn.Conv2d(3, 64, 3, weight_init=...)`` on ``np.ones([1, 3, 16, 50])`` (whitespace collapsed).
The weights of the first two come from r1.6 itself (``golden_r16``).
"""

from __future__ import annotations

import base64

import numpy as np
import pytest

from ascendsim.errors import MsRuntimeError, MsTypeError, MsValueError
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.ops import operations as P
from ascendsim.ms.ops.primitive import Cost

from . import S, digest
from .golden_r16 import GUIDE_WEIGHT_NORMAL, GUIDE_WEIGHT_NORMAL02, HASHES

PUBLISHED_NORMAL = (
    "[[[[ 3.10382620e-02 4.38603461e-02 4.38603461e-02 ... 4.38603461e-02 4.38603461e-02 "
    "1.38719045e-02] [ 3.26051228e-02 3.54298912e-02 3.54298912e-02 ... 3.54298912e-02 "
    "3.54298912e-02 -5.54019120e-03] [ 3.26051228e-02 3.54298912e-02 3.54298912e-02 ... "
    "3.54298912e-02 3.54298912e-02 -5.54019120e-03] ... [ 3.26051228e-02 3.54298912e-02 "
    "3.54298912e-02 ... 3.54298912e-02 3.54298912e-02 -5.54019120e-03] [ 3.26051228e-02 "
    "3.54298912e-02 3.54298912e-02 ... 3.54298912e-02 3.54298912e-02 -5.54019120e-03] [ "
    "9.66199022e-03 1.24104535e-02 1.24104535e-02 ... 1.24104535e-02 1.24104535e-02 "
    "-1.38977719e-02]] ... [[ 3.98553275e-02 -1.35465711e-03 -1.35465711e-03 ... "
    "-1.35465711e-03 -1.35465711e-03 -1.00310734e-02] [ 4.38403059e-03 -3.60766202e-02 "
    "-3.60766202e-02 ... -3.60766202e-02 -3.60766202e-02 -2.95619294e-02] [ 4.38403059e-03 "
    "-3.60766202e-02 -3.60766202e-02 ... -3.60766202e-02 -3.60766202e-02 -2.95619294e-02] ... ["
    " 4.38403059e-03 -3.60766202e-02 -3.60766202e-02 ... -3.60766202e-02 -3.60766202e-02 "
    "-2.95619294e-02] [ 4.38403059e-03 -3.60766202e-02 -3.60766202e-02 ... -3.60766202e-02 "
    "-3.60766202e-02 -2.95619294e-02] [ 1.33139016e-02 6.74417242e-05 6.74417242e-05 ... "
    "6.74417242e-05 6.74417242e-05 -2.27325838e-02]]]]"
)

PUBLISHED_NORMAL_02 = (
    "[[[[ 6.2076533e-01 8.7720710e-01 8.7720710e-01 ... 8.7720710e-01 8.7720710e-01 "
    "2.7743810e-01] [ 6.5210247e-01 7.0859784e-01 7.0859784e-01 ... 7.0859784e-01 7.0859784e-01"
    " -1.1080378e-01] [ 6.5210247e-01 7.0859784e-01 7.0859784e-01 ... 7.0859784e-01 "
    "7.0859784e-01 -1.1080378e-01] ... [ 6.5210247e-01 7.0859784e-01 7.0859784e-01 ... "
    "7.0859784e-01 7.0859784e-01 -1.1080378e-01] [ 6.5210247e-01 7.0859784e-01 7.0859784e-01 "
    "... 7.0859784e-01 7.0859784e-01 -1.1080378e-01] [ 1.9323981e-01 2.4820906e-01 "
    "2.4820906e-01 ... 2.4820906e-01 2.4820906e-01 -2.7795550e-01]] ... [[ 7.9710668e-01 "
    "-2.7093157e-02 -2.7093157e-02 ... -2.7093157e-02 -2.7093157e-02 -2.0062150e-01] [ "
    "8.7680638e-02 -7.2153252e-01 -7.2153252e-01 ... -7.2153252e-01 -7.2153252e-01 "
    "-5.9123868e-01] [ 8.7680638e-02 -7.2153252e-01 -7.2153252e-01 ... -7.2153252e-01 "
    "-7.2153252e-01 -5.9123868e-01] ... [ 8.7680638e-02 -7.2153252e-01 -7.2153252e-01 ... "
    "-7.2153252e-01 -7.2153252e-01 -5.9123868e-01] [ 8.7680638e-02 -7.2153252e-01 "
    "-7.2153252e-01 ... -7.2153252e-01 -7.2153252e-01 -5.9123868e-01] [ 2.6627803e-01 "
    "1.3488382e-03 1.3488382e-03 ... 1.3488382e-03 1.3488382e-03 -4.5465171e-01]]]]"
)

PUBLISHED_TENSOR_WEIGHT = (
    "[[[[12. 18. 18. ... 18. 18. 12.] [18. 27. 27. ... 27. 27. 18.] [18. 27. 27. ... 27. 27. "
    "18.] ... [18. 27. 27. ... 27. 27. 18.] [18. 27. 27. ... 27. 27. 18.] [12. 18. 18. ... 18. "
    "18. 12.]] ... [[12. 18. 18. ... 18. 18. 12.] [18. 27. 27. ... 27. 27. 18.] [18. 27. 27. "
    "... 27. 27. 18.] ... [18. 27. 27. ... 27. 27. 18.] [18. 27. 27. ... 27. 27. 18.] [12. 18. "
    "18. ... 18. 18. 12.]]]]"
)

ONES = np.ones([1, 3, 16, 50], np.float32)


def _weight(chunks: tuple[str, ...]) -> np.ndarray:
    return np.frombuffer(base64.b64decode("".join(chunks)), np.float32).reshape(64, 3, 3, 3)


def _as_guide_prints(out: np.ndarray) -> str:
    """numpy's print of the output, whitespace collapsed, channels elided as the guide shows."""
    text = " ".join(str(out).split())
    channels = text[4:-4].split("]] [[")
    return "[[[[" + channels[0] + "]] ... [[" + channels[-1] + "]]]]"


@pytest.mark.parametrize(
    ("weight", "published", "golden"),
    [
        (GUIDE_WEIGHT_NORMAL, PUBLISHED_NORMAL, "guide_o_normal"),
        (GUIDE_WEIGHT_NORMAL02, PUBLISHED_NORMAL_02, "guide_o_normal02"),
    ],
    ids=["Normal", "Normal(0.2)"],
)
def test_guide_conv2d_examples_are_bit_exact(
    weight: tuple[str, ...], published: str, golden: str
) -> None:
    conv = P.Conv2D(64, 3, pad_mode="same")  # nn.Conv2d's defaults
    out = conv.kernel(None, ONES, _weight(weight))
    assert digest(out) == HASHES[golden]  # every element equals r1.6's, bit for bit
    assert _as_guide_prints(out) == "".join(published)


def test_guide_tensor_weight_example() -> None:
    out = P.Conv2D(64, 3, pad_mode="same").kernel(None, ONES, np.ones([64, 3, 3, 3], np.float32))
    assert _as_guide_prints(out) == "".join(PUBLISHED_TENSOR_WEIGHT)
    assert sorted(set(out.ravel().tolist())) == [12.0, 18.0, 27.0]


def test_conv_variants_are_bit_exact() -> None:
    rs = np.random.RandomState(3)
    x, w = rs.randn(2, 3, 9, 11).astype(np.float32), rs.randn(8, 3, 3, 3).astype(np.float32)
    for mode in ("same", "valid", "pad"):
        for stride in (1, 2):
            conv = P.Conv2D(8, 3, pad_mode=mode, pad=1 if mode == "pad" else 0, stride=stride)
            assert digest(conv.kernel(None, x, w)) == HASHES[f"conv_{mode}_{stride}"], (
                mode,
                stride,
            )
    dil = P.Conv2D(8, 3, pad_mode="pad", pad=(1, 0, 2, 1), stride=(1, 2), dilation=2)
    assert digest(dil.kernel(None, x, w)) == HASHES["conv_dil"]
    x64, w64 = rs.randn(1, 64, 6, 6).astype(np.float32), rs.randn(16, 64, 3, 3).astype(np.float32)
    assert digest(P.Conv2D(16, 3).kernel(None, x64, w64)) == HASHES["conv_cin64"]  # K = 576
    xg, wg = rs.randn(1, 6, 7, 7).astype(np.float32), rs.randn(6, 1, 3, 3).astype(np.float32)
    assert digest(P.Conv2D(6, 3, group=6).kernel(None, xg, wg)) == HASHES["conv_group6"]
    xh, wh = rs.randn(1, 8, 6, 6).astype(np.float16), rs.randn(16, 8, 3, 3).astype(np.float16)
    half = P.Conv2D(16, 3).kernel(None, xh, wh)
    assert (half.dtype, digest(half)) == (np.float16, HASHES["conv_f16"])


@pytest.mark.parametrize(
    ("conv", "x", "w", "out"),
    [
        (P.Conv2D(4, 3), (1, 3, 8, 8), (4, 3, 3, 3), (1, 4, 6, 6)),
        (
            P.Conv2D(4, 3, pad_mode="pad", pad=(1, 0, 2, 1), stride=2),
            (1, 3, 8, 8),
            (4, 3, 3, 3),
            (1, 4, 4, 5),
        ),
        (P.Conv2D(4, 3, pad_mode="same", stride=2), (1, 3, 9, 8), (4, 3, 3, 3), (1, 4, 5, 4)),
        (P.Conv2D(4, 3, group=2), (1, 4, 8, 8), (4, 2, 3, 3), (1, 4, 6, 6)),
        (P.Conv2D(4, (3, 5), dilation=(1, 2)), (2, 3, 8, 12), (4, 3, 3, 5), (2, 4, 6, 4)),
    ],
)
def test_output_shapes_match_r16(conv: P.Conv2D, x: tuple, w: tuple, out: tuple) -> None:
    assert conv.infer(S(x), S(w)) == S(out)


def test_conv_construction_errors_match_r16() -> None:
    cases = [
        (dict(pad_mode="xx"), MsValueError, "For 'Conv2D' the 'pad_mode' should be str and must be in '['valid', 'same', 'pad']', but got 'xx'."),
        (dict(pad_mode="SAME"), MsValueError, "For 'Conv2D' the 'pad_mode' should be str and must be in '['valid', 'same', 'pad']', but got 'SAME'."),
        (dict(pad_mode="same", pad=1), MsValueError, "For 'Conv2D', the 'pad' must be zero when 'pad_mode' is not 'pad', but got 'pad': 1 and 'pad_mode': same."),
        (dict(pad_mode="pad", pad=-1), MsValueError, "`pad item` in `Conv2D` should be int and must >= 0, but got `-1` with type `int`."),
        (dict(pad_mode="pad", pad=(1, 2)), MsValueError, "`pad size` in `Conv2D` should be int and must = 4, but got `2` with type `int`."),
        (dict(kernel_size=0), MsValueError, "For 'Conv2D' attr 'kernel_size' should be an positive int number or a tuple of two positive int numbers, but got 0"),
        (dict(kernel_size=(1, 2, 3)), MsValueError, "For 'Conv2D' attr 'kernel_size' should be an positive int number or a tuple of two positive int numbers, but got (1, 2, 3)"),
        (dict(stride=0), MsValueError, "For 'Conv2D' attr 'stride' should be an positive int number or a tuple of two or four positive int numbers, but got 0"),
        (dict(dilation=0), MsValueError, "For 'Conv2D' attr 'dilation' should be an positive int number or a tuple of two or four positive int numbers, but got 0"),
        (dict(mode=2), MsValueError, "`mode` in `Conv2D` should be int and must = 1, but got `2` with type `int`."),
        (dict(group=0), MsValueError, "`group` in `Conv2D` should be int and must > 0, but got `0` with type `int`."),
        (dict(data_format="NCDHW"), MsValueError, "For 'Conv2D' the 'format' should be str and must be in '['NCHW', 'NHWC']', but got 'NCDHW'."),
        (dict(out_channel=0), MsValueError, "`out_channel` in `Conv2D` should be int and must > 0, but got `0` with type `int`."),
        (dict(kernel_size=3.0), MsTypeError, "For 'Conv2D', the type of `kernel_size` should be one of '['int', 'tuple']', but got '3.0' with type 'float'."),
    ]  # fmt: skip
    for kwargs, exc, msg in cases:
        args = {"out_channel": 4, "kernel_size": 3} | kwargs
        with pytest.raises(exc) as info:
            P.Conv2D(**args)
        assert str(info.value) == msg


def test_conv_nhwc_is_gpu_only() -> None:
    # r1.6 on CPU: "..., but got the 'data_format' is NHWC and platform is CPU."; the default
    # target here is Ascend
    with pytest.raises(
        MsValueError,
        match="the 'NHWC' format is only supported in GPU target, but got the 'data_format' is NHWC and platform is Ascend",
    ):
        P.Conv2D(4, 3, data_format="NHWC")


def test_conv_infer_errors_match_r16() -> None:
    f16, i32, f64 = mstype.float16, mstype.int32, mstype.float64
    cases = [
        (P.Conv2D(4, 3), (S((1, 3, 8)), S((4, 3, 3, 3))), MsValueError, "For primitive[Conv2D], the x shape size must be equal to 4, but got 3."),
        (P.Conv2D(4, 3), (S((1, 3, 8, 8)), S((4, 3, 3))), MsValueError, "For primitive[Conv2D], the w shape size must be equal to 4, but got 3."),
        (P.Conv2D(4, 3), (S((1, 2, 8, 8)), S((4, 3, 3, 3))), MsRuntimeError, "For 'Conv2D', 'C_in' of input 'x' shape divide by parameter 'group' should be equal to 'C_in' of input 'weight' shape: 3, but got 'C_in' of input 'x' shape: 2, and 'group': 1"),
        (P.Conv2D(4, 3, group=2), (S((1, 3, 8, 8)), S((4, 3, 3, 3))), MsRuntimeError, "For 'Conv2D', 'C_in' of input 'x' shape divide by parameter 'group' should be equal to 'C_in' of input 'weight' shape: 3, but got 'C_in' of input 'x' shape: 3, and 'group': 2"),
        (P.Conv2D(5, 3), (S((1, 3, 8, 8)), S((4, 3, 3, 3))), MsRuntimeError, "For 'Conv2D', w_shape[0] = 4 must be equal to out_channel: 5"),
        (P.Conv2D(4, 5), (S((1, 3, 8, 8)), S((4, 3, 3, 3))), MsRuntimeError, "For 'Conv2D', weight height = 3, must be equal to kernel_size[0]: 5"),
        (P.Conv2D(4, (3, 5)), (S((1, 3, 8, 8)), S((4, 3, 3, 3))), MsRuntimeError, "For 'Conv2D', weight width = 3, must be equal to kernel_size[1]: 5"),
        (P.Conv2D(4, 3), (S((1, 3, 8, 8), i32), S((4, 3, 3, 3))), MsTypeError, "For primitive[Conv2D], the input type must be same (x: Tensor[Int32], w: Tensor[Float32])."),
        (P.Conv2D(4, 3), (S((1, 3, 8, 8), f64), S((4, 3, 3, 3), f64)), MsTypeError, "For primitive[Conv2D], the input argument[w] must be a type of { Tensor[Int8], Tensor[Int32], Tensor[Int64], Tensor[Float16], Tensor[Float32],}, but got Tensor[Float64]."),
        (P.Conv2D(4, 3), (1.0, S((4, 3, 3, 3))), MsTypeError, "The primitive[Conv2D]'s input arguments must be all tensor."),
        (P.Conv2D(4, 9), (S((1, 3, 8, 8)), S((4, 3, 9, 9))), MsRuntimeError, "Conv2D output_shape_max shape element [2] must be positive integer, but got 0 (the output shape would be [1, 4, 0, 0]"),
    ]  # fmt: skip
    for conv, args, exc, msg in cases:
        with pytest.raises(exc) as info:
            conv.infer(*args)
        assert str(info.value).startswith(msg)
    assert P.Conv2D(4, 3).infer(S((1, 3, 8, 8), f16), S((4, 3, 3, 3), f16)) == S((1, 4, 6, 6), f16)


def test_conv_cost_is_cube_flops() -> None:
    ins = (S((1, 3, 16, 50)), S((64, 3, 3, 3)))
    out = (S((1, 64, 16, 50)),)
    # 2 * N * Cout * Ho * Wo * (Cin / group) * kh * kw
    assert P.Conv2D(64, 3, pad_mode="same").cost(ins, out) == Cost(
        2 * 64 * 16 * 50 * 3 * 9, 9600 + 6912 + 204800, "cube"
    )
    grouped = P.Conv2D(4, 3, group=2).cost((S((2, 4, 8, 8)), S((4, 2, 3, 3))), (S((2, 4, 6, 6)),))
    assert grouped.flops == 2 * 2 * 4 * 6 * 6 * 2 * 9


def test_bias_add() -> None:
    x = np.ones((2, 3, 2), np.float32)
    out = P.BiasAdd().kernel(None, x, np.array([1.0, 2.0, 3.0], np.float32))
    assert out.tolist() == [[[2.0, 2.0], [3.0, 3.0], [4.0, 4.0]]] * 2  # r1.6
    assert P.BiasAdd().infer(S((2, 3, 2)), S((3,))) == S((2, 3, 2))
    cases = [
        ((S((3,)), S((3,))), MsValueError, "For primitive[BiasAdd], the dims of input_x must in [2,5] ,but got 1."),
        ((S((2, 3)), S((4,))), MsValueError, "BiasAdd shape error, data format is NCHW, got bias_shape[0]: 4, x_channel: 3."),
        ((S((2, 3)), S((3, 1))), MsValueError, "For primitive[BiasAdd], the bias rank must be equal to 1, but got 2."),
        ((S((2, 3)), S((3,), mstype.float16)), MsTypeError, "For primitive[BiasAdd], the input type must be same (input_x: Tensor[Float32], bias: Tensor[Float16])."),
        ((S((2, 3), mstype.bool_), S((3,), mstype.bool_)), MsTypeError, "For primitive[BiasAdd], the input argument[bias] must be a type of { Tensor[Int8], Tensor[Int16], Tensor[Int32], Tensor[Int64], Tensor[UInt8], Tensor[UInt16], Tensor[UInt32], Tensor[UInt64], Tensor[Float16], Tensor[Float32], Tensor[Float64],}, but got Tensor[Bool]."),
    ]  # fmt: skip
    for args, exc, msg in cases:
        with pytest.raises(exc) as info:
            P.BiasAdd().infer(*args)
        assert str(info.value) == msg


def test_softmax() -> None:
    x = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], np.float32)
    # r1.6 (CPU, approximate exp): equal to 1e-6 relative
    r16 = [[0.09003056585788727, 0.2447284758090973, 0.6652408838272095], [1 / 3] * 3]
    np.testing.assert_allclose(P.Softmax().kernel(None, x), r16, rtol=1e-6)
    r16_ax0 = [
        [0.5, 0.7310585975646973, 0.8807970285415649],
        [0.5, 0.2689414322376251, 0.11920291930437088],
    ]
    np.testing.assert_allclose(P.Softmax(axis=0).kernel(None, x), r16_ax0, rtol=1e-6)
    np.testing.assert_allclose(P.Softmax(axis=(0, 1)).kernel(None, x).sum(), 1.0, rtol=1e-6)
    assert P.Softmax().infer(S((2,), mstype.float64)) == S((2,), mstype.float64)
    cases = [
        (P.Softmax(axis=2), S((2, 3)), MsValueError, "For primitive[Softmax], the axis must in [-2,2) ,but got 2."),
        (P.Softmax(), S((1, 3), mstype.int32), MsTypeError, "For primitive[Softmax], the input argument[x] must be a type of { Tensor[Float16], Tensor[Float32], Tensor[Float64],}, but got Tensor[Int32]."),
        (P.Softmax(), 1.0, MsTypeError, "For Primitive[Softmax], the input argument[x] must be a Tensor but got Float32."),
    ]  # fmt: skip
    for op, x_spec, exc, msg in cases:
        with pytest.raises(exc) as info:
            op.infer(x_spec)
        assert str(info.value) == msg
    with pytest.raises(MsTypeError) as info:
        P.Softmax(axis=1.0)
    assert (
        str(info.value)
        == "For 'Softmax', the type of `axis` should be one of '['int', 'tuple']', but got '1.0' with type 'float'."
    )


def test_relu() -> None:
    out = P.ReLU().kernel(None, np.array([3.0, -4.0, 0.0, np.nan], np.float32))
    assert str(out.tolist()) == "[3.0, 0.0, 0.0, nan]"
    assert P.ReLU().infer(S((2,), mstype.int32)) == S((2,), mstype.int32)
    assert P.ReLU().cost((S((4,)),), (S((4,)),)) == Cost(4, 32, "vector")
