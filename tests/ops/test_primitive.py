"""The op protocol: Spec, Cost, the registry, reprs/attributes and side-effect classes."""

from __future__ import annotations

import pytest

from ascendsim.errors import AscendSimError, UnknownOpError
from ascendsim.ms import ops
from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.ops import operations as P
from ascendsim.ms.ops.primitive import Cost, KernelContext, Primitive, get_op_class, op_names

from . import FakeCtx, S


def test_spec_sizes() -> None:
    assert (S((2, 3)).size, S((2, 3)).nbytes, S((2, 3)).ndim) == (6, 24, 2)
    assert (S((), mstype.float16).size, S((), mstype.float16).nbytes) == (1, 2)
    assert S((4,), mstype.bool_).nbytes == 4
    assert str(S((2,), mstype.int32)) == "Spec(shape=(2,), dtype=Int32)"


def test_cost_validation() -> None:
    assert Cost(6, 48, "vector") == Cost(6, 48, "vector")
    with pytest.raises(
        ValueError, match=r"Cost unit 'gpu' is not one of \('cube', 'vector', 'aicpu', 'none'\)"
    ):
        Cost(1, 1, "gpu")
    with pytest.raises(ValueError, match="must be >= 0"):
        Cost(-1, 0, "vector")


def test_fake_ctx_satisfies_protocol() -> None:
    assert isinstance(FakeCtx(), KernelContext)


def test_registry_finds_every_required_op() -> None:
    required = (
        "Add Sub Mul RealDiv Div MatMul BatchMatMul Conv2D BiasAdd ReduceSum ReduceMean ReduceMax "
        "Cast Reshape Transpose Square Sqrt Exp Log ReLU Softmax Select IsFinite LessEqual Less "
        "Greater Equal NotEqual LogicalOr LogicalAnd LogicalNot Neg Fill Shape DType AddN Identity "
        "TensorAdd OnesLike ZerosLike Maximum Minimum Abs Assign AssignAdd AssignSub ApplyMomentum "
        "Print Depend NPUAllocFloatStatus NPUClearFloatStatus NPUGetFloatStatus AllReduce Broadcast "
        "Reciprocal FloatStatus Squeeze ExpandDims GreaterEqual ReduceMin"
    ).split()
    assert [n for n in required if n not in op_names()] == []
    assert all(get_op_class(n) is getattr(P, n) for n in required)
    assert op_names() == sorted(op_names())


def test_unknown_op_names_close_matches() -> None:
    with pytest.raises(UnknownOpError) as info:
        get_op_class("Conv2d")
    assert (
        "Unknown operator 'Conv2d': ascendsim does not emulate it. Did you mean 'Conv2D'?"
        in str(info.value)
    )
    with pytest.raises(
        UnknownOpError, match=r"Did you mean 'ReduceSum', 'ReduceMin', 'ReduceAny'\?"
    ):
        get_op_class("ReduceSun")
    with pytest.raises(UnknownOpError) as info:
        get_op_class("Xyzzyplugh")
    assert "Did you mean" not in str(info.value)
    assert "op_names() lists all" in str(info.value)
    assert isinstance(info.value, AscendSimError)


# r1.6 reprs, captured with `print(repr(ops.X(...)))` on MindSpore 1.6.1
R16_REPRS = [
    (P.Add(), "Prim[Add]"),
    (P.TensorAdd(), "Prim[Add]"),
    (P.Sqrt(), "Prim[Sqrt]"),
    (P.MatMul(transpose_b=True), "Prim[MatMul]<transpose_a=False, transpose_b=True>"),
    (P.BatchMatMul(), "Prim[BatchMatMul]<transpose_a=False, transpose_b=False>"),
    (
        P.Conv2D(4, 3),
        "Prim[Conv2D]<out_channel=4, kernel_size=3, mode=1, pad_mode=valid, pad=(0, 0, 0, 0), "
        "stride=(1, 1, 1, 1), dilation=(1, 1, 1, 1), group=1, data_format=NCHW, groups=1>",
    ),
    (
        P.Conv2D(4, 3, stride=(1, 1, 2, 2)),
        "Prim[Conv2D]<out_channel=4, kernel_size=3, mode=1, pad_mode=valid, pad=(0, 0, 0, 0), "
        "stride=(1, 1, 2, 2), dilation=(1, 1, 1, 1), group=1, data_format=NCHW, groups=1>",
    ),
    (P.BiasAdd(), "Prim[BiasAdd]<data_format=NCHW>"),
    (P.BiasAdd(data_format="NCDHW"), "Prim[BiasAdd]<data_format=NCDHW>"),
    (P.Softmax(), "Prim[Softmax]<axis=(-1,)>"),
    (P.Softmax(axis=()), "Prim[Softmax]<axis=()>"),
    (P.ReduceSum(keep_dims=True), "Prim[ReduceSum]<keep_dims=True>"),
    (P.ReduceMean(), "Prim[ReduceMean]<keep_dims=False>"),
    (P.Squeeze(), "Prim[Squeeze]<axis=()>"),
    (P.Assign(), "Prim[Assign]<side_effect_mem=True>"),
    (P.AssignAdd(), "Prim[AssignAdd]<side_effect_mem=True>"),
    (P.AssignSub(), "Prim[AssignSub]<side_effect_mem=True>"),
    (
        P.ApplyMomentum(),
        "Prim[ApplyMomentum]<use_nesterov=False, use_locking=False, gradient_scale=1.0, "
        "side_effect_mem=True>",
    ),
    (P.Depend(), "Prim[Depend]<side_effect_propagate=1>"),
    (P.Identity(), "Prim[Identity]<side_effect_propagate=1>"),
    (P.Print(), "Prim[Print]<side_effect_io=True>"),
    (P.NPUAllocFloatStatus(), "Prim[NPUAllocFloatStatus]"),
    (P.NPUGetFloatStatus(), "Prim[NPUGetFloatStatus]"),
    (P.AllReduce(), "Prim[AllReduce]<op=sum, group=hccl_world_group, fusion=0, index=0>"),
    (P.AllReduce(op="xx"), "Prim[AllReduce]<op=xx, group=hccl_world_group, fusion=0, index=0>"),
    (P.Broadcast(0), "Prim[Broadcast]<root_rank=0, group=hccl_world_group, no_eliminate=True>"),
    (P.Cast(), "Prim[Cast]"),
    (P.Fill(), "Prim[Fill]"),
]


