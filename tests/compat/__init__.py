"""Compatibility with MindSpore r1.6 found missing by review: Tensor indexing and operators,
more ops, nn layers, namespaces, Print format and reduction order (goldens in golden_r16.py)."""
