"""The runtime: what the front end talks to instead of simpy.

A :class:`Runtime` owns one simulated :class:`~ascendsim.device.System` and lowers work onto it:

* **PyNative** (:meth:`Runtime.launch`): every op call costs the host ``host.launch_overhead``,
  then runs asynchronously as a task on the device's compute stream; its output buffers are
  allocated from the device pool when launched. Values are computed at the task's simulated end.
  :meth:`Runtime.fetch` (``asnumpy()``, ``print``) waits for the producing task in simulated time
  and copies the result device-to-host over PCIe, as a timed event.
* **Graph mode** (:mod:`ascendsim.backend.executor`): a traced graph runs sunk on the device.

The kernel effects that make Ascend semantics observable happen here, at simulated time: overflow
detection after every floating kernel (register set; saturation or Inf/NaN results by the chip's
overflow mode), the float-status ops reading and clearing the register, and the ordering checks
of :class:`~ascendsim.backend.float_status.FloatStatusMonitor`.

Front-end objects (tensors, parameters, primitives) are duck-typed: this layer imports nothing
from :mod:`ascendsim.ms`.
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ascendsim.backend.buffers import Buffer
from ascendsim.backend.float_status import FloatStatusMonitor
from ascendsim.backend.overflow import check_overflow
from ascendsim.errors import MsRuntimeError

__all__ = ["Runtime", "KernelContext"]

# Kernels compute in IEEE arithmetic and the runtime detects overflow itself: numpy's
# floating-point warnings are off (np.errstate) whenever a kernel runs with a KernelContext
# (the runtime's clock runs under one errstate; a kernel run by a clock somebody else started
# gets its own), so a kernel given a context needs no errstate of its own.


class KernelContext:
    """What a kernel may touch besides its inputs (the ops' ``KernelContext`` protocol).

    A kernel called with a context runs with numpy's floating-point warnings off.
    """

    __slots__ = ("runtime", "device", "node", "status_in", "checked")

    def __init__(
        self,
        runtime: Runtime,
        device: int,
        node: str,
        status_in: Buffer | None,
        checked: frozenset[str] = frozenset(),
    ) -> None:
        self.runtime = runtime
        self.device = device
        self.node = node
        self.status_in = status_in
        self.checked = checked

    @property
    def overflow_mode(self) -> str:
        return self.runtime.overflow_mode

    @property
    def rng(self) -> np.random.Generator:
        return self.runtime.system.rng

    def float_status_read(self) -> np.ndarray:
        rt = self.runtime
        reg = rt.system.device(self.device).float_status
        buf = self.status_in
        rt.monitor.read(
            self.device,
            rt.system.now,
            self.node,
            buf.status_origin if buf else None,
            buf.status_alloc_time if buf else None,
            checked=self.checked,
        )
        return reg.read(self.node)

    def float_status_clear(self) -> None:
        rt = self.runtime
        buf = self.status_in
        rt.monitor.cleared(
            self.device, rt.system.now, self.node, buf.status_origin if buf else None
        )
        rt.system.device(self.device).float_status.clear(self.node)

    def emit(self, text: str) -> None:
        self.runtime.emit(text)


class Runtime:
    """Lowers front-end work onto one simulated system (see the module docstring).

    Args:
        system: the simulated system (one clock).
        device: the index of the device ops run on (``device_id``).
        float_status_check: ``"warn"`` | ``"error"`` | ``"off"``.
        warn: where warnings go (default: one line on stderr).
        out: where ``Print`` output goes (default: stdout).
    """

    def __init__(
        self,
        system: Any,
        *,
        device: int = 0,
        float_status_check: str = "warn",
        warn: Callable[[str], None] | None = None,
        out: Callable[[str], None] | None = None,
    ) -> None:
        self.system = system
        self.device = device
        self.npu = system.device(device)
        self.stream = self.npu.stream("stream0")
        self.config = system.config
        self.overflow_mode: str = self.config.chip.overflow_mode
        #: the context's device_target ("Ascend", "GPU" or "CPU")
        self.target = "Ascend"
        self.monitor = FloatStatusMonitor(system.trace, mode=float_status_check, warn=warn)
        self._out = out
        #: node names declared to overflow in shape-only runs
        self.declared_overflow: set[str] = set()
        #: every line ``Print`` produced, in order
        self.printed: list[str] = []
        self._op_counter: dict[str, int] = {}
        #: parameter uid -> Buffer resident on a device
        self.param_buffers: dict[int, Buffer] = {}
        #: set when the session ends: the simulation is over, releases no longer count
        self.closed = False
        #: one weak reference to this runtime, shared by every buffer's release callback
        self._weak_self = weakref.ref(self)
        #: > 0 while this runtime runs the clock under np.errstate(all="ignore")
        self._quiet = 0

    # --- time -----------------------------------------------------------------------------
    @property
    def host_time(self) -> int:
        """The simulated ns at which the host (the Python program) is free."""
        return max(self.system.host.busy_until, self.system.now)

    def _run_clock(self, run: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run the clock (``run`` is ``system.run`` or ``system.run_until``) with numpy's
        floating-point warnings off for every kernel, then raise deferred ordering errors."""
        self._quiet += 1
        try:
            with np.errstate(all="ignore"):
                run(*args, **kwargs)
        finally:
            self._quiet -= 1
            self.monitor.raise_pending()

    def wait_for(self, event: Any, what: str) -> None:
        """Run the clock until ``event`` (a simpy event of this system) has happened.

        ``what`` names the awaited thing in the error if the event can never happen."""
        self._run_clock(self.system.run_until, event, what)

    def _catch_up(self) -> None:
        """Advance the clock to the host's time so host-side events are stamped correctly."""
        if self.system.now < self.system.host.busy_until:
            self._run_clock(self.system.run, until=self.system.host.busy_until)

    def host_work(self, name: str, duration: int, *, cause: str = "", op: str = "launch") -> int:
        """The host spends ``duration`` ns (a launch, a compile); returns when it is done."""
        return self.system.host.work(name, duration, cause=cause, op=op)

    def record_graph(self, name: str, *, policy: str, nodes: int, run: int, **args: Any) -> None:
        """Trace a graph run at the host's time: which graph, which schedule policy, which run
        (``args``: e.g. the rank in data parallel)."""
        self.system.trace.add(
            "graph",
            start=self.host_time,
            device=self.device,
            track="host",
            name=name,
            cause=name,
            policy=policy,
            nodes=nodes,
            run=run,
            **args,
        )

    def kernel_ns(self, cost: Any, dtype: str) -> int:
        """Simulated duration of a kernel with this Cost (0 for bookkeeping ops)."""
        if cost.unit == "none":
            return 0
        return self.npu.cost.kernel_ns(cost.flops, cost.nbytes, cost.unit, dtype)

    def synchronize(self) -> None:
        """Wait for all launched work (``run`` to completion), like ``aclrtSynchronizeDevice``."""
        self._run_clock(self.system.run)
        self.system.host.wait_until(self.system.now, "synchronize")

    def end_program(self) -> None:
        """The program is over: release the dynamic device memory its tensors still hold
        (outputs, inputs), at this instant and in address order, then stop counting releases.

        Which Python objects are still alive when a run ends depends on the host process
        (a test runner, a worker thread), not on the program; ending the program explicitly
        keeps the final memory and the trace's tail deterministic. Persistent device blocks
        (parameters) stay; host copies are released.
        """
        for npu in self.system.devices:
            for block in npu.memory.blocks:
                if not block.persistent:
                    npu.memory.free(block, cause="end of program")
        host = self.system.host.memory  # the program's host copies end with it too
        for block in host.blocks:
            host.free(block, cause="end of program")
        self.closed = True
        # every runtime on this system (data-parallel ranks too) stops counting releases
        self.system.program_ended = True

    def synchronize_quietly(self) -> None:
        """Finish launched work at the end of a script; a failure becomes a warning line
        (the script's own outcome is what the caller reports)."""
        try:
            self.synchronize()
        except Exception as exc:  # noqa: BLE001 - reported, not swallowed
            (self.monitor.warn)(f"unfinished work at the end of the run: {exc}")

    def emit(self, text: str) -> None:
        self.printed.append(text)
        (self._out or (lambda s: print(s, file=sys.stdout)))(text)

    # --- buffers --------------------------------------------------------------------------
    def alloc_device(
        self, buf: Buffer, *, owner: str, persistent: bool = False, device: int | None = None
    ) -> None:
        dev = self.device if device is None else device
        npu = self.npu if dev == self.device else self.system.device(dev)
        buf.block = npu.memory.alloc(max(buf.nbytes, 1), owner=owner, persistent=persistent)
        buf.device = dev

    def release(self, buf: Buffer) -> None:
        """Free a buffer's device block (when the front-end tensor is collected). A buffer
        whose producing task has not started yet is freed when that task ends."""
        if self.closed or self.system.program_ended:
            return
        host_block = buf.host_block
        if host_block is not None:
            buf.host_block = None
            host_block.pool.free(host_block)
        block = buf.block
        if block is not None:
            buf.block = None
            block.pool.free(block)
        elif buf.producer is not None:
            buf.dead = True

    def host_track(self, buf: Buffer, owner: str) -> None:
        """Count ``buf``'s host values in the host-memory model (once)."""
        if buf.value is not None and buf.host_block is None:
            buf.host_block = self.system.host.memory.alloc(max(buf.nbytes, 1), owner=owner)

    def track(self, owner: object, buf: Buffer) -> None:
        """Free ``buf``'s device memory when ``owner`` (a tensor) is garbage-collected."""
        buf.watcher = weakref.ref(owner, _Releaser(self._weak_self, buf))

    def to_device(
        self,
        buf: Buffer,
        *,
        owner: str,
        persistent: bool = False,
        stream: Any = None,
        ready_at: int | None = None,
    ) -> Any:
        """Allocate ``buf`` on the device and copy its host data over PCIe (H2D).

        Returns the copy task (None if the buffer was already on the device).
        """
        if buf.block is not None:
            return None
        self._catch_up()
        self.alloc_device(buf, owner=owner, persistent=persistent)
        stream = stream or self.stream
        task = stream.copy(
            self.system.pcie_h2d(buf.device),
            buf.nbytes,
            cause=owner,
            name=f"H2D {owner}",
            ready_at=self.host_time if ready_at is None else ready_at,
        )
        buf.producer = task
        return task

    def fetch(self, buf: Buffer) -> np.ndarray | None:
        """Wait for ``buf``'s producer in simulated time, copy it device-to-host, return values."""
        task = buf.producer
        if task is not None:
            host = self.system.host
            self.wait_for(task.done, f"values of {buf.name}")
            host.wait_until(self.system.now, f"sync {buf.name}", cause=buf.name)
            if buf.block is not None:
                copy = self.stream.copy(
                    self.system.pcie_d2h(buf.device),
                    buf.nbytes,
                    cause=buf.name,
                    name=f"D2H {buf.name}",
                    ready_at=self.host_time,
                )
                self.wait_for(copy.done, f"D2H of {buf.name}")
                host.wait_until(self.system.now, f"D2H {buf.name}", cause=buf.name)
            buf.producer = None
            self.host_track(buf, f"{buf.name} (on host)")
        return buf.value

    # --- kernels --------------------------------------------------------------------------

    def run_kernel(
        self,
        op: Any,
        node: str,
        args: Sequence[Any],
        outs: list[Buffer],
        device: int,
        checked: frozenset[str] = frozenset(),
    ) -> None:
        """Compute ``op`` at simulated time: values, in-place updates, overflow, register.

        ``args`` holds Buffers for tensor inputs and plain Python values for attributes.
        ``checked``: for ``NPUGetFloatStatus`` in a graph, the kernels its status input
        depends on (the computation it checks), for the ordering checks.
        """
        # on the Ascend target the float-status register and the chip's overflow mode apply;
        # CPU and GPU compute IEEE Inf/NaN results, as MindSpore does there
        ascend = self.target == "Ascend"
        mode = self.overflow_mode if ascend else "inf_nan"
        fs = getattr(op, "float_status", None)
        status_in = (
            args[0] if fs in ("clear", "get") and args and isinstance(args[0], Buffer) else None
        )
        values = []
        shape_only = False
        for a in args:
            if isinstance(a, Buffer):
                v = a.device_value
                if v is None:
                    v = a.host
                    shape_only = shape_only or v is None
                values.append(v)
            else:
                values.append(a)
        overflowed = False
        if fs == "alloc":
            for o in outs:
                o.status_origin, o.status_alloc_time = node, self.system.now
        if shape_only and fs is None:
            overflowed = node in self.declared_overflow
        else:
            ctx = KernelContext(self, device, node, status_in, checked)
            if shape_only:  # float-status ops still act on the register in shape-only runs
                values = [
                    np.zeros(a.shape, a.dtype) if isinstance(a, Buffer) and a.value is None else v
                    for a, v in zip(args, values, strict=True)
                ]
                if status_in is not None and status_in.value is None:
                    status_in.device_value = values[0]
            if self._quiet:  # the clock runs under this runtime's errstate
                result = op.kernel(ctx, *values)
            else:
                with np.errstate(all="ignore"):
                    result = op.kernel(ctx, *values)
            results = result if isinstance(result, tuple) else (result,)
            for o, r in zip(outs, results, strict=False):
                arr = r if type(r) is np.ndarray else np.asarray(r)
                if arr.dtype != o.dtype and o.dtype.kind != "O":
                    arr = arr.astype(o.dtype)
                if arr.dtype.kind == "f" and not _isfinite(arr).all():
                    arr, over = check_overflow(arr, mode)
                    overflowed |= over
                o.device_value = arr
            for i in getattr(op, "inplace", ()):
                a = args[i]
                if isinstance(a, Buffer) and a.value is not None and fs is None:
                    fixed, over = check_overflow(a.value, mode)
                    if over:
                        a.value[...] = fixed
                        overflowed = True
            overflowed |= node in self.declared_overflow
        if not ascend:
            return
        if fs is None:
            self.monitor.kernel_ran(device, self.system.now, node, overflowed)
        if overflowed:
            self.system.device(device).float_status.set(node, node=node)

    def launch(
        self,
        op: Any,
        args: Sequence[Any],
        out_specs: Sequence[tuple[tuple[int, ...], np.dtype]],
        *,
        name: str | None = None,
        cost: Any = None,
    ) -> list[Buffer]:
        """Launch one op in PyNative mode; returns its output buffers (values pending).

        ``args``: Buffers (tensor inputs; host data is copied to the device first) and plain
        values. ``cost``: the op's Cost (flops, nbytes, unit).
        """
        if name is None:  # "Add-0", "Add-1" ... per op name
            counter = self._op_counter
            n = counter.get(op.name, 0)
            counter[op.name] = n + 1
            node = f"{op.name}-{n}"
        else:
            node = name
        for a in args:
            if isinstance(a, Buffer) and a.block is None and a.producer is None:
                self.to_device(a, owner=a.name or node)
        ready = self.system.host.work(
            f"launch {node}", self.config.host.launch_overhead, cause=node, op="launch"
        )
        if len(out_specs) == 1:
            shape, dtype = out_specs[0]
            outs = [Buffer(tuple(shape), np.dtype(dtype), name=node)]
        else:
            outs = [
                Buffer(tuple(shape), np.dtype(dtype), name=f"{node}:{i}")
                for i, (shape, dtype) in enumerate(out_specs)
            ]
        for b in outs:
            b.runtime = self
        device = self.device
        in_dtype = "float16"  # the cost model's dtype: the first tensor's (output, else input)
        for b in (outs[0],) if outs else args:
            if isinstance(b, Buffer):
                in_dtype = _dtype_name(b.dtype)
                break

        def start(_t: Any) -> None:
            # MindSpore allocates a PyNative op's outputs when it is launched; here at the
            # kernel's start, so the host never has to wait for the clock to catch up.
            for b in outs:
                self.alloc_device(b, owner=b.name)

        def done(_t: Any) -> None:
            self.run_kernel(op, node, args, outs, device)
            for b in outs:
                if b.dead:
                    self.release(b)

        task = self.stream.launch_kernel(
            node,
            flops=cost.flops if cost else 0,
            nbytes=cost.nbytes if cost else 0,
            unit=cost.unit if cost else "vector",
            dtype=in_dtype,
            cause=node,
            ready_at=ready,
            on_start=start,
            on_done=done,
        )
        for b in outs:
            b.producer = task
        for i in getattr(op, "inplace", ()):
            if i < len(args) and isinstance(args[i], Buffer):
                args[i].producer = task
        return outs

    def check_target(self, op: Any, target: str) -> None:
        """An op on a target it has no kernel for raises what MindSpore r1.6 raises there
        (the float-status ops are Ascend-only; ``FloatStatus`` is GPU-only)."""
        platforms = getattr(op, "platforms", None) or (
            ("Ascend",) if getattr(op, "ascend_only", False) else None
        )
        if platforms and target not in platforms:
            where = " or ".join(platforms)
            raise MsRuntimeError(
                f"For '{op.name}, the {target} platform is not supported! "
                f"({op.name} runs only on {where}: set "
                f'context.set_context(device_target="{platforms[0]}"))'
            )


_DTYPE_NAMES: dict[np.dtype, str] = {}
_isfinite = np.isfinite


def _dtype_name(dtype: np.dtype) -> str:
    name = _DTYPE_NAMES.get(dtype)
    if name is None:
        name = _DTYPE_NAMES[dtype] = np.dtype(dtype).name
    return name


class _Releaser:
    """Weakref callback: free a buffer's device block when its tensor is collected."""

    __slots__ = ("rt_ref", "buf")

    def __init__(self, rt_ref: weakref.ref, buf: Buffer) -> None:
        self.rt_ref, self.buf = rt_ref, buf

    def __call__(self, _ref: Any) -> None:
        rt = self.rt_ref()
        if rt is not None:
            rt.release(self.buf)
