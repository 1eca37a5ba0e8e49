"""Initializers and seeds: values bit-identical to MindSpore r1.6.

The golden digests were computed from arrays dumped by MindSpore r1.6.1 (CPU, numpy 1.21.6,
scipy 1.7.3) running exactly the sequence in :func:`_replay` (for the Conv2d cases,
``nn.Conv2d(3, 64, 3, weight_init=...).weight.asnumpy()``). Digest: the first 16 hex digits of
sha256 over the array bytes.
"""

import hashlib
import sys
from collections.abc import Iterator

import numpy as np
import pytest

from ascendsim.errors import MsKeyError, MsTypeError, MsValueError
from ascendsim.ms import context
from ascendsim.ms.common import Parameter, Tensor, get_seed, set_seed
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.common import seed as seed_module
from ascendsim.ms.common.initializer import initializer

I = sys.modules["ascendsim.ms.common.initializer"]  # noqa: E741  (the module, not the function)

R16_DIGESTS = {
    "conv_normal": ("float32", (64, 3, 3, 3), "41d09e02d49a7b68"),
    "conv_normal02": ("float32", (64, 3, 3, 3), "03fa4dd4ceb98594"),
    "seq1_a": ("float32", (4, 5), "8bf162b57518362d"),
    "seq1_b": ("float32", (17,), "c3830108e474407f"),
    "seq1_c": ("float16", (3, 3), "b4d46abf1ff301b6"),
    "seq1_big": ("float32", (1000, 1000), "588ad0653a38c59f"),
    "seq1_d": ("float64", (33, 7), "4c497966064840c2"),
    "seq1_e": ("float32", (1,), "952d44f92bd9f314"),
    "seq1_f": ("float32", (2, 3, 4, 5, 6), "92e7460dc11f8c8f"),
    "again_a": ("float32", (4, 5), "8bf162b57518362d"),
    "seed0_a": ("float32", (10,), "cf2b7f3c2cc7f3a1"),
    "seed0_b": ("float32", (10,), "7a17be421e9c9c91"),
    "seedbig": ("float32", (100,), "2a92d0e6865ab3b6"),
    "seedbig_6": ("float32", (100,), "a6f3172d8dc224b8"),
    "param_normal": ("float32", (8, 8), "92ea7dc7afc73b35"),
    "uniform": ("float32", (3, 4), "589120ac505dbc51"),
    "xavier": ("float32", (4, 5), "55988705ecda9e59"),
    "xavier_g": ("float32", (4, 3, 2), "33eaa6adf882bc39"),
    "he_uniform": ("float32", (4, 3, 2, 2), "c99e0d765cc787ce"),
    "he_normal": ("float32", (4, 3, 2), "5463fb11cc8e61cd"),
    "he_normal_fo": ("float32", (6, 3), "db76b673adc03210"),
    "trunc": ("float32", (50, 40), "de91dcaa7217300b"),
    "trunc64": ("float64", (20, 20), "ba1a581ea4c2bdf6"),
    "sparse": ("float32", (4, 3), "b90c6f4cd145d3e2"),
    "orth_wide": ("float32", (3, 5), "75a4fc680cf5c276"),
    "orth_tall": ("float32", (5, 3), "90dc917be59e2c1d"),
    "orth_3d": ("float32", (2, 3, 4), "56b0d2e21fd39197"),
    "vs_default": ("float32", (3, 4), "0538503a581341e6"),
    "vs_untr": ("float32", (3, 4), "a841bf875f4eee52"),
    "vs_avg": ("float32", (3, 4, 2), "1fd27ffc8b32a804"),
    "identity": ("float32", (2, 3), "ab43fbd0c2e97ddd"),
    "dirac": ("float32", (6, 4, 3, 3), "9949df400580c49a"),
    "dirac3": ("float32", (2, 3, 3), "f5934e974613b52d"),
    "const_i": ("int32", (2, 2), "7de254eac3599095"),
    "const_f": ("int32", (2,), "41d805e613efbe1a"),
    "ones_i": ("int8", (3,), "75c8fd04ad916aec"),
    "zeros_b": ("bool", (3,), "709e80c88487a241"),
    "uniform_after": ("float32", (5,), "1bd64bfe05c90d88"),
    "normal_after_np": ("float32", (5,), "8286187997917e65"),
    "np_state_after": ("float64", (3,), "7f832615481f7baa"),
    "uniform_f16": ("float16", (7,), "b3bb48b4d8de73d9"),
    "scalar_ones": ("float32", (), "e00e5eb9444182f3"),
}


@pytest.fixture(autouse=True)
def _fresh_state() -> Iterator[None]:
    context.reset_context()
    seed_module._reset_seed_state()
    yield
    context.reset_context()
    seed_module._reset_seed_state()


def _values(init, shape, dtype=mstype.float32) -> np.ndarray:
    return initializer(init, shape, dtype).init_data().asnumpy()


