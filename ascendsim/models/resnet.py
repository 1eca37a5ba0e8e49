"""ResNet-50 (v1.5) as MindSpore's model zoo builds it, from ``ascendsim.ms.nn`` layers.

Stem ``Conv2d 7x7/2 -> BatchNorm2d -> ReLU -> MaxPool2d 3x3/2 (same)``, four stages of
bottleneck blocks (3, 4, 6, 3 blocks; 256, 512, 1024, 2048 channels; the stride on the 3x3
convolution), a mean pool over H and W (``ReduceMean``), ``Flatten`` and ``Dense``: 25,557,032
trainable parameters in 161 tensors (53 convolutions without bias, 53 BatchNorm scale/shift
pairs, the classifier's weight and bias), plus 106 BatchNorm moving statistics.

``compute_dtype=float16`` is MindSpore's mixed precision "O2" as the model zoo trains ResNet-50
on Ascend: parameters stay float32, every convolution and the classifier cast their weights to
float16 (a ``Cast`` per weight per step, whose gradient casts back), activations are float16,
BatchNorm keeps float32 statistics, and the logits are cast to float32 for the loss.
"""

from __future__ import annotations

from typing import Any

from ascendsim.ms.common import dtype as mstype
from ascendsim.ms.nn import BatchNorm2d, Cell, Conv2d, Dense, Flatten, MaxPool2d, ReLU

__all__ = ["ResNet", "ResidualBlock", "resnet50"]


class _Conv(Conv2d):
    """``nn.Conv2d`` whose weight is cast to the input's dtype (mixed precision)."""

    def construct(self, x: Any) -> Any:
        from ascendsim.ms.ops import functional as F

        w = self.weight if x.dtype == self.weight.dtype else F.cast(self.weight, x.dtype)
        return self.conv2d(x, w)


class _Dense(Dense):
    """``nn.Dense`` computing in the input's dtype (weight and bias cast)."""

    def construct(self, x: Any) -> Any:
        from ascendsim.ms.ops import functional as F

        w, b = self.weight, self.bias
        if x.dtype != w.dtype:
            w, b = F.cast(w, x.dtype), F.cast(b, x.dtype)
        return self.bias_add(self.matmul(x, w), b)


def _conv(cin: int, cout: int, k: int, stride: int = 1) -> _Conv:
    return _Conv(cin, cout, kernel_size=k, stride=stride, pad_mode="same")


class ResidualBlock(Cell):
    """The bottleneck block: 1x1 -> 3x3 (stride) -> 1x1 (x4 channels) plus the shortcut
    (a 1x1 convolution and BatchNorm when the shape changes)."""

    expansion = 4

    def __init__(self, in_channel: int, out_channel: int, stride: int = 1) -> None:
        super().__init__()
        channel = out_channel // self.expansion
        self.conv1 = _conv(in_channel, channel, 1)
        self.bn1 = BatchNorm2d(channel)
        self.conv2 = _conv(channel, channel, 3, stride)
        self.bn2 = BatchNorm2d(channel)
        self.conv3 = _conv(channel, out_channel, 1)
        self.bn3 = BatchNorm2d(out_channel)
        self.relu = ReLU()
        self.down_sample = stride != 1 or in_channel != out_channel
        if self.down_sample:
            self.down_sample_conv = _conv(in_channel, out_channel, 1, stride)
            self.down_sample_bn = BatchNorm2d(out_channel)

    def construct(self, x: Any) -> Any:
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.down_sample:
            identity = self.down_sample_bn(self.down_sample_conv(identity))
        return self.relu(out + identity)


class _Stage(Cell):
    def __init__(self, blocks: list[ResidualBlock]) -> None:
        super().__init__()
        self.count = len(blocks)
        for i, b in enumerate(blocks):
            setattr(self, str(i), b)

    def construct(self, x: Any) -> Any:
        for i in range(self.count):
            x = getattr(self, str(i))(x)
        return x


class ResNet(Cell):
    """A bottleneck ResNet.

    Args:
        layer_nums: blocks per stage ((3, 4, 6, 3) for ResNet-50).
        in_channels / out_channels: channels in and out of each stage.
        strides: the stride of each stage's first block.
        num_classes: classifier outputs.
        compute_dtype: ``float32``, or ``float16`` for mixed precision (module docstring).
    """

    def __init__(self, layer_nums: tuple[int, ...], in_channels: tuple[int, ...],
                 out_channels: tuple[int, ...], strides: tuple[int, ...], num_classes: int,
                 compute_dtype: Any = mstype.float32) -> None:  # fmt: skip
        super().__init__()
        from ascendsim.ms.ops import operations as P

        self.compute_dtype = compute_dtype
        self.conv1 = _conv(3, 64, 7, 2)
        self.bn1 = BatchNorm2d(64)
        self.relu = ReLU()
        self.maxpool = MaxPool2d(kernel_size=3, stride=2, pad_mode="same")
        for i, (n, cin, cout, s) in enumerate(zip(layer_nums, in_channels, out_channels, strides,
                                                   strict=True)):  # fmt: skip
            blocks = [ResidualBlock(cin, cout, s)] + [ResidualBlock(cout, cout, 1)
                                                      for _ in range(n - 1)]  # fmt: skip
            setattr(self, f"layer{i + 1}", _Stage(blocks))
        self.stages = len(layer_nums)
        self.mean = P.ReduceMean(keep_dims=True)
        self.flatten = Flatten()
        self.end_point = _Dense(out_channels[-1], num_classes)
        self.cast = P.Cast()

    def construct(self, x: Any) -> Any:
        if x.dtype != self.compute_dtype:
            x = self.cast(x, self.compute_dtype)
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        for i in range(self.stages):
            x = getattr(self, f"layer{i + 1}")(x)
        out = self.end_point(self.flatten(self.mean(x, (2, 3))))
        return out if out.dtype == mstype.float32 else self.cast(out, mstype.float32)


def resnet50(num_classes: int = 1000, compute_dtype: Any = mstype.float32) -> ResNet:
    """ResNet-50: 25.6 M parameters (161 trainable tensors) for 1000 classes."""
    return ResNet((3, 4, 6, 3), (64, 256, 512, 1024), (256, 512, 1024, 2048), (1, 2, 2, 2),
                  num_classes, compute_dtype)  # fmt: skip
