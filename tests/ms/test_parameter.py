"""Parameter and ParameterTuple: the r1.6 guide's examples and behaviours, printed output
captured from MindSpore r1.6.1 on Linux (so ``np.arange`` is Int64, not the guide's Int32)."""

import copy
import io
from collections.abc import Iterator
from contextlib import redirect_stdout

import numpy as np
import pytest

from ascendsim.errors import MsKeyError, MsRuntimeError, MsTypeError, MsValueError
from ascendsim.ms import context
from ascendsim.ms.common import (
    Parameter,
    ParameterTuple,
    Tensor,
    add_materialise_listener,
    remove_materialise_listener,
)
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.common.initializer import initializer


@pytest.fixture(autouse=True)
def _fresh_context() -> Iterator[None]:
    context.reset_context()
    yield
    context.reset_context()


def _printed(fn) -> str:
    buf = io.StringIO()
    with redirect_stdout(buf):
        fn()
    return buf.getvalue()


def test_guide_declaration_example() -> None:
    def example() -> None:
        x = Parameter(default_input=Tensor(np.arange(2 * 3).reshape((2, 3))), name="x")
        y = Parameter(default_input=initializer("ones", [1, 2, 3], mstype.float32), name="y")
        z = Parameter(default_input=2.0, name="z")
        print(x, "\n\n", y, "\n\n", z)

    assert _printed(example) == (
        "Parameter (name=x, shape=(2, 3), dtype=Int64, requires_grad=True) \n\n"
        " Parameter (name=y, shape=(1, 2, 3), dtype=Float32, requires_grad=True) \n\n"
        " Parameter (name=z, shape=(), dtype=Float32, requires_grad=True)\n"
    )


def test_guide_attributes_example() -> None:
    def example() -> None:
        x = Parameter(default_input=Tensor(np.arange(2 * 3).reshape((2, 3))))
        print("name: ", x.name, "\n",
              "sliced: ", x.sliced, "\n",
              "is_init: ", x.is_init, "\n",
              "inited_param: ", x.inited_param, "\n",
              "requires_grad: ", x.requires_grad, "\n",
              "layerwise_parallel: ", x.layerwise_parallel, "\n",
              "data: ", x.data)  # fmt: skip

    assert _printed(example) == (
        "name:  Parameter \n sliced:  False \n is_init:  False \n inited_param:  None \n"
        " requires_grad:  True \n layerwise_parallel:  False \n"
        " data:  Parameter (name=Parameter, shape=(2, 3), dtype=Int64, requires_grad=True)\n"
    )


def test_guide_methods_example() -> None:
    def example() -> None:
        x = Parameter(default_input=initializer("ones", [1, 2, 3], mstype.float32))
        print(x)
        x_clone = x.clone()
        x_clone.name = "x_clone"
        print(x_clone)
        print(x.init_data())
        print(x.set_data(data=Tensor(np.arange(2 * 3).reshape((1, 2, 3)))))

    assert _printed(example) == (
        "Parameter (name=Parameter, shape=(1, 2, 3), dtype=Float32, requires_grad=True)\n"
        "Parameter (name=x_clone, shape=(1, 2, 3), dtype=Float32, requires_grad=True)\n"
        "Parameter (name=Parameter, shape=(1, 2, 3), dtype=Float32, requires_grad=True)\n"
        "Parameter (name=Parameter, shape=(1, 2, 3), dtype=Float32, requires_grad=True)\n"
    )


def test_guide_parameter_tuple_example() -> None:
    def example() -> None:
        x = Parameter(default_input=Tensor(np.arange(2 * 3).reshape((2, 3))), name="x")
        y = Parameter(default_input=initializer("ones", [1, 2, 3], mstype.float32), name="y")
        z = Parameter(default_input=2.0, name="z")
        params = ParameterTuple((x, y, z))
        params_copy = params.clone("params_copy")
        print(params, "\n")
        print(params_copy)

    assert _printed(example) == (
        "(Parameter (name=x, shape=(2, 3), dtype=Int64, requires_grad=True), Parameter (name=y, "
        "shape=(1, 2, 3), dtype=Float32, requires_grad=True), Parameter (name=z, shape=(), "
        "dtype=Float32, requires_grad=True)) \n\n"
        "(Parameter (name=params_copy.x, shape=(2, 3), dtype=Int64, requires_grad=True), "
        "Parameter (name=params_copy.y, shape=(1, 2, 3), dtype=Float32, requires_grad=True), "
        "Parameter (name=params_copy.z, shape=(), dtype=Float32, requires_grad=True))\n"
    )


