"""Example models built from :mod:`ascendsim.ms.nn` layers (for benchmarks and tutorials)."""

from ascendsim.models.resnet import ResidualBlock, ResNet, resnet50

__all__ = ["ResNet", "ResidualBlock", "resnet50"]
