"""mindspore.context: r1.6 keys, defaults and messages (captured from MindSpore r1.6.1), plus
ascendsim's extension keys."""

from collections.abc import Iterator

import pytest

from ascendsim.errors import MsRuntimeError, MsTypeError, MsValueError
from ascendsim.ms import context


@pytest.fixture(autouse=True)
def _fresh_context() -> Iterator[None]:
    context.reset_context()
    yield
    context.reset_context()


def test_defaults() -> None:
    # r1.6 defaults (device_target: the Ascend package's default)
    expected = {
        "mode": 0, "device_target": "Ascend", "device_id": 0, "save_graphs": False,
        "save_graphs_path": ".", "enable_graph_kernel": False, "max_device_memory": 1024.0,
        "variable_memory_max_size": "0", "max_call_depth": 1000, "enable_reduce_precision": True,
        "tune_mode": "NO_TUNE", "reserve_class_name_in_scope": True, "enable_ge": False,
        "backend": "default", "float_status_check": "warn", "hardware": "ascend910a",
        "shape_only": False, "schedule": "program",
    }  # fmt: skip
    assert {k: context.get_context(k) for k in expected} == expected
    assert (context.GRAPH_MODE, context.PYNATIVE_MODE) == (0, 1)


def test_set_and_get() -> None:
    context.set_context(mode=context.PYNATIVE_MODE, device_target="Davinci", save_graphs=True)
    assert [context.get_context(k) for k in ("mode", "device_target", "save_graphs")] == [
        1,
        "Ascend",
        True,
    ]
    context.set_context(max_device_memory="3.5GB", variable_memory_max_size="5GB")
    assert context.get_context("max_device_memory") == 3.5
    assert context.get_context("variable_memory_max_size") == "5 * 1024 * 1024 * 1024"


R16_ERRORS = [
    ({"device_target": "TPU"}, MsValueError,
     "For 'context.set_context', the argument 'device_target' must be one of ['CPU', 'GPU', 'Ascend', 'Davinci'], but got TPU."),
    ({"device_target": 1}, MsTypeError, "The argument device_target must be <class 'str'>, but got <class 'int'>"),
    ({"mode": 3}, MsValueError,
     "For 'context.set_context', the argument 'mode' should be context.GRAPH_MODE (0) or context.PYNATIVE_MODE (1), but got 3."),
    ({"mode": "graph"}, MsTypeError, "The argument mode must be <class 'int'>, but got <class 'str'>"),
    ({"foo": 1}, MsValueError,
     "For 'context.set_context', the keyword argument foo is not recognized! For detailed usage of 'set_context', please refer to the Mindspore official website."),
    ({"device_id": -1}, MsValueError, "For 'context.set_context', the argument 'device_id' must be in range [0, 4095], but got -1."),
    ({"save_graphs": 1}, MsTypeError, "The argument save_graphs must be <class 'bool'>, but got <class 'int'>"),
    ({"max_call_depth": 0}, MsValueError, "For 'context.set_context', the argument 'max_call_depth' must be greater than 0, but got 0."),
    ({"max_device_memory": "3G"}, MsValueError, "'3G'  is illegal, it should be match regular"),
    ({"variable_memory_max_size": "40GB"}, MsValueError, "should not be greater than 31GB, but got 40GB."),
]  # fmt: skip


@pytest.mark.parametrize(("kwargs", "error", "message"), R16_ERRORS)
def test_r16_errors(kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error) as info:
        context.set_context(**kwargs)
    assert message in str(info.value)


def test_get_unknown_key() -> None:
    with pytest.raises(MsValueError, match="the argument foo is not recognized"):
        context.get_context("foo")


def test_set_once_keys() -> None:
    context.set_context(device_id=1)
    with pytest.raises(
        MsTypeError, match=r"Argument device_id is non-renewable parameter <class 'int'>\."
    ):
        context.set_context(device_id=2)
    assert context.get_context("device_id") == 1
    context.reset_context()
    context.set_context(device_id=2)
    assert context.get_context("device_id") == 2


def test_target_specific_key_ignored_on_cpu() -> None:
    context.set_context(device_target="CPU")
    with pytest.warns(UserWarning, match="only supports devices in \\['Ascend', 'GPU'\\]"):
        context.set_context(max_device_memory="3G")
    assert context.get_context("max_device_memory") == 1024.0


def test_extension_keys() -> None:
    context.set_context(enable_ge=True)
    assert (context.get_context("enable_ge"), context.get_context("backend")) == (True, "ge")
    context.set_context(backend="default")
    assert context.get_context("enable_ge") is False
    context.set_context(float_status_check="error", hardware="ascend910b", shape_only=True)
    assert [context.get_context(k) for k in ("float_status_check", "hardware", "shape_only")] == [
        "error",
        "ascend910b",
        True,
    ]
    with pytest.raises(
        MsValueError,
        match=r"'float_status_check' must be one of \['warn', 'error', 'off'\], but got 'loud'",
    ):
        context.set_context(float_status_check="loud")
    with pytest.raises(MsValueError, match=r"'backend' must be one of \['ge', 'default'\]"):
        context.set_context(backend="vm")
    with pytest.raises(MsTypeError, match="The argument shape_only must be <class 'bool'>"):
        context.set_context(shape_only=1)


