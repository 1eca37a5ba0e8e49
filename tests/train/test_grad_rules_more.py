"""The differentiation rules added for r1.6's Sigmoid, Tanh, GeLU, Sin, Cos, Erf, Floor, Pow,
FloorDiv, FloorMod, CumSum, ReduceProd, Concat, Split, Stack, Unstack, Tile, Slice,
StridedSlice (``x[...]``), Gather, GatherNd and LayerNorm, against real MindSpore r1.6.

``EXPECTED`` holds the gradients r1.6 (1.6.1, CPU target, PyNative) printed for ``CASES``
(``/work/shared/tools/mindspore-r16 run`` on the same inputs: a ``Cell`` wrapping each
function, ``GradOperation(get_all=True, sens_param=True)``, float32 values written in their
shortest round-trip form). They are compared exactly, except where a rule reuses an op whose
ascendsim kernel is not bit-exact with r1.6's (see ``LOOSE``); those rules are also checked
exactly against their formula on ascendsim's own forward values. Where r1.6's CPU gradient
kernels are broken (``SliceGrad`` with a ``-1`` size, ``StridedSliceGrad`` with masks, inner or
negative strides, new axes) or missing (``CumProd`` for ReduceProd, ``Erf``), the gradient is
checked against numpy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ascendsim.errors import MsRuntimeError
from ascendsim.ms import Parameter, ParameterTuple, Tensor, context, nn
from ascendsim.ms.ops import composite as C
from ascendsim.ms.ops import operations as P
from ascendsim.ms.ops._grad import bprop_names

NAN = float("nan")


def u(seed: int, *shape: int, lo: float = -2.0, hi: float = 2.0) -> np.ndarray:
    return np.random.RandomState(seed).uniform(lo, hi, shape).astype(np.float32)


def s(seed: int, *shape: int) -> np.ndarray:
    return u(seed, *shape, lo=0.5, hi=1.5)


def i32(values: Any) -> Tensor:
    return Tensor(np.array(values, np.int32))


MIXED = np.array([[-1.5, 0.0, 2.0], [0.5, -2.0, 3.0]], np.float32)
DIVISOR = np.array([1.5, -0.7, 2.2], np.float32)

# (name, function, inputs, sensitivity); each input's gradient is compared
CASES = [
    ("Sigmoid", lambda x: P.Sigmoid()(x), [u(1, 2, 3)], s(101, 2, 3)),
    ("Tanh", lambda x: P.Tanh()(x), [u(2, 2, 3)], s(102, 2, 3)),
    ("GeLU", lambda x: P.GeLU()(x), [u(3, 3, 4, lo=-3, hi=3)], s(103, 3, 4)),
    ("Sin", lambda x: P.Sin()(x), [u(4, 2, 3)], s(104, 2, 3)),
    ("Cos", lambda x: P.Cos()(x), [u(5, 2, 3)], s(105, 2, 3)),
    ("Floor", lambda x: P.Floor()(x), [u(6, 2, 3)], s(106, 2, 3)),
    ("Pow", lambda x, y: P.Pow()(x, y), [u(7, 2, 3, lo=0.5, hi=2), u(8, 2, 3)], s(107, 2, 3)),
    ("Pow_broadcast", lambda x, y: P.Pow()(x, y), [u(9, 2, 3, lo=0.5, hi=2), u(10, 3)],
     s(108, 2, 3)),
    ("Pow_scalar", lambda x: P.Pow()(x, 3.0), [MIXED], s(109, 2, 3)),
    ("Pow_negative_base", lambda x, y: P.Pow()(x, y), [MIXED, np.array([2.0, 3.0, 2.0],
                                                                      np.float32)], s(110, 2, 3)),
    ("FloorDiv", lambda x, y: P.FloorDiv()(x, y), [u(11, 2, 3, lo=-5, hi=5), DIVISOR],
     s(111, 2, 3)),
    ("FloorMod", lambda x, y: P.FloorMod()(x, y), [u(12, 2, 3, lo=-5, hi=5), DIVISOR],
     s(112, 2, 3)),
    ("FloorMod_broadcast_x", lambda x, y: P.FloorMod()(x, y), [DIVISOR, u(13, 2, 3, lo=-5, hi=5)],
     s(113, 2, 3)),
    ("CumSum", lambda x: P.CumSum()(x, 1), [u(14, 3, 4)], s(114, 3, 4)),
    ("CumSum_reverse", lambda x: P.CumSum(reverse=True)(x, 1), [u(14, 3, 4)], s(114, 3, 4)),
    ("CumSum_exclusive", lambda x: P.CumSum(exclusive=True)(x, 1), [u(14, 3, 4)], s(114, 3, 4)),
    ("CumSum_exclusive_reverse", lambda x: P.CumSum(True, True)(x, 0), [u(14, 3, 4)],
     s(114, 3, 4)),
    ("Concat", lambda a, b, c: P.Concat(1)((a, b, c)), [u(15, 2, 3), u(16, 2, 1), u(17, 2, 2)],
     s(115, 2, 6)),
    ("Concat_alike", lambda a, b: P.Concat(-2)([a, b]), [u(18, 2, 3), u(19, 2, 3)], s(116, 4, 3)),
    ("Split_one_output", lambda x: P.Split(1, 3)(x)[1], [u(20, 2, 6)], s(117, 2, 2)),
    ("Split_all_outputs", lambda x: P.Split(0, 2)(x), [u(21, 4, 3)], (s(118, 2, 3), s(119, 2, 3))),
    ("Stack", lambda a, b: P.Stack(1)((a, b)), [u(22, 2, 3), u(23, 2, 3)], s(120, 2, 2, 3)),
    ("Unstack_one_output", lambda x: P.Unstack(1)(x)[1], [u(24, 3, 2)], s(121, 3)),
    ("Tile", lambda x: P.Tile()(x, (2, 1, 3)), [u(25, 2, 3)], s(122, 2, 2, 9)),
    ("Slice", lambda x: P.Slice()(x, (1, 0, 1), (2, 3, 1)), [u(26, 3, 4, 2)], s(123, 2, 3, 1)),
    ("StridedSlice_int", lambda x: x[1], [u(27, 4, 5, 3)], s(124, 5, 3)),
    ("StridedSlice_ellipsis", lambda x: x[..., 1], [u(27, 4, 5, 3)], s(125, 4, 5)),
    ("StridedSlice_none", lambda x: x[None, 1:3], [u(27, 3, 2, 2)], s(126, 1, 2, 2, 2)),
    ("StridedSlice_mixed", lambda x: x[::2, 1:4:2, -1], [u(27, 4, 5, 3)], s(127, 2, 2)),
    ("StridedSlice_step0", lambda x: P.StridedSlice()(x, (0, 0, 0), (3, 4, 2), (2, 1, 1)),
     [u(28, 3, 4, 2)], s(128, 2, 4, 2)),
    ("Gather", lambda x: P.Gather()(x, i32([0, 2, 0, 3]), 0), [u(29, 4, 3)], s(129, 4, 3)),
    ("Gather_axis1", lambda x: P.Gather()(x, i32([[2, 0], [1, 1]]), 1), [u(30, 4, 3)],
     s(130, 4, 2, 2)),
    ("Gather_scalar_index", lambda x: P.Gather()(x, i32(2), 0), [u(31, 4, 3)], s(131, 3)),
    ("Gather_out_of_range", lambda x: P.Gather()(x, i32([-1, 0, 5]), 0), [u(32, 4, 3)],
     s(132, 3, 3)),
    ("Gather_list_index", lambda x: x[[0, 2, 0]], [u(33, 3, 2)], s(133, 3, 2)),
    ("GatherNd", lambda x: P.GatherNd()(x, i32([[0, 1], [2, 3], [0, 1]])), [u(34, 3, 4)],
     s(134, 3)),
    ("GatherNd_rows", lambda x: P.GatherNd()(x, i32([[1], [0], [1]])), [u(35, 3, 4)],
     s(135, 3, 4)),
    ("LayerNorm", lambda x, g, b: P.LayerNorm(1, 1)(x, g, b)[0],
     [u(36, 2, 3, 4), u(37, 3, 4), u(38, 3, 4)], s(136, 2, 3, 4)),
    ("LayerNorm_last", lambda x, g, b: P.LayerNorm(-1, -1)(x, g, b)[0],
     [u(36, 2, 3, 4), u(39, 4), u(40, 4)], s(137, 2, 3, 4)),
    ("LayerNorm_params2", lambda x, g, b: P.LayerNorm(1, 2)(x, g, b)[0],
     [u(36, 2, 3, 4), u(41, 4), u(42, 4)], s(138, 2, 3, 4)),
    ("LayerNorm_mean_only", lambda x, g, b: P.LayerNorm(1, 1)(x, g, b)[1],
     [u(36, 2, 3, 4), u(37, 3, 4), u(38, 3, 4)], s(139, 2, 1, 1)),
]  # fmt: skip

# gradients printed by r1.6 for CASES (one list per input, row-major)
# fmt: off
EXPECTED: dict[str, list[list[float]]] = {
    "Sigmoid": [
        [0.24722792, 0.22174945, 0.05550574, 0.14415243, 0.1866113, 0.18265118],
    ],
    "Tanh": [
        [1.0287637, 0.10139193, 0.76855224, 1.1519065, 0.97628886, 0.8523472],
    ],
    "GeLU": [
        [0.6858253, 0.7567405, -0.0824308, 0.7325368, 1.1412842, 1.0053949, -0.0797057,
         -0.14669612, -0.02031601, 0.15999433, -0.016700946, 0.43135595],
    ],
    "Sin": [
        [-0.18981595, 0.71533895, -0.41122058, 0.5214, 0.48218545, 0.53626984],
    ],
    "Cos": [
        [0.5233802, -0.83029073, 1.253278, -0.60243636, 0.047990154, -0.24364924],
    ],
    "Floor": [
        [0, 0, 0, 0, 0, 0],
    ],
    "Pow": [
        [0.7783325, 3.6816113, 1.6839085, 0.059772722, -0.22184242, -0.5772103],
        [-0.155929, 1.6819726, 0.19319129, 0.35368434, 0.27612165, 0.10362698],
    ],
    "Pow_broadcast": [
        [0.7524389, -0.5308165, 0.5216845, 0.662371, -6.095847, 0.6909465],
        [-0.38889396, -0.6884111, 0.062485486],
    ],
    "Pow_scalar": [
        [7.502359, 0, 14.391403, 0.52092695, 15.299444, 32.613125],
    ],
    "Pow_negative_base": [
        [-1.8481767, 0, 3.5023558, 1.1127826, 14.153887, 7.094779],
        [-0.19283292, NAN, 14.119236],
    ],
    "FloorDiv": [
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0],
    ],
    "FloorMod": [
        [0.8750571, 1.1403046, 1.4500166, 0.5756772, 1.2769296, 1.3327458],
        [2.6251712, -3.1003594, 1.5672874],
    ],
    "FloorMod_broadcast_x": [
        [2.288479, 1.2015814, 2.4707897],
        [-0, -0, -0, -0, 0.62767774, 5.3792896],
    ],
    "CumSum": [
        [4.4346743, 3.7830422, 2.4142969, 0.98841316, 3.7822142, 2.5167212, 1.6548988, 1.0216941,
         3.6185572, 2.3974957, 1.6877062, 0.8405964],
    ],
    "CumSum_reverse": [
        [0.65163195, 2.0203772, 3.446261, 4.4346743, 1.2654929, 2.1273153, 2.76052, 3.7822142,
         1.2210615, 1.930851, 2.7779608, 3.6185572],
    ],
    "CumSum_exclusive": [
        [3.7830422, 2.4142969, 0.98841316, 0, 2.5167212, 1.6548988, 1.0216941, 0, 2.3974957,
         1.6877062, 0.8405964, 0],
    ],
    "CumSum_exclusive_reverse": [
        [0, 0, 0, 0, 0.65163195, 1.3687453, 1.4258838, 0.98841316, 1.9171249, 2.2305677, 2.0590885,
         2.0101073],
    ],
    "Concat": [
        [0.6960923, 1.2027744, 0.91369176, 1.0731182, 1.1141926, 1.043988],
        [1.0768007, 1.292635],
        [1.2278717, 0.69054043, 1.0435678, 0.90216494],
    ],
    "Concat_alike": [
        [0.8751686, 0.8487074, 1.4286435, 0.52913785, 0.50249153, 1.2839125],
        [0.5417606, 0.97799397, 0.86172366, 1.4928522, 0.709143, 1.4053981],
    ],
    "Split_one_output": [
        [0, 0, 0.9514111, 0.7993331, 0, 0, 0, 0, 0.7309617, 1.3853034, 0, 0],
    ],
    "Split_all_outputs": [
        [1.4426516, 1.0791379, 0.55862474, 1.4089504, 1.1414256, 1.4377481, 1.3478438, 0.9978312,
         0.70404774, 1.2522717, 1.1308315, 0.5569252],
    ],
    "Stack": [
        [1.1779555, 1.0129588, 1.1237057, 1.4845756, 1.3544226, 1.0910903],
        [0.97714245, 0.9602598, 1.4508649, 0.70319635, 0.76236016, 0.56641525],
    ],
    "Unstack_one_output": [
        [0, 0.6113308, 0, 0.71076757, 0, 0.7329625],
    ],
    "Tile": [
        [5.527822, 6.054242, 6.0451736, 5.8722734, 5.250469, 5.106556],
    ],
    "Slice": [
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 1.1964692, 0, 0.7861393, 0, 0.72685146, 0, 0, 0, 1.0513147, 0,
         1.219469, 0, 0.92310643, 0, 0],
    ],
    "StridedSlice_int": [
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.6060649, 1.2454715, 1.0723135, 0.95824116,
         0.8847059, 0.7739893, 1.1679624, 0.89547503, 0.7815729, 1.2799197, 1.0990942, 0.6229464,
         0.88957405, 1.4749883, 0.9675989, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ],
    "StridedSlice_ellipsis": [
        [0, 1.006726, 0, 0, 0.5575307, 0, 0, 1.1275799, 0, 0, 0.6325525, 0, 0, 0.63108516, 0, 0,
         1.288544, 0, 0, 1.0066861, 0, 0, 0.91282606, 0, 0, 1.0780087, 0, 0, 0.98817444, 0, 0,
         0.8359639, 0, 0, 0.6408163, 0, 0, 1.3914424, 0, 0, 0.58631164, 0, 0, 1.3475122, 0, 0,
         1.0296156, 0, 0, 1.0502608, 0, 0, 1.3484612, 0, 0, 0.65899783, 0, 0, 0.79799616, 0],
    ],
    "StridedSlice_none": [
        [0, 0, 0, 0, 0.6051721, 0.6281441, 0.58740634, 0.6154786, 1.2477276, 0.88304573, 1.0800452,
         0.5499967],
    ],
    "StridedSlice_mixed": [
        [0, 0, 0, 0, 0, 1.0238333, 0, 0, 0, 0, 0, 0.53996295, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.6859653, 0, 0, 0, 0, 0, 1.2727907, 0, 0, 0, 0, 0, 0, 0,
         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ],
    "StridedSlice_step0": [
        [1.366637, 0.76314485, 0.63140845, 0.54159343, 0.7389243, 1.1454746, 1.2905993, 1.1014425,
         0, 0, 0, 0, 0, 0, 0, 0, 0.8342994, 0.61942846, 0.80913305, 0.6097238, 1.1021134,
         0.75128496, 0.7996813, 1.017116],
    ],
    "Gather": [
        [2.4595208, 1.3656521, 1.6943855, 0, 0, 0, 0.5848564, 1.4736544, 1.0163393, 0.5184259,
         1.2842541, 0.5221941],
    ],
    "Gather_axis1": [
        [0.81154436, 1.6806037, 0.6416303, 1.4211278, 1.5062947, 0.9938826, 1.2709236, 1.7617288,
         1.4987509, 0.5514968, 1.9106584, 1.3103387],
    ],
    "Gather_scalar_index": [
        [0, 0, 0, 0, 0, 0, 1.1501536, 1.4481091, 0.88802886, 0, 0, 0],
    ],
    "Gather_out_of_range": [
        [1.2816828, 1.3015971, 0.85690176, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ],
    "Gather_list_index": [
        [1.8587768, 1.8675637, 0, 0, 0.60955614, 0.6422435],
    ],
    "GatherNd": [
        [0, 2.4391494, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.9477642],
    ],
    "GatherNd_rows": [
        [1.2821323, 0.657542, 1.0206057, 1.4639556, 1.7138848, 2.2579582, 1.5687177, 1.9906454, 0,
         0, 0, 0],
    ],
    "LayerNorm": [
        [0.7922008, -0.18464243, -0.7949279, 0.054355517, 0.16536057, 0.3783262, -1.1845465,
         0.63695186, -0.9511209, 0.38494083, 0.43598676, 0.26711497, 1.7989467, -0.28035486,
         -1.812121, 0.3220338, 0.74743974, 0.48118773, -2.7226117, 0.8736699, -1.3535544,
         1.0204937, 0.6554695, 0.26940078],
        [1.2885485, -0.9227599, 0.27867013, -1.9573507, -0.13122249, -0.37849206, -0.22619498,
         -1.2228426, 1.0096196, -1.540065, 1.6958096, 1.3962188],
        [1.4281431, 1.9379783, 1.7437578, 1.2524095, 1.8924401, 1.3960967, 2.0412467, 1.638687,
         2.250675, 1.3625443, 1.1083002, 1.4791777],
    ],
    "LayerNorm_last": [
        [-0.3312921, 0.46365812, -0.023044795, -0.109321326, 0.021823883, 0.6065852, 1.0343399,
         -1.662749, -0.04541281, 0.07878472, 1.3098978, -1.3432698, -0.9215158, 1.0844042,
         1.2788193, -1.4417077, 2.40202, 1.8328309, -0.9136629, -3.321188, -0.3843651, 1.7032237,
         1.8907752, -3.2096334],
        [2.8808649, -3.2780962, 4.084346, -2.8484972],
        [7.800348, 5.994899, 7.3403177, 5.7475867],
    ],
    "LayerNorm_params2": [
        [-0.36846238, -0.97008806, 0.8200483, -0.85038847, -0.52157325, 0.16731673, 1.6563604,
         0.10459006, -0.39959604, -0.12030256, 0.8570775, -0.37498182, -1.1665503, 0.56374073,
         2.6232076, 0.7203367, -0.12578678, -2.1301832, 2.289431, -1.842297, 0.31506848,
         -1.5126525, 0.99672014, -0.7310344],
        [3.2789319, -2.9383194, 2.6136584, -3.586557],
        [7.444845, 6.1337934, 5.096444, 5.6438437],
    ],
    "LayerNorm_mean_only": [
        [0, 0, 0, 0, 0, 0, -0, 0, 0, 0, 0, 0, 0, -0, -0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ],
}
# fmt: on

# rules reusing an op whose ascendsim kernel differs from r1.6's in the last bits: Sigmoid and
# Tanh take the forward output (float64 evaluation rounded, r1.6's vectorised kernels are not
# correctly rounded), Pow's exponent gradient takes Log (r1.6's CPU Log is an approximation,
# absolute error ~2e-6); {case: inputs compared with a tolerance}
LOOSE = {"Sigmoid": (0,), "Tanh": (0,), "Pow": (1,), "Pow_broadcast": (1,),
         "Pow_negative_base": (1,)}  # fmt: skip


def _sens(sens: Any) -> Any:
    return tuple(Tensor(x) for x in sens) if isinstance(sens, tuple) else Tensor(sens)


def _grads(fn: Any, inputs: list[np.ndarray], sens: Any) -> list[np.ndarray]:
    grads = C.GradOperation(get_all=True, sens_param=True)(fn)(
        *[Tensor(a) for a in inputs], _sens(sens)
    )
    return [g.asnumpy() for g in grads]


def _check(name: str, got: list[np.ndarray], inputs: list[np.ndarray]) -> None:
    want = EXPECTED[name]
    assert len(got) == len(want) == len(inputs), name
    for k, (g, w, a) in enumerate(zip(got, want, inputs, strict=True)):
        w = np.array(w, np.float32).reshape(a.shape)
        assert g.shape == a.shape and g.dtype == a.dtype, (name, k)
        if k in LOOSE.get(name, ()):
            np.testing.assert_allclose(g, w, rtol=1e-5, atol=2e-5, err_msg=f"{name}[{k}]")
        else:
            np.testing.assert_array_equal(g, w, err_msg=f"{name}[{k}]")


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_pynative_gradient_equals_r16(case: tuple[Any, ...]) -> None:
    name, fn, inputs, sens = case
    context.set_context(mode=context.PYNATIVE_MODE, device_target="CPU")
    _check(name, _grads(fn, inputs, sens), inputs)


class _Net(nn.Cell):
    def __init__(self, fn: Any) -> None:
        super().__init__()
        self.fn = fn

    def construct(self, *xs: Any) -> Any:
        return self.fn(*xs)


class _GradNet(nn.Cell):
    def __init__(self, net: nn.Cell) -> None:
        super().__init__()
        self.net = net
        self.grad = C.GradOperation(get_all=True, sens_param=True)

    def construct(self, *args: Any) -> Any:
        return self.grad(self.net)(*args)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_graph_mode_gradient_equals_r16(case: tuple[Any, ...]) -> None:
    """The rules traced into a compiled graph (a Cell in GRAPH_MODE) give the same values
    (r1.6's graph mode printed the same numbers on the cases run there)."""
    name, fn, inputs, sens = case
    context.set_context(mode=context.GRAPH_MODE, device_target="CPU")
    grads = _GradNet(_Net(fn))(*[Tensor(a) for a in inputs], _sens(sens))
    _check(name, [g.asnumpy() for g in grads], inputs)


def test_sigmoid_and_tanh_follow_r16_kernels_exactly() -> None:
    """r1.6's CPU SigmoidGrad is ``dout * (y * (1 - y))``; TanhGrad is ``dout * (1 - y*y)``
    with ``1 - y*y`` rounded once (measured: 4000 of 4000 equal)."""
    x = u(50, 64, lo=-4, hi=4)
    dout = u(51, 64)
    y = P.Sigmoid()(Tensor(x)).asnumpy()
    (g,) = _grads(lambda t: P.Sigmoid()(t), [x], dout)
    np.testing.assert_array_equal(g, dout * (y * (np.float32(1) - y)))
    y = P.Tanh()(Tensor(x)).asnumpy()
    (g,) = _grads(lambda t: P.Tanh()(t), [x], dout)
    fused = (1.0 - y.astype(np.float64) ** 2).astype(np.float32)
    np.testing.assert_array_equal(g, dout * fused)


def test_pow_exponent_gradient_uses_log_of_base_or_one() -> None:
    """``out * log(x) * dout``, with log(1) = 0 where ``x < 0`` (and -inf * 0 = nan at 0 on
    the CPU target; Ascend saturates -inf to the float32 minimum)."""
    context.set_context(device_target="CPU")
    x, y = MIXED, np.array([2.0, 3.0, 2.0], np.float32)
    dout = s(110, 2, 3)
    out = P.Pow()(Tensor(x), Tensor(y)).asnumpy()
    log = P.Log()(Tensor(np.where(x < 0, np.float32(1), x))).asnumpy()
    with np.errstate(all="ignore"):
        want = ((out * log) * dout).sum(axis=0)
    _, g = _grads(lambda a, b: P.Pow()(a, b), [x, y], dout)
    np.testing.assert_array_equal(g, want)
    assert np.isnan(g[1])


# --- slicing where r1.6's CPU gradient kernels are wrong --------------------------------------
# r1.6 1.6.1's CPU SliceGrad reads a size of -1 as one less than the rest of the dimension,
# and its StridedSliceGrad crashes or scatters to the wrong places with masks, inner strides,
# negative strides and new axes (measured); the rules give the gradient of the forward op.
X = u(60, 4, 5, 3)
SLICES = [
    ("Slice_rest", lambda x: P.Slice()(x, (1, 0, 0), (2, -1, 1)), np.s_[1:3, 0:5, 0:1]),
    ("masks", lambda x: P.StridedSlice(1, 2, 0, 0, 4)(x, (2, 1, 1), (3, 3, 2), (1, 1, 1)),
     np.s_[0:3, 1:5, 1]),
    ("inner_stride", lambda x: P.StridedSlice()(x, (1, 0, 0), (3, 5, 3), (1, 2, 1)),
     np.s_[1:3, 0:5:2, 0:3]),
    ("reverse", lambda x: x[::-1], np.s_[::-1]),
    ("reverse_strided", lambda x: x[:, ::-2], np.s_[:, ::-2]),
    ("negative_strides", lambda x: P.StridedSlice()(x, (3, 4, 2), (0, 0, -4), (-1, -2, -1)),
     np.s_[3:0:-1, 4:0:-2, 2::-1]),
    ("from_end", lambda x: x[-1::-3], np.s_[-1::-3]),
    ("new_axis", lambda x: P.StridedSlice(0, 0, 0, 1, 0)(x, (0, 1, 0), (1, 3, 5), (1, 1, 2)),
     np.s_[None, 1:3, 0:5:2]),
    ("ellipsis_shrink", lambda x: P.StridedSlice(0, 0, 1, 0, 2)(x, (0, 1), (1, 2), (1, 1)),
     np.s_[..., 1]),
]  # fmt: skip


@pytest.mark.parametrize("case", SLICES, ids=[c[0] for c in SLICES])
@pytest.mark.parametrize("mode", ["pynative", "graph"])
def test_slice_gradient_is_the_forward_scattered_back(case: tuple[Any, ...], mode: str) -> None:
    name, fn, index = case
    context.set_context(mode=context.GRAPH_MODE if mode == "graph" else context.PYNATIVE_MODE)
    out = fn(Tensor(X)).asnumpy()
    np.testing.assert_array_equal(out, X[index])  # the numpy index is the op's
    dout = s(61, *out.shape)
    want = np.zeros_like(X)
    want[index] = dout
    if mode == "graph":
        (g,) = [t.asnumpy() for t in _GradNet(_Net(fn))(Tensor(X), Tensor(dout))]
    else:
        (g,) = _grads(fn, [X], dout)
    np.testing.assert_array_equal(g, want)


def test_gather_of_a_parameter_adds_repeated_rows() -> None:
    """An embedding table: each row receives the sum of the gradients of its lookups."""
    table = Parameter(Tensor(u(62, 5, 3)), name="table")
    ids = np.array([[4, 1, 4], [0, 4, 1]], np.int32)
    dout = s(63, 2, 3, 3)

    def fn(i: Any) -> Any:
        return P.Gather()(table, i, 0)

    for mode in (context.PYNATIVE_MODE, context.GRAPH_MODE):
        context.set_context(mode=mode)
        grad = C.GradOperation(get_by_list=True, sens_param=True)(fn, ParameterTuple([table]))
        (g,) = grad(Tensor(ids), Tensor(dout))
        want = np.zeros((5, 3), np.float32)
        for k, row in enumerate(ids.ravel()):
            want[row] += dout.reshape(-1, 3)[k]
        np.testing.assert_array_equal(g.asnumpy(), want)


# --- ReduceProd and Erf: no CPU kernel in r1.6 -------------------------------------------------


def _others_product(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """r1.6's rule in numpy: exclusive running products from the front and from the back over
    the reduced axes (packed, in the given order), multiplied in float32 in order."""
    rank = x.ndim
    perm = axes + tuple(i for i in range(rank) if i not in axes)
    moved = np.transpose(x, perm)
    rows = moved.reshape(int(np.prod([x.shape[a] for a in axes])), -1)
    n = rows.shape[0]
    front, back = np.ones_like(rows), np.ones_like(rows)
    for i in range(1, n):
        front[i] = front[i - 1] * rows[i - 1]
        back[n - 1 - i] = back[n - i] * rows[n - i]
    return np.transpose((front * back).reshape(moved.shape), np.argsort(perm))


@pytest.mark.parametrize("axis,keep", [(1, False), ((0, 2), True), ((2, 0), False), (-1, False)])
def test_reduce_prod_gradient_is_the_product_of_the_others(axis: Any, keep: bool) -> None:
    context.set_context(device_target="Ascend")
    x = u(70, 2, 3, 4, lo=0.5, hi=1.5)
    x[0, 1, 2] = x[1, 2, 0] = x[1, 2, 3] = 0  # zeros: no division by the product
    axes = tuple(a % 3 for a in ((axis,) if isinstance(axis, int) else axis))
    dout = s(71, *np.prod(x, axis=axes, keepdims=keep).shape)
    (g,) = _grads(lambda t: P.ReduceProd(keep)(t, axis), [x], dout)
    kept = dout if keep else np.expand_dims(dout, tuple(sorted(axes)))
    np.testing.assert_array_equal(g, _others_product(x, axes) * kept)


def test_reduce_prod_over_everything_gives_dout_as_r16() -> None:
    """r1.6's rule packs the axes of ``axis`` for its running products; ``axis=()`` (every
    axis) packs none, so the gradient is ``dout`` broadcast (r1.6 1.6.1's rule, kept)."""
    context.set_context(device_target="Ascend")
    x = u(72, 2, 3, lo=0.5, hi=1.5)
    (g,) = _grads(lambda t: P.ReduceProd()(t), [x], np.float32(1.5))
    np.testing.assert_array_equal(g, np.full((2, 3), 1.5, np.float32))


def test_reduce_prod_gradient_on_cpu_raises_as_r16() -> None:
    context.set_context(device_target="CPU")
    with pytest.raises(MsRuntimeError, match="For 'CumProd, the CPU platform is not supported!"):
        _grads(lambda t: P.ReduceProd()(t, 1), [u(73, 2, 3)], s(74, 2))


def test_erf_gradient() -> None:
    """``dout * (2 / sqrt(pi)) * exp(-x**2)``, the constant computed in float32 (as r1.6)."""
    context.set_context(device_target="Ascend")
    x, dout = u(75, 3, 4), u(76, 3, 4)
    (g,) = _grads(lambda t: P.Erf()(t), [x], dout)
    c = np.float32(2) / np.sqrt(np.float32(np.pi))
    np.testing.assert_array_equal(g, (dout * c) * np.exp(-(x * x)))


def test_unused_outputs_of_split_and_unstack_get_zeros() -> None:
    x = u(77, 2, 3)
    (g,) = _grads(lambda t: P.Unstack(0)(t)[1], [x], s(78, 3))
    np.testing.assert_array_equal(g[0], np.zeros(3, np.float32))
    (g,) = _grads(lambda t: P.Split(1, 3)(t)[0], [x], s(79, 2, 1))
    np.testing.assert_array_equal(g[:, 1:], np.zeros((2, 2), np.float32))


def test_the_rules_are_registered() -> None:
    names = {"Sigmoid", "Tanh", "GeLU", "Sin", "Cos", "Erf", "Floor", "Pow", "FloorDiv",
             "FloorMod", "CumSum", "ReduceProd", "Concat", "Split", "Stack", "Unstack", "Tile",
             "Slice", "StridedSlice", "Gather", "GatherNd", "LayerNorm"}  # fmt: skip
    assert names <= set(bprop_names())


def test_float16_layer_norm_and_gelu_keep_their_dtype() -> None:
    x = u(80, 2, 4).astype(np.float16)
    gamma, beta = np.ones(4, np.float16), np.zeros(4, np.float16)
    grads = _grads(lambda a, b, c: P.LayerNorm(1, 1)(a, b, c)[0], [x, gamma, beta],
                   s(81, 2, 4).astype(np.float16))  # fmt: skip
    assert [g.dtype for g in grads] == [np.float16] * 3
    (g,) = _grads(lambda a: P.GeLU()(a), [x], s(82, 2, 4).astype(np.float16))
    assert g.dtype == np.float16 and np.isfinite(g).all()


def test_gelu_gradient_far_out_is_exact_and_finite() -> None:
    """Its tanh saturates without an overflow in between: 1 far right, 0 far left."""
    x = np.array([-60.0, -25.0, 25.0, 60.0], np.float32)
    (g,) = _grads(lambda a: P.GeLU()(a), [x], np.ones(4, np.float32))
    np.testing.assert_array_equal(g, [0, 0, 1, 1])