def _replay() -> dict[str, np.ndarray]:
    """The sequence run with r1.6 (order matters: seeds advance at each materialisation)."""
    out = {}
    set_seed(1)
    out["conv_normal"] = Parameter(initializer("Normal", [64, 3, 3, 3]), name="weight").asnumpy()
    set_seed(1)
    out["conv_normal02"] = Parameter(
        initializer(I.Normal(0.2), [64, 3, 3, 3]), name="weight"
    ).asnumpy()
    set_seed(1)
    out["seq1_a"] = _values("normal", [4, 5])
    out["seq1_b"] = _values("normal", [17])
    out["seq1_c"] = _values(I.Normal(0.5, 1.0), [3, 3], mstype.float16)
    out["seq1_big"] = _values("normal", [1000, 1000])
    out["seq1_d"] = _values("normal", [33, 7], mstype.float64)
    out["seq1_e"] = _values("normal", [1])
    out["seq1_f"] = _values("normal", [2, 3, 4, 5, 6])
    set_seed(1)
    out["again_a"] = _values("normal", [4, 5])
    set_seed(0)
    out["seed0_a"] = _values("normal", [10])
    out["seed0_b"] = _values("normal", [10])
    set_seed(123456789)
    out["seedbig"] = _values("normal", [100])
    for _ in range(5):
        _values("normal", [3])
    out["seedbig_6"] = _values("normal", [100])
    set_seed(7)
    out["param_normal"] = Parameter(initializer("normal", [8, 8]), name="p").asnumpy()
    set_seed(2)
    out["uniform"] = _values("uniform", [3, 4])
    out["xavier"] = _values("xavier_uniform", [4, 5])
    out["xavier_g"] = _values(I.XavierUniform(2.0), [4, 3, 2])
    out["he_uniform"] = _values("he_uniform", [4, 3, 2, 2])
    out["he_normal"] = _values("he_normal", [4, 3, 2])
    out["he_normal_fo"] = _values(I.HeNormal(0.1, "fan_out", "relu"), [6, 3])
    out["trunc"] = _values("truncatednormal", [50, 40])
    out["trunc64"] = _values(I.TruncatedNormal(0.3), [20, 20], mstype.float64)
    out["sparse"] = _values(I.Sparse(0.5), [4, 3])
    out["orth_wide"] = _values("orthogonal", [3, 5])
    out["orth_tall"] = _values(I.Orthogonal(2.0), [5, 3])
    out["orth_3d"] = _values("orthogonal", [2, 3, 4])
    out["vs_default"] = _values("variancescaling", [3, 4])
    out["vs_untr"] = _values(I.VarianceScaling(2.0, "fan_out", "untruncated_normal"), [3, 4])
    out["vs_avg"] = _values(I.VarianceScaling(1.0, "fan_avg", "uniform"), [3, 4, 2])
    out["identity"] = _values("identity", [2, 3])
    out["dirac"] = _values(I.Dirac(2), [6, 4, 3, 3])
    out["dirac3"] = _values("dirac", [2, 3, 3])
    out["const_i"] = _values(5, [2, 2], mstype.int32)
    out["const_f"] = _values(2.5, [2], mstype.int32)
    out["ones_i"] = _values("ones", [3], mstype.int8)
    out["zeros_b"] = _values("zeros", [3], mstype.bool_)
    out["uniform_after"] = _values("uniform", [5])
    out["normal_after_np"] = _values("normal", [5])
    out["np_state_after"] = np.random.uniform(size=3)
    set_seed(3)
    out["uniform_f16"] = _values(I.Uniform(1.0), [7], mstype.float16)
    out["scalar_ones"] = _values("ones", [], mstype.float32)
    return out


def _digest(a: np.ndarray) -> tuple[str, tuple[int, ...], str]:
    return str(a.dtype), a.shape, hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()[:16]


def test_sequence_is_bit_identical_to_r16() -> None:
    got = {k: _digest(v) for k, v in _replay().items()}
    assert got == R16_DIGESTS


def test_guide_conv2d_weight_under_set_seed_1() -> None:
    # r1.6: set_seed(1); nn.Conv2d(3, 64, 3, weight_init='Normal').weight.asnumpy().ravel()[:6]
    set_seed(1)
    w = Parameter(initializer("Normal", [64, 3, 3, 3]), name="weight").asnumpy()
    assert w.ravel()[:6].tolist() == [
        -0.0012802314013242722, -0.013929006643593311, 0.013088601641356945,
        -0.001078178989700973, -0.012287775985896587, 0.019946936517953873,
    ]  # fmt: skip
    set_seed(1)
    w02 = Parameter(initializer(I.Normal(0.2), [64, 3, 3, 3]), name="weight").asnumpy()
    assert w02.ravel()[:3].tolist() == [
        -0.025604629889130592,
        -0.2785801589488983,
        0.2617720365524292,
    ]
    assert np.allclose(w02, 20 * w, rtol=1e-6)


