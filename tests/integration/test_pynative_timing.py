"""PyNative timing: ops launch asynchronously, reading values synchronises.

Each op call costs the host ``host.launch_overhead`` (a ``host`` record on the host track);
its kernel runs later on ``stream0``; ``asnumpy()`` / ``print`` wait for the producer (a
``host`` sync record) and copy the result over ``pcie.d2h``.
"""

from __future__ import annotations

import numpy as np
import pytest

from ascendsim.ms import Tensor, _session, context, ops
from tests.integration import fresh_state, trace

N = 1024 * 1024  # float32 elements: 4 MiB per tensor, so kernels outlast a launch


@pytest.fixture(autouse=True)
def _fresh():
    fresh_state()
    context.set_context(device_target="Ascend", mode=context.PYNATIVE_MODE)
    yield
    fresh_state()


def _config():
    return _session.current().system.config


def _three_adds():
    x = Tensor(np.ones([1024, 1024], np.float32))
    add = ops.Add()
    a = add(x, x)
    b = add(a, x)
    return add(b, x)


def test_launches_are_back_to_back_on_the_host_and_kernels_run_later_in_order():
    c = _three_adds()
    log = trace()
    # nothing has waited for the device yet: no sync on the host
    assert [r.name for r in log.filter(kind="host") if r.arg("op") == "sync"] == []
    overhead = _config().host.launch_overhead
    launches = [(r.name, r.start, r.end) for r in log.filter(kind="host")]
    assert launches == [
        ("launch Add-0", 0, overhead),
        ("launch Add-1", overhead, 2 * overhead),
        ("launch Add-2", 2 * overhead, 3 * overhead),
    ]
    c.asnumpy()
    kernels = log.filter(kind="kernel", track="stream0")
    assert [k.name for k in kernels] == ["Add-0", "Add-1", "Add-2"]
    (h2d,) = log.filter(kind="copy", track="pcie.h2d")  # x is copied once, before Add-0
    assert h2d.nbytes == 4 * N
    assert kernels[0].start >= max(h2d.end, overhead)
    for launch_end, k in zip((overhead, 2 * overhead, 3 * overhead), kernels, strict=True):
        assert k.start >= launch_end and k.duration > 0
    for prev, k in zip(kernels, kernels[1:], strict=False):
        assert k.start >= prev.end  # one stream: FIFO
    # asynchronous: the host finished launching long before the device finished computing
    assert kernels[-1].end > 3 * overhead


def test_asnumpy_syncs_then_copies_device_to_host():
    c = _three_adds()
    values = c.asnumpy()
    assert values.shape == (1024, 1024) and float(values[0, 0]) == 4.0
    log = trace()
    producer = log.first(kind="kernel", name="Add-2")
    sync = log.first(kind="host", name="sync Add-2")
    (d2h,) = log.filter(kind="copy", track="pcie.d2h")
    assert sync is not None and sync.device is None and sync.track == "host"
    assert sync.end >= producer.end
    assert (d2h.name, d2h.nbytes) == ("D2H Add-2", 4 * N)
    assert d2h.start >= producer.end and d2h.start >= sync.end
    assert d2h.duration >= 4 * N // _config().pcie.d2h_bandwidth
    # the host sees the values when the copy is done
    done = log.first(kind="host", name="D2H Add-2")
    assert done is not None and done.end == d2h.end
    assert _session.current().system.now == d2h.end
    # reading again does not copy again
    c.asnumpy()
    assert len(log.filter(kind="copy", track="pcie.d2h")) == 1


def test_print_synchronises_like_asnumpy(capsys):
    x = Tensor(np.full([2, 2], 2.0, np.float32))
    y = ops.Mul()(x, x)
    assert trace().filter(kind="copy", track="pcie.d2h") == []
    print(y)
    assert capsys.readouterr().out == "[[4. 4.]\n [4. 4.]]\n"
    log = trace()
    kernel = log.first(kind="kernel", name="Mul-0")
    (d2h,) = log.filter(kind="copy", track="pcie.d2h")
    assert d2h.name == "D2H Mul-0" and d2h.start >= kernel.end
    assert log.first(kind="host", name="sync Mul-0").start >= kernel.end


def test_launch_after_a_sync_starts_when_the_host_is_free_again():
    x = Tensor(np.ones([4], np.float32))
    a = ops.Add()(x, x)
    a.asnumpy()
    log = trace()
    d2h_end = log.first(kind="copy", name="D2H Add-0").end
    b = ops.Add()(a, x)
    b.asnumpy()
    second = log.first(kind="host", name="launch Add-1")
    assert second.start == d2h_end  # the host was blocked in the read until then
    assert second.duration == _config().host.launch_overhead
    assert log.first(kind="kernel", name="Add-1").start >= second.end


@pytest.mark.parametrize("switch", ["reset", "device_id"])
def test_a_pending_result_used_in_a_new_session_keeps_its_values(switch):
    # a new session (a new simulated machine) starts when device_id changes or the session
    # is reset; a result still pending on the old one finishes there and is copied over
    x = Tensor(np.arange(4, dtype=np.float32))
    add = ops.Add()
    z = add(x, x)
    old = _session.current().system
    if switch == "reset":
        _session.reset()
    else:
        context.set_context(device_id=1)
    w = add(z, z)
    assert _session.current().system is not old
    np.testing.assert_array_equal(w.asnumpy(), [0, 4, 8, 12])
    np.testing.assert_array_equal(add(w, z).asnumpy(), [0, 6, 12, 18])
    assert [k.name for k in old.trace.filter(kind="kernel")] == ["Add-0"]
    new_copies = [r.name for r in _session.current().system.trace.filter(kind="copy")]
    assert new_copies[0].startswith("H2D tensor")  # z's values, sent to the new device
