"""``nn.WithLossCell`` and ``nn.TrainOneStepCell`` (r1.6's ``cell_wrapper.py``).

``TrainOneStepCell`` compiles one graph per input signature holding forward, backward (through
``GradOperation``), the gradient all-reduce in data parallel (``DistributedGradReducer``) and
the optimizer update; the loss is returned after the update (``F.depend``). Reading a trained
Parameter after a step waits, in simulated time, for the step's graph to finish.
"""

from __future__ import annotations

import numbers
import weakref
from typing import Any

from ascendsim.ms.nn.cell import Cell
from ascendsim.ms.nn.wrap.grad_reducer import (
    DistributedGradReducer,
    device_num,
    gradients_mean,
    parallel_mode,
)

__all__ = ["WithLossCell", "TrainOneStepCell", "depend_on", "sync_params_after"]


def depend_on(value: Any, expr: Any) -> Any:
    """``F.depend(value, expr)`` where ``expr`` may be a (nested) tuple of tensors: one Depend
    per tensor (r1.6 makes a tuple of them first)."""
    from ascendsim.ms.ops import functional as F

    if isinstance(expr, tuple | list):
        for e in expr:
            value = depend_on(value, e)
        return value
    if expr is None or isinstance(expr, bool | numbers.Number):
        return value
    return F.depend(value, expr)


class _ParamSync:
    """A Parameter's ``_sync`` after a graph updated it: run the clock to the graph's end."""

    __slots__ = ("param", "runtime", "task")

    def __init__(self, param: Any, runtime: Any, task: Any) -> None:
        self.param, self.runtime, self.task = weakref.ref(param), runtime, task

    def __call__(self) -> None:
        p = self.param()
        if p is not None:
            p._sync = None
        if self.task.end is None:
            name = getattr(p, "name", "")
            self.runtime.wait_for(self.task.done, f"the step that updates {name}")


def sync_params_after(params: Any, result: Any) -> None:
    """Make reading any of ``params`` wait for the graph that produced ``result``."""
    from ascendsim.ms import _session

    outs = result if isinstance(result, tuple) else (result,)
    task = runtime = None
    for o in outs:
        buf = getattr(o, "_buf", None)
        if buf is not None and buf.producer is not None:
            task, runtime = buf.producer, buf.runtime
            break
    if task is None or not _session.current().started:
        return
    runtime = runtime or _session.current().runtime
    for p in params:
        if p._value is not None:
            p._sync = _ParamSync(p, runtime, task)


class WithLossCell(Cell):
    """``loss_fn(backbone(data), label)``."""

    def __init__(self, backbone: Cell, loss_fn: Cell) -> None:
        super().__init__(auto_prefix=False)
        self._backbone = backbone
        self._loss_fn = loss_fn

    def construct(self, data: Any, label: Any) -> Any:
        out = self._backbone(data)
        return self._loss_fn(out, label)

    @property
    def backbone_network(self) -> Cell:
        """The wrapped network."""
        return self._backbone


class TrainOneStepCell(Cell):
    """One training step: loss, gradients, (all-reduce,) optimizer update; returns the loss.

    Args:
        network: the network with its loss (one output).
        optimizer: the optimizer Cell; its ``parameters`` are the weights differentiated.
        sens: the value the loss's gradient starts from (1.0; a non-number fails when the
            step is traced, in ``Fill``, as in r1.6).
    """

    def __init__(self, network: Cell, optimizer: Cell, sens: Any = 1.0) -> None:
        super().__init__(auto_prefix=False)
        from ascendsim.ms.ops import functional as F
        from ascendsim.ms.ops.composite import GradOperation

        self.network = network
        self.network.set_grad()
        self.optimizer = optimizer
        self.weights = self.optimizer.parameters
        self.grad = GradOperation(get_by_list=True, sens_param=True)
        self.sens = sens
        self.parallel_mode = parallel_mode()
        self.reducer_flag = self.parallel_mode in ("data_parallel", "hybrid_parallel")
        self.grad_reducer: Any = F.identity
        if self.reducer_flag:
            self.mean = gradients_mean()
            self.degree = device_num()
            self.grad_reducer = DistributedGradReducer(self.weights, self.mean, self.degree)

    def construct(self, *inputs: Any) -> Any:
        from ascendsim.ms.ops import functional as F

        loss = self.network(*inputs)
        sens = F.fill(loss.dtype, loss.shape, self.sens)
        grads = self.grad(self.network, self.weights)(*inputs, sens)
        grads = self.grad_reducer(grads)
        return depend_on(loss, self.optimizer(grads)[0])

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        result = super().__call__(*args, **kwargs)
        sync_params_after(list(self.get_parameters()), result)
        return result
