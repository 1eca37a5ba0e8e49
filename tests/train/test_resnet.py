"""The ResNet-50 example model: its parameters, and a shape-only mixed-precision training step."""

from __future__ import annotations

from collections import Counter

from ascendsim.ms import Tensor, _session, context, nn
from ascendsim.ms.common import dtype as mstype


def test_resnet50_has_the_published_parameter_count() -> None:
    context.set_context(shape_only=True)
    from ascendsim.models import resnet50

    net = resnet50()
    params = net.trainable_params()
    assert (len(params), sum(p.size for p in params)) == (161, 25_557_032)
    assert len(list(net.get_parameters())) == 161 + 106  # plus BatchNorm moving statistics
    assert (params[0].name, params[-1].name) == ("conv1.weight", "end_point.bias")


def test_a_shape_only_float16_training_step() -> None:
    context.set_context(shape_only=True)
    from ascendsim.models import resnet50

    net = resnet50(compute_dtype=mstype.float16)
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    train = nn.TrainOneStepCell(nn.WithLossCell(net, loss),
                                nn.Momentum(net.trainable_params(), 0.1, 0.9))  # fmt: skip
    train.set_train()
    out = train(Tensor._shape_only((4, 3, 224, 224), mstype.float16),
                Tensor._shape_only((4,), mstype.int32))  # fmt: skip
    assert (out.shape, out.dtype) == ((), mstype.float32)
    (cg,) = train._ascendsim_graphs.values()
    ops = Counter(n.op_name for n in cg.graph.nodes)
    # 53 convolutions: each has a filter gradient, all but the first an input gradient (no one
    # asks for the gradient of the images); BatchNorm once per layer (forward shared)
    assert (ops["Conv2D"], ops["Conv2DBackpropFilter"], ops["Conv2DBackpropInput"]) == (53, 53, 52)
    assert (ops["BatchNorm"], ops["BatchNormGrad"], ops["ApplyMomentum"]) == (53, 53, 161)
    # 53 conv weights + the classifier's weight and bias to float16, their gradients back, and
    # the images in and the logits out
    assert ops["Cast"] == 2 * 55 + 2
    _session.current().runtime.synchronize()
    kernels = _session.current().system.trace.filter(kind="kernel", device=0)
    assert len(kernels) == sum(1 for n in cg.graph.nodes if cg.costs[n.id].unit != "none")