def test_construction_kinds() -> None:
    kinds = [
        (p.dtype, p.shape, p.asnumpy().dtype.name)
        for p in (
            Parameter(2),
            Parameter(2.5),
            Parameter([1, 2]),
            Parameter([1.0, 2]),
            Parameter(np.ones(2, np.float16)),
        )
    ]
    assert [(str(d), s, n) for d, s, n in kinds] == [
        ("Int32", (), "int32"), ("Float32", (), "float32"), ("Int64", (2,), "int64"),
        ("Float32", (2,), "float32"), ("Float16", (2,), "float16")]  # fmt: skip
    assert isinstance(Parameter(Tensor([1.0])), Tensor)
    t = Tensor([1.0, 2.0])
    p = Parameter(t)
    t.asnumpy()[0] = 7  # the Parameter copied the Tensor's data
    assert p.asnumpy().tolist() == [1.0, 2.0]


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Parameter(True), MsValueError, "Parameter data can not be `bool`"),
        (lambda: Parameter((1, 2)), MsTypeError, "The type of the argument 'default_input' must be in ['Tensor', 'int', 'float', 'numpy.ndarray', 'list']. But got type <class 'tuple'>."),
        (lambda: Parameter(np.float32(1.0)), MsTypeError, "But got type <class 'numpy.float32'>."),
        (lambda: Parameter("abc"), MsTypeError, "For 'Tensor', the type of `input_data` should be one of"),
        (lambda: Parameter(None), MsTypeError, "input_data and init can not be None at the same time."),
        (lambda: Parameter(1.0, name=3), MsValueError, "The type of the Parameter's name should be 'string' or 'None', but got <class 'int'>."),
        (lambda: Parameter(1.0, name="a" * 1025), MsValueError, "name should be less than 1024."),
        (lambda: Parameter(1.0, requires_grad=1), MsTypeError, "The argument `requires_grad` must be bool type"),
        (lambda: Parameter(1.0, layerwise_parallel=1), MsTypeError, "The argument `layerwise_parallel` must be bool type."),
        (lambda: Parameter(1.0, parallel_optimizer=1), MsTypeError, "The argument `parallel_optimizer` must be bool type."),
        (lambda: Parameter(Tensor([1.0])).set_param_ps(), MsRuntimeError, "Must complete following two steps before calling set_param_ps: \n1. context.set_ps_context(enable_ps=True) \n2. export MS_ROLE environment variable \nPlease refer to the official website for detailed usage."),
    ],
)  # fmt: skip
def test_construction_errors(make, error: type, message: str) -> None:
    with pytest.raises(error) as info:
        make()
    assert message in str(info.value)


def test_names() -> None:
    p = Parameter(1.0, name="  ab  ")
    names = [p.name, Parameter(1.0, name="   ").name, len(Parameter(1.0, name="a" * 1024).name)]
    p.name = None
    assert names + [p.name] == ["ab", "Parameter", 1024, "Parameter"]


SET_DATA_ERRORS = [
    (lambda: Parameter(Tensor([1.0])).set_data(np.array([2.0])), MsTypeError, "Parameter data must be [`Tensor`, `int`, `float`] or a kind of `Tensor` (like `Tensor`). But with type <class 'numpy.ndarray'>."),
    (lambda: Parameter(Tensor([1.0])).set_data(3), MsValueError, "Can not change the shape of Parameter which has been initialized. Current shape is (1,), and incoming is ()."),
    (lambda: Parameter(Tensor(np.array(1, np.int32))).set_data(2.5), MsTypeError, "Incoming Parameter dtype can not be converted to current dtype implicitly. Current dtype is Int32, and incoming is Float. Use .set_dtype(xxx) to change the dtype."),
    (lambda: Parameter(Tensor([1.0])).set_data(Tensor([1.0, 2.0])), MsValueError, "Current shape is (1,), and incoming is (2,)."),
    (lambda: Parameter(Tensor(np.array([1], np.int32))).set_data(Tensor(np.array([1.5], np.float32))), MsTypeError, "Current dtype is Int32, and incoming is Float32."),
    (lambda: Parameter(Tensor(np.array([1], np.int8))).set_data(Tensor(np.array([200], np.uint8))), MsTypeError, "Current dtype is Int8, and incoming is UInt8."),
    (lambda: Parameter(Tensor(np.array([1], np.uint16))).set_data(Tensor(np.array([1], np.int32))), MsKeyError, "mindspore.uint16"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "error", "message"), SET_DATA_ERRORS)
