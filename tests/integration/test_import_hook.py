"""``install_as_mindspore()``: MindSpore import statements resolve to ascendsim's objects."""

from __future__ import annotations

import importlib
import sys

import pytest

from tests.integration import fresh_state


@pytest.fixture(autouse=True)
def mindspore_alias():
    from ascendsim.ms import install_as_mindspore

    fresh_state()
    install_as_mindspore()
    yield
    fresh_state()  # uninstall_mindspore(): no `mindspore` module is left behind


def test_import_statements_resolve_to_the_same_objects():
    import mindspore
    import mindspore.common.dtype
    import mindspore.common.parameter
    import mindspore.common.tensor
    import mindspore.ops.operations as P
    from mindspore import Parameter, ParameterTuple, Tensor, context, nn, ops, set_seed
    from mindspore import dtype as mstype
    from mindspore.common.initializer import Normal, initializer
    from mindspore.ops import composite as C
    from mindspore.ops import functional as F

    import ascendsim.ms as ams
    import ascendsim.ms.common.initializer as ams_init
    import ascendsim.ms.ops.composite as ams_c
    import ascendsim.ms.ops.functional as ams_f
    import ascendsim.ms.ops.operations as ams_p

    assert mindspore is ams
    assert (Tensor, Parameter, ParameterTuple) == (ams.Tensor, ams.Parameter, ams.ParameterTuple)
    assert context is ams.context and nn is ams.nn and ops is ams.ops
    assert set_seed is ams.set_seed
    assert (initializer, Normal) == (ams_init.initializer, ams_init.Normal)
    assert P is ams_p and P.MatMul is ams.ops.MatMul
    assert F is ams_f and C is ams_c
    assert mstype is ams.common.dtype and mstype.float32 is ams.float32
    assert mindspore.common.dtype is ams.common.dtype
    assert mindspore.common.tensor.Tensor is ams.Tensor
    assert mindspore.common.parameter.Parameter is ams.Parameter
    assert mindspore.common.parameter.ParameterTuple is ams.ParameterTuple


def test_objects_made_through_the_alias_are_ascendsim_objects():
    import numpy as np
    from mindspore import Parameter, Tensor

    import ascendsim.ms as ams

    p = Parameter(Tensor(np.arange(6).reshape(2, 3)), name="x")
    assert isinstance(p, ams.Parameter) and isinstance(p, ams.Tensor)
    assert str(p) == "Parameter (name=x, shape=(2, 3), dtype=Int64, requires_grad=True)"


def test_unemulated_module_raises_import_error_naming_it():
    with pytest.raises(ImportError, match=r"mindspore\.dataset.*not emulated") as info:
        import mindspore.dataset  # noqa: F401
    assert info.value.name == "mindspore.dataset"
    assert "mindspore.dataset" not in sys.modules


def test_unemulated_name_raises_import_error_naming_it():
    with pytest.raises(ImportError, match=r"'Model'.*not emulate") as info:
        from mindspore import Model  # noqa: F401
    assert "mindspore" in str(info.value)
    import mindspore

    assert hasattr(mindspore, "Model") is False
    assert hasattr(mindspore, "Tensor") is True
    with pytest.raises(AttributeError):
        mindspore.Model  # noqa: B018


def test_uninstall_forgets_the_alias():
    import mindspore  # noqa: F401
    import mindspore.nn  # noqa: F401

    from ascendsim.ms import uninstall_mindspore

    uninstall_mindspore()
    assert [k for k in sys.modules if k == "mindspore" or k.startswith("mindspore.")] == []
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("mindspore")
