"""GRAPH_MODE tracing of the new Tensor methods, graph-mode Print format, namespaces, user
primitives (``prim_attr_register``/``constexpr``), Dropout and reduction warnings.

Goldens captured from MindSpore r1.6 1.6.1 on CPU (``golden_r16``; literals below say so).
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import numpy as np
import pytest

from ascendsim.ms.ops.operations.other_ops import format_print_value
from ascendsim.ms.ops.operations.reduce_ops import ReduceMean, ReduceSum

from . import cases, encode
from .golden_r16 import GRAPH, PRINT


def test_graph_mode_cell_indexes_and_calls_methods_like_r16(mindspore: Any) -> None:
    from mindspore import Tensor, context

    context.set_context(mode=context.GRAPH_MODE)
    net = cases.graph_net(mindspore)
    args = [eval(a, {"Tensor": Tensor, "np": np}) for a in cases.GRAPH_INPUTS]  # noqa: S307
    got = json.loads(json.dumps(encode.encode(net(*args), Tensor)))
    assert got == GRAPH
    # traced once: every indexing and method call became graph nodes (no host evaluation)
    graph = net._ascendsim_graphs[next(iter(net._ascendsim_graphs))].graph
    kinds = {n.op.name for n in graph.nodes}
    assert {
        "StridedSlice",
        "Gather",
        "GatherNd",
        "Pow",
        "FloorMod",
        "FloorDiv",
        "Split",
        "Concat",
        "LayerNorm",
        "Zeros",
        "Argmax",
        "Tile",
        "CumSum",
        "Transpose",
    } <= kinds


@pytest.mark.parametrize("expr", sorted(PRINT))
def test_print_format_matches_r16(expr: str) -> None:
    value = eval(expr, {"np": np})  # noqa: S307 - test expressions
    assert format_print_value(np.asarray(value)) == PRINT[expr]


def test_graph_print_writes_one_line_1d_tensors(mindspore: Any, printed: list[str]) -> None:
    from mindspore import Tensor, context, nn, ops

    class Show(nn.Cell):
        def __init__(self) -> None:
            super().__init__()
            self.print = ops.Print()

        def construct(self, x: Any) -> Any:
            self.print(x)
            return x

    context.set_context(mode=context.GRAPH_MODE)
    Show()(Tensor(np.array([1, 2, 3], np.int32))).asnumpy()
    Show()(Tensor(np.array([[1.1, 2.123456789], [3, 4]], np.float32))).asnumpy()
    assert printed == [
        PRINT["np.array([1, 2, 3], np.int32)"],
        PRINT["np.array([[1.1, 2.123456789], [3, 4]], np.float32)"],
    ]
    # 2000 elements: never elided in 1-D (r1.6 breaks the line after every 12 floats)
    text = format_print_value(np.arange(2000, dtype=np.float32))
    assert "..." not in text and text.count("\n") == 2000 // 12


def test_reductions_keep_overflow_quiet() -> None:
    x = np.full((2, 3), 60000, np.float16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        total = ReduceSum().kernel(None, x, ())
        mean = ReduceMean().kernel(None, x, 1)
    assert (total.dtype, float(total)) == (np.float16, float("inf"))
    assert mean.tolist() == [60000.0, 60000.0]


def test_namespaces_are_r16s(mindspore: Any) -> None:
    import mindspore.ops as ops
    from mindspore.common.api import ms_function
    from mindspore.ops import functional as F

    internal = ("Spec", "Cost", "KernelContext", "register_op", "MsTypeError", "functools")
    assert [n for n in internal if hasattr(ops, n)] == []
    assert [n for n in internal + ("MsValueError", "Callable", "Any") if hasattr(F, n)] == []
    for name in ops.__all__:
        assert hasattr(ops, name), name
    # r1.6 1.6.1: all of these exist at the top level (captured with hasattr)
    top = ["set_context", "get_context", "GRAPH_MODE", "PYNATIVE_MODE", "ParallelMode",
           "set_ps_context", "get_ps_context", "reset_ps_context", "ms_function"]  # fmt: skip
    assert [n for n in top if hasattr(mindspore, n)] == top
    assert ms_function is mindspore.ms_function
    assert (mindspore.GRAPH_MODE, mindspore.PYNATIVE_MODE) == (0, 1)
    mindspore.set_context(mode=mindspore.GRAPH_MODE)
    assert mindspore.get_context("mode") == 0
    # names r1.6 1.6.1 has in F (captured with hasattr)
    for name in (
        "constexpr",
        "cos",
        "cumsum",
        "erf",
        "floor",
        "floordiv",
        "floormod",
        "gather",
        "gather_nd",
        "mstype",
        "pows",
        "reduce_prod",
        "sin",
        "stack",
        "strided_slice",
        "tanh",
        "tensor_floordiv",
        "tensor_mod",
        "tensor_pow",
        "tensor_slice",
        "tile",
    ):
        assert hasattr(F, name), name


def test_user_primitives_as_r16(mindspore: Any) -> None:
    from mindspore import Tensor, context, nn
    from mindspore.ops import Primitive, PrimitiveWithInfer, constexpr, prim_attr_register

    class MyOp(PrimitiveWithInfer):
        @prim_attr_register
        def __init__(self, alpha: float = 1.0, beta: int = 2) -> None:
            self.init_prim_io_names(inputs=["x"], outputs=["y"])

        def infer_shape(self, x: Any) -> Any:
            return x

        def infer_dtype(self, x: Any) -> Any:
            return x

        def kernel(self, ctx: Any, x: np.ndarray) -> np.ndarray:  # ascendsim: how to run it
            return (x * self.alpha + self.beta).astype(x.dtype)

    class Plain(Primitive):
        @prim_attr_register
        def __init__(self, k: int) -> None:
            pass

    op = MyOp(beta=3)
    # printed by r1.6 1.6.1 for the same class (without the kernel)
    assert (op.name, op.alpha, op.beta, op.init_attrs, repr(op)) == (
        "MyOp",
        1.0,
        3,
        {"alpha": 1.0, "beta": 3},
        "Prim[MyOp]<alpha=1.0, beta=3>",
    )
    assert sorted(op.attrs.items()) == [
        ("alpha", 1.0),
        ("beta", 3),
        ("input_names", ["x"]),
        ("output_names", ["y"]),
    ]
    assert repr(Plain(5)) == "Prim[Plain]<k=5>"

    @constexpr
    def mul(a: int, b: int) -> int:
        return a * b

    assert (mul(2, 3), type(mul).__name__, mul.name) == (6, "CompileOp", "mul")

    x = Tensor(np.array([1.0, 2.0], np.float32))
    assert op(x).asnumpy().tolist() == [4.0, 5.0]

    class Net(nn.Cell):
        def __init__(self) -> None:
            super().__init__()
            self.op = MyOp(2.0)

        def construct(self, x: Any) -> Any:
            return self.op(x) * mul(1, 3)

    context.set_context(mode=context.GRAPH_MODE)
    assert Net()(x).asnumpy().tolist() == [12.0, 18.0]

    class NoKernel(PrimitiveWithInfer):
        @prim_attr_register
        def __init__(self) -> None:
            pass

    with pytest.raises(RuntimeError, match="ascendsim has no kernel for this user-defined"):
        NoKernel()(x)


def _dropout_run(mindspore: Any) -> list[float]:
    from ascendsim.ms import _session

    with _session.use_system(None):
        net = mindspore.nn.Dropout(0.5)
        net.set_train()
        return net(mindspore.Tensor(np.ones((4, 8), np.float32))).asnumpy().reshape(-1).tolist()


def test_dropout_masks_come_from_the_seeded_system(mindspore: Any) -> None:
    from mindspore import Tensor, context, nn

    x = Tensor(np.ones((4, 8), np.float32))
    drop = nn.Dropout(0.5)
    assert drop(x) is x  # not training: the identity, as r1.6
    first, second = _dropout_run(mindspore), _dropout_run(mindspore)
    assert first == second  # same system seed, same mask
    assert set(first) == {0.0, 2.0} and 8 < first.count(2.0) < 24
    context.set_context(mode=context.GRAPH_MODE)
    drop.set_train()
    out = drop(x).asnumpy()
    assert set(out.reshape(-1).tolist()) <= {0.0, 2.0}
    assert repr(drop) == "Dropout<keep_prob=0.5>"