def test_set_data_errors(call, error: type, message: str) -> None:
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)


def test_set_data_conversions_and_sharing() -> None:
    p = Parameter(Tensor(np.array([1.5], np.float32)))
    assert p.set_data(Tensor(np.array([7], np.int64))) is p  # lower in the order: cast
    assert (str(p.dtype), p.asnumpy().tolist(), p.sliced) == ("Float32", [7.0], False)
    scalar = Parameter(Tensor(1.0))
    scalar.set_data(3)
    assert (str(scalar.dtype), scalar.asnumpy().tolist()) == ("Float32", 3.0)
    u8 = Parameter(Tensor(np.array(1, np.uint8)))
    u8.set_data(2.7)  # only Int8..Int64 refuse floats in r1.6
    assert u8.asnumpy().tolist() == 2
    shared = Parameter(Tensor([1.0, 3.0]))
    new = Tensor([7.0, 8.0])
    shared.set_data(new)
    new.asnumpy()[0] = 5  # set_data shares the incoming storage
    assert shared.asnumpy().tolist() == [5.0, 8.0]
    sliced = Parameter(Tensor([1.0]))
    sliced.set_data(Tensor([1.0, 2.0]), slice_shape=True)
    assert (sliced.sliced, sliced.shape) == (True, (2,))
    reinit = Parameter(Tensor([1.0, 3.0]))
    reinit.set_data(initializer("zeros", [2]))
    assert (reinit.asnumpy().tolist(), reinit.has_init) == ([0.0, 0.0], False)


def test_clone_and_copies() -> None:
    p = Parameter(Tensor([1.0, 3.0]), name="w", requires_grad=False, layerwise_parallel=True)
    p.is_init = True
    c = p.clone()
    z = p.clone("zeros")
    shallow = copy.copy(p)
    deep = copy.deepcopy(p)
    p.asnumpy()[0] = 9  # every copy owns its data
    flags = [
        (x.name, x.requires_grad, x.layerwise_parallel, x.is_init, x.asnumpy().tolist())
        for x in (c, z, shallow, deep)
    ]
    assert flags == [
        ("w", False, True, False, [1.0, 3.0]),
        ("w", False, True, False, [0.0, 0.0]),
        ("w", False, True, False, [1.0, 3.0]),
        ("w", True, False, False, [1.0, 3.0]),  # r1.6's deepcopy keeps only the name
    ]
    assert Parameter(Tensor(np.array([1, 2], np.int32))).clone(init=3).asnumpy().tolist() == [3, 3]


def test_parameter_tuple_renames_duplicates_in_place() -> None:
    a0, a1, a2, b = (Parameter(float(i), name=n) for i, n in enumerate("aaab"))
    same = Parameter(1.0, name="s")
    t = ParameterTuple([a0, a1, a2, b, same, same])
    assert [p.name for p in t] == ["a_0", "a_1", "a_2", "b", "s", "s"]
    assert [p.name for p in ParameterTuple(Parameter(float(i)) for i in range(2))] == [
        "Parameter_0",
        "Parameter_1",
    ]
    assert type(t).__name__ == "ParameterTuple" and isinstance(t, tuple)
    assert str(ParameterTuple([])) == "()"


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: ParameterTuple([Parameter(1.0), Tensor(1.0)]), MsTypeError, "ParameterTuple input should be `Parameter` collection.But got a <class 'list'>, [Parameter (name=Parameter, shape=(), dtype=Float32, requires_grad=True), Tensor(shape=[], dtype=Float32, value= 1)]"),
        (lambda: ParameterTuple([Parameter(1.0)]).clone(3), MsTypeError, "expected string or bytes-like object"),
        (lambda: ParameterTuple([Parameter(1.0)]).clone("a-b"), MsValueError, "'a-b'  is illegal, it should be match regular'^\\w+[0-9a-zA-Z\\_\\.]*$' by flags'256.'"),
    ],
)  # fmt: skip
def test_parameter_tuple_errors(call, error: type, message: str) -> None:
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
    assert [p.name for p in ParameterTuple([Parameter(1.0)]).clone("1x")] == ["1x.Parameter"]