def test_seed_pairs_advance_per_materialisation() -> None:
    set_seed(1)
    pairs = [I.Normal().seed for _ in range(3)]
    step = (0xD2511F53 ^ 0xCD9E8D57) % (2**31 - 1)
    assert pairs == [(1, 1), (1, (1 + step) % (2**31 - 1)), (1, (1 + 2 * step) % (2**31 - 1))]
    set_seed(1)
    assert I.Normal().seed == (1, 1)
    set_seed(0)
    assert I.Normal().seed == (87654321, 0)
    seed_module._reset_seed_state()
    assert (get_seed(), I.Normal().seed) == (None, (0, 0))


def test_names_are_case_insensitive_with_aliases() -> None:
    kinds = {name: type(initializer(name, [2, 3]).init).__name__ for name in (
        "ZEROS", "ones", "Normal", "xavier_uniform", "He_Uniform", "he_normal", "truncatedNormal",
        "uniform", "identity", "orthogonal", "dirac", "varianceScaling", "one", "zero")}  # fmt: skip
    assert kinds == {
        "ZEROS": "Zero", "ones": "One", "Normal": "Normal", "xavier_uniform": "XavierUniform",
        "He_Uniform": "HeUniform", "he_normal": "HeNormal", "truncatedNormal": "TruncatedNormal",
        "uniform": "Uniform", "identity": "Identity", "orthogonal": "Orthogonal", "dirac": "Dirac",
        "varianceScaling": "VarianceScaling", "one": "One", "zero": "Zero",
    }  # fmt: skip


def test_tensor_and_number_inits() -> None:
    t = Tensor(np.ones((2, 3)))
    assert initializer(t, [2, 3]) is t
    assert initializer(Tensor(np.ones(3)), 3).shape == (3,)
    c = initializer(2.5, (2,), mstype.int32)
    assert (type(c.init).__name__, c.shape, c.init_data().asnumpy().tolist()) == (
        "Constant",
        (2,),
        [2, 2],
    )


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: initializer("foo", [2]), MsKeyError, "'foo'"),
        (lambda: initializer("constant", [2]), MsKeyError, "'constant'"),
        (lambda: initializer([1, 2], [2]), MsTypeError, "The type of the 'init' argument should be 'Tensor', 'number', 'string' or 'initializer', but got <class 'list'>."),
        (lambda: initializer("ones", [2, 0]), MsValueError, "The argument 'shape' is invalid, the value of 'shape' must be positive integer, but got (2, 0)"),
        (lambda: initializer("ones", [2.0]), MsValueError, "must be positive integer, but got (2.0,)"),
        (lambda: initializer(Tensor(np.ones((2, 3))), [3, 2]), MsValueError, "The shape of the 'init' argument should be same as the argument 'shape', but got the 'init' shape [2, 3] and the 'shape' [3, 2]."),
        (lambda: initializer("sparse", [2, 3]), TypeError, "sparsity"),
        (lambda: _values("xavier_uniform", [3]), MsValueError, "'fan_in' and 'fan_out' can not be computed for tensor with fewer than 2 dimensions, but got dimensions 1."),
        (lambda: _values("identity", [2, 3, 4]), MsValueError, "For Identity initializer, the dimension of the initialized tensor should be 2, but got 3."),
        (lambda: _values("dirac", [2, 3]), MsValueError, "For Dirac initializer, only support to initialize tensor with dimension of 3, 4 or 5, but got 2."),
        (lambda: _values(I.Dirac(4), [6, 3, 3]), MsValueError, "the initialized tensor must be divisible by group, but got 6/4."),
        (lambda: _values("orthogonal", [3]), MsValueError, "For Orthogonal initializer, the dimension of the initialized tensor should be no less than 2, but got 1."),
        (lambda: _values(I.Sparse(0.1), [2, 3, 4]), MsValueError, "For Sparse initializer, the dimension of the initialized tensor should be 2, but got 3."),
        (lambda: I.VarianceScaling(scale=0), MsValueError, "For VarianceScaling initializer, scale must be greater than 0, but got 0."),
        (lambda: I.VarianceScaling(mode="x"), MsValueError, "mode must be fan_in, fan_out or fan_avg, but got x."),
        (lambda: I.VarianceScaling(distribution="x"), MsValueError, "distribution must be uniform, truncated_norm or untruncated_norm, but got x."),
        (lambda: _values(I.HeUniform(mode="x"), [2, 3]), MsValueError, "'mode' x not supported, please use one of ['fan_in', 'fan_out']"),
        (lambda: _values(I.HeUniform(nonlinearity="x"), [2, 3]), MsValueError, "The argument 'nonlinearity' should be one of ['sigmoid', 'tanh', 'relu' or 'leaky_relu'], but got x."),
        (lambda: set_seed(-1), MsValueError, "`seed` in `global_seed` should be int and must >= 0, but got `-1` with type `int`."),
        (lambda: set_seed(1.0), MsTypeError, "The argument 'seed' must be type of int, but got <class 'float'>."),
        (lambda: set_seed(True), MsTypeError, "`seed` in `global_seed` should be int and must >= 0, but got `True` with type `bool`."),
        (lambda: set_seed(2**33), MsValueError, "Seed must be between 0 and 2**32 - 1"),
    ],
)  # fmt: skip
def test_errors_as_r16(call, error: type, message: str) -> None:
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