def test_listeners_see_each_successful_key() -> None:
    seen: list[tuple[str, object]] = []

    def listener(key: str, value: object) -> None:
        seen.append((key, value))

    context.add_context_listener(listener)
    try:
        context.set_context(enable_ge=True, mode=1)
        with pytest.raises(MsValueError):
            context.set_context(mode=5)
    finally:
        context.remove_context_listener(listener)
    context.set_context(mode=0)
    assert seen == [("enable_ge", True), ("mode", 1)]


def test_pynative_refused_in_semi_auto_parallel() -> None:
    context.set_auto_parallel_context(parallel_mode="semi_auto_parallel")
    with pytest.raises(
        MsValueError,
        match="Pynative Only support STAND_ALONE and DATA_PARALLEL for ParallelMode,but got SEMI_AUTO_PARALLEL.",
    ):
        context.set_context(mode=context.PYNATIVE_MODE)


def test_auto_parallel_context() -> None:
    defaults = {k: context.get_auto_parallel_context(k) for k in (
        "device_num", "global_rank", "gradients_mean", "parallel_mode", "parameter_broadcast",
        "all_reduce_fusion_config", "pipeline_stages")}  # fmt: skip
    assert defaults == {"device_num": 1, "global_rank": 0, "gradients_mean": False, "parallel_mode": "stand_alone",
                        "parameter_broadcast": False, "all_reduce_fusion_config": [], "pipeline_stages": 1}  # fmt: skip
    context.set_auto_parallel_context(
        parallel_mode=context.ParallelMode.DATA_PARALLEL, device_num=8, gradients_mean=True
    )
    assert (
        context.get_auto_parallel_context("parallel_mode"),
        context.get_auto_parallel_context("device_num"),
    ) == ("data_parallel", 8)
    context.reset_auto_parallel_context()
    assert context.get_auto_parallel_context("device_num") == 1
    assert context.ParallelMode.MODE_LIST == [
        "stand_alone",
        "data_parallel",
        "hybrid_parallel",
        "semi_auto_parallel",
        "auto_parallel",
    ]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"foo": 1}, MsValueError, "Set context keyword foo is not recognized!"),
        ({"parallel_mode": "foo"}, MsValueError, "only support 'stand_alone', 'data_parallel', 'hybrid_parallel', 'semi_auto_parallel' and 'auto_parallel', but got the value : foo."),
        ({"parallel_mode": 1}, MsTypeError, "The argument parallel_mode must be <class 'str'>, but got <class 'int'>"),
        ({"device_num": 0}, MsValueError, "The context configuration parameter 'device_num' must be in [1, 4096], but got the value of device_num : 0."),
        ({"global_rank": 5000}, MsValueError, "The context configuration parameter 'global_rank' must be in [0, 4095], but got the value of global_rank : 5000."),
        ({"gradients_mean": 1}, MsTypeError, "The argument gradients_mean must be <class 'bool'>, but got <class 'int'>"),
    ],
)  # fmt: skip
def test_auto_parallel_errors(kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error) as info:
        context.set_auto_parallel_context(**kwargs)
    assert message in str(info.value)
    with pytest.raises(MsValueError, match="Get context keyword foo is not recognized!"):
        context.get_auto_parallel_context("foo")


def test_ps_context(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = ("enable_ps", "server_mode", "ms_role", "scheduler_port")
    assert [context.get_ps_context(k) for k in keys] == [False, "", "MS_NOT_PS", 6667]
    monkeypatch.setenv("MS_ROLE", "MS_WORKER")
    context.set_ps_context(enable_ps=True)
    assert [context.get_ps_context(k) for k in keys] == [
        True,
        "PARAMETER_SERVER",
        "MS_WORKER",
        6667,
    ]
    with pytest.raises(
        MsTypeError, match="The argument enable_ps must be <class 'bool'>, but got <class 'int'>"
    ):
        context.set_ps_context(enable_ps=1)
    with pytest.raises(MsValueError, match="Set PS context keyword foo is not recognized!"):
        context.set_ps_context(foo=1)
    context.reset_ps_context()
    assert context.get_ps_context("ms_role") == "MS_NOT_PS"


def test_ps_role_can_be_set_directly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MS_ROLE", raising=False)
    context.set_ps_context(enable_ps=True)
    assert context.get_ps_context("ms_role") == "MS_NOT_PS"  # r1.6: no $MS_ROLE, no role
    context.set_ps_context(ms_role="MS_WORKER")  # ascendsim extension
    assert context.get_ps_context("ms_role") == "MS_WORKER"
    with pytest.raises(MsRuntimeError, match="ms_role FOO is invalid"):
        context.set_ps_context(ms_role="FOO")