def test_semi_auto_parallel_keeps_initializer_lazy() -> None:
    context.set_auto_parallel_context(parallel_mode="semi_auto_parallel", device_num=8)
    init_tensor = initializer("ones", [4, 2])
    p = Parameter(init_tensor, name="w")
    assert (p.has_init, p.has_values, p.nbytes, p.init_mode is init_tensor) == (
        True,
        False,
        32,
        True,
    )
    with pytest.raises(
        MsTypeError, match="The argument 'layout' should be tuple, but got <class 'list'>."
    ):
        p.init_data(layout=[1])
    with pytest.raises(
        MsValueError, match="The length of 'layout' must be larger than 5, but got 1."
    ):
        p.init_data(layout=(1,))
    assert p.init_data(set_sliced=True) is p
    assert (p.has_init, p.sliced, p.asnumpy().tolist(), p.inited_param) == (
        False,
        True,
        [[1.0, 1.0]] * 4,
        None,
    )
    lazy = Parameter(initializer("ones", [2]))
    context.set_auto_parallel_context(parallel_mode="stand_alone")
    with pytest.raises(
        MsRuntimeError, match="Must set or change parallel mode before any Tensor created."
    ):
        lazy.init_data()


def test_parameter_server_role(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MS_ROLE", "MS_WORKER")
    context.set_ps_context(enable_ps=True)
    p = Parameter(initializer("ones", [2]), name="p")
    assert (p.has_init, repr(p)) == (
        True,
        "Parameter (name=p, shape=(2,), dtype=Float32, requires_grad=True)",
    )
    p.set_param_ps()
    assert (p.is_param_ps, p.init_in_server) == (True, False)
    assert (p.init_data() is p, p.has_init, p.asnumpy().tolist()) == (True, False, [1.0, 1.0])


def test_shape_only_parameters_hold_no_bytes() -> None:
    context.set_context(shape_only=True)
    seen: list[tuple[str, int]] = []

    def listener(tensor: Tensor, nbytes: int) -> None:
        seen.append((getattr(tensor, "name", "?"), nbytes))

    add_materialise_listener(listener)
    try:
        big = Parameter(initializer("normal", [100_000, 100_000], mstype.float16), name="big")
        assert (big.has_init, big.has_values, big.nbytes, big.is_init) == (
            True,
            False,
            2 * 10**10,
            False,
        )
        assert (
            str(big)
            == "Parameter (name=big, shape=(100000, 100000), dtype=Float16, requires_grad=True)"
        )
        assert big.init_data() is big
        assert (big.has_init, big.has_values, big.nbytes, big.init_mode) == (
            False,
            False,
            2 * 10**10,
            None,
        )
        with pytest.raises(MsRuntimeError, match="shape-only"):
            big.asnumpy()
        clone = big.clone()
        assert (clone.name, clone.shape, clone.has_values) == ("big", (100000, 100000), False)
    finally:
        remove_materialise_listener(listener)
    assert seen == []


def test_lazy_parameter_materialisation_is_reported_for_the_parameter() -> None:
    context.set_auto_parallel_context(parallel_mode="auto_parallel")
    seen: list[tuple[str, int]] = []

    def listener(tensor: Tensor, nbytes: int) -> None:
        seen.append((getattr(tensor, "name", "?"), nbytes))

    p = Parameter(initializer("zeros", [3, 4], mstype.float16), name="emb")
    add_materialise_listener(listener)
    try:
        p.init_data()
    finally:
        remove_materialise_listener(listener)
    assert seen == [("emb", 24)]


def test_is_init_flag_and_uid() -> None:
    a = Parameter(Tensor([1.0]), name="a")
    b = Parameter(Tensor([1.0]), name="b")
    assert (a.is_init, a._uid < b._uid, hash(a) != hash(b)) == (False, True, True)
