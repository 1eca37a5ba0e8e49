"""``mindspore.ops.operations`` (conventionally ``P``): the primitive classes."""

from __future__ import annotations

from ._grad_ops import Conv2DBackpropInput
from .adam_ops import Adam
from .array_ops import (
    Cast,
    DType,
    ExpandDims,
    Fill,
    Identity,
    OnesLike,
    Reshape,
    Select,
    Shape,
    Squeeze,
    Transpose,
    ZerosLike,
)
from .array_ops2 import (
    Argmax,
    Argmin,
    Concat,
    CumSum,
    Ones,
    Split,
    Stack,
    Tile,
    Unstack,
    Zeros,
)
from .array_ops3 import (
    Eye,
    GatherD,
    Rank,
    ScatterNd,
    Size,
    Sort,
    TensorScatterUpdate,
    TopK,
)
from .comm_ops import AllReduce, Broadcast, ReduceOp
from .float_status import FloatStatus, NPUAllocFloatStatus, NPUClearFloatStatus, NPUGetFloatStatus
from .math_ops import (
    Add,
    AddN,
    Div,
    Equal,
    Greater,
    GreaterEqual,
    Less,
    LessEqual,
    LogicalAnd,
    LogicalOr,
    Maximum,
    Minimum,
    Mul,
    NotEqual,
    RealDiv,
    Sub,
    TensorAdd,
)
from .math_ops2 import (
    Ceil,
    Cos,
    Erf,
    Floor,
    FloorDiv,
    FloorMod,
    Mod,
    Pow,
    Round,
    Sigmoid,
    Sin,
    Tanh,
)
from .matmul_ops import BatchMatMul, MatMul
from .nn_ops import BiasAdd, Conv2D, ReLU, Softmax
from .nn_ops2 import Dropout, GeLU, LayerNorm
from .nn_ops3 import ArgMaxWithValue, ArgMinWithValue, L2Normalize, LogSoftmax
from .other_ops import Depend, Print
from .pool_ops import AvgPool, MaxPool
from .reduce_ops import (
    ReduceAll,
    ReduceAny,
    ReduceMax,
    ReduceMean,
    ReduceMin,
    ReduceProd,
    ReduceSum,
)
from .slice_ops import Gather, GatherNd, Slice, StridedSlice
from .state_ops import ApplyMomentum, Assign, AssignAdd, AssignSub
from .train_ops import (
    SGD,
    BatchNorm,
    BroadcastTo,
    Flatten,
    OneHot,
    SoftmaxCrossEntropyWithLogits,
    SparseSoftmaxCrossEntropyWithLogits,
)
from .unary_ops import Abs, Exp, IsFinite, Log, LogicalNot, Neg, Reciprocal, Sqrt, Square
from .unary_ops2 import (
    Elu,
    HSigmoid,
    HSwish,
    IsInf,
    IsNan,
    ReLU6,
    Sign,
    Softplus,
    SquaredDifference,
)

__all__ = [
    "Abs", "Add", "AddN", "AllReduce", "ApplyMomentum", "Assign", "AssignAdd", "AssignSub",
    "BatchMatMul", "BiasAdd", "Broadcast", "Cast", "Conv2D", "DType", "Depend", "Div", "Equal",
    "Exp", "ExpandDims", "Fill", "FloatStatus", "Greater", "GreaterEqual", "Identity", "IsFinite",
    "Less", "LessEqual", "Log", "LogicalAnd", "LogicalNot", "LogicalOr", "MatMul", "Maximum",
    "Minimum", "Mul", "NPUAllocFloatStatus", "NPUClearFloatStatus", "NPUGetFloatStatus", "Neg",
    "NotEqual", "OnesLike", "Print", "RealDiv", "Reciprocal", "ReduceMax", "ReduceMean",
    "ReduceMin", "ReduceOp", "ReduceSum", "ReLU", "Reshape", "Select", "Shape", "Softmax", "Sqrt",
    "Square", "Squeeze", "Sub", "TensorAdd", "Transpose", "ZerosLike",
    # training ops (issue 6)
    "AvgPool", "BatchNorm", "BroadcastTo", "Conv2DBackpropInput", "Flatten", "MaxPool", "OneHot",
    "SGD", "SoftmaxCrossEntropyWithLogits", "SparseSoftmaxCrossEntropyWithLogits",
    # compat review: more array, math, reduction and nn ops
    "Argmax", "Argmin", "Ceil", "Concat", "Cos", "CumSum", "Dropout", "Erf", "Floor", "FloorDiv",
    "FloorMod", "Gather", "GatherNd", "GeLU", "LayerNorm", "Mod", "Ones", "Pow", "ReduceAll",
    "ReduceAny", "ReduceProd", "Round", "Sigmoid", "Sin", "Slice", "Split", "Stack",
    "StridedSlice", "Tanh", "Tile", "Unstack", "Zeros",
    # added ops (r1.6 names)
    "ArgMaxWithValue", "ArgMinWithValue", "L2Normalize", "LogSoftmax",
    "Elu", "HSigmoid", "HSwish", "IsInf", "IsNan", "ReLU6", "Sign", "Softplus", "SquaredDifference",
    "Adam", "Eye", "GatherD", "Rank", "ScatterNd", "Size", "Sort", "TensorScatterUpdate", "TopK",
]  # fmt: skip