@pytest.mark.parametrize(("prim", "text"), R16_REPRS, ids=[t for _, t in R16_REPRS])
def test_repr_matches_r16(prim: Primitive, text: str) -> None:
    assert repr(prim) == text


def test_attrs_match_r16() -> None:
    # r1.6: sorted(ops.Conv2D(4, 3).attrs.items())
    assert sorted(P.Conv2D(4, 3).attrs.items()) == [
        ("data_format", "NCHW"), ("dilation", (1, 1, 1, 1)), ("group", 1), ("groups", 1),
        ("input_names", ["x", "w"]), ("kernel_size", 3), ("mode", 1), ("out_channel", 4),
        ("output_names", ["output"]), ("pad", (0, 0, 0, 0)), ("pad_mode", "valid"),
        ("stride", (1, 1, 1, 1)),
    ]  # fmt: skip
    # r1.6: list(ops.ApplyMomentum().attrs.items()) (insertion order)
    assert list(P.ApplyMomentum().attrs.items()) == [
        ("use_nesterov", False), ("use_locking", False), ("gradient_scale", 1.0),
        ("input_names", ["variable", "accumulation", "learning_rate", "gradient", "momentum"]),
        ("output_names", ["output"]), ("side_effect_mem", True),
    ]  # fmt: skip
    assert list(P.Cast().attrs.items()) == [
        ("input_names", ["x", "dst_type"]),
        ("output_names", ["output"]),
    ]
    assert list(P.AssignSub().attrs.items()) == [
        ("input_names", ["val", "value"]),
        ("output_names", ["val"]),
        ("side_effect_mem", True),
    ]
    assert list(P.Broadcast(0).attrs.items()) == [
        ("root_rank", 0),
        ("group", "hccl_world_group"),
        ("no_eliminate", True),
    ]
    conv = P.Conv2D(4, (3, 5), stride=2)
    assert (conv.kernel_size, conv.stride, conv.attrs["kernel_size"]) == (
        (3, 5),
        (1, 1, 2, 2),
        (3, 5),
    )
    assert P.Add().add_prim_attr("attr", 1).attrs["attr"] == 1


# (side_effect, inplace, float_status, ascend_only, collective), per SEMANTICS.md and the contract
SIDE_EFFECTS = {
    "Assign": ("mem", (0,), None, False, None),
    "AssignAdd": ("mem", (0,), None, False, None),
    "AssignSub": ("mem", (0,), None, False, None),
    "ApplyMomentum": ("mem", (0, 1), None, False, None),
    "Print": ("io", (), None, False, None),
    "NPUAllocFloatStatus": (None, (), "alloc", True, None),
    "NPUClearFloatStatus": (None, (), "clear", True, None),
    "NPUGetFloatStatus": (None, (0,), "get", True, None),
    "SGD": ("mem", (0, 3, 5), None, False, None),
    "Adam": ("mem", (0, 1, 2), None, False, None),
    "AllReduce": (None, (), None, False, "allreduce"),
    "Broadcast": (None, (), None, False, "broadcast"),
    "Depend": (None, (), None, False, None),
    "Add": (None, (), None, False, None),
    "FloatStatus": (None, (), None, False, None),
}


def test_side_effect_classes() -> None:
    got = {
        n: (c.side_effect, c.inplace, c.float_status, c.ascend_only, c.collective)
        for n in SIDE_EFFECTS
        for c in [get_op_class(n)]
    }
    assert got == SIDE_EFFECTS
    others = [n for n in op_names() if n not in SIDE_EFFECTS]
    assert [n for n in others if get_op_class(n).side_effect or get_op_class(n).inplace] == []


def test_call_routes_to_dispatch(monkeypatch: pytest.MonkeyPatch) -> None:
    from ascendsim.ms import _dispatch

    seen = []
    monkeypatch.setattr(
        _dispatch, "call", lambda prim, args: seen.append((prim.name, args)) or "out"
    )
    assert ops.Add()(1, 2) == "out"
    assert ops.ReduceSum()("x") == "out"  # default axis () is passed explicitly
    assert ops.AddN()(["a", "b"]) == "out"  # the list is unpacked into inputs
    assert seen == [("Add", (1, 2)), ("ReduceSum", ("x", ())), ("AddN", ("a", "b"))]
