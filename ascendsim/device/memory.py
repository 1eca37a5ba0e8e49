"""The HBM memory pool of one device (and the host's memory tracker).

A best-fit allocator over the address space ``[0, capacity)`` modelled on MindSpore's Ascend
memory pool: every request of ``N`` bytes takes ``ceil((N + padding) / alignment) * alignment``;
*persistent* blocks (parameters, "variable memory") are carved from the top of the chosen free
block and *dynamic* ones (activations, workspaces) from its bottom, so with the usual best-fit
choice the two regions grow towards each other from the two ends of the address space. Among
equally good free blocks, persistent requests take the highest address and dynamic ones the
lowest. Freed blocks coalesce with free neighbours, so fragmentation is real: a request can fail
while the total free bytes would be enough.

Data structures (each operation is O(log n) search plus a list insert/delete):
``_by_size`` is a sorted list of ``size << 48 | addr`` keys of the free blocks; ``_free_at`` and
``_free_end`` map a free block's start and end address to its size and start, for coalescing.

Every alloc and free is an instantaneous event at ``clock()`` and appends a record (``alloc`` /
``free``, args ``addr``, ``persistent``, ``size``, ``used_after``) to the trace, kept as a
tuple of plain values until the trace is read (the log never keeps a Block alive).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable
from typing import Any

from ascendsim.errors import DeviceOutOfMemory, InvalidFree, MsValueError, format_ns
from ascendsim.units import format_bytes

__all__ = ["MemoryPool", "Block"]

_SHIFT = 48  # addresses below 256 TiB
_MASK = (1 << _SHIFT) - 1
_DEVICE_FIX = (
    "lower the batch size, free tensors that are no longer needed, or use a preset with more "
    "HBM / raise max_device_memory"
)
_HOST_FIX = "shrink the model or the batch, free host tensors, or raise host.memory in the config"


class Block:
    """A live (or freed) allocation: ``size`` aligned bytes at ``addr`` for ``owner``."""

    __slots__ = ("id", "addr", "size", "nbytes", "owner", "persistent", "time", "pool")

    def __init__(
        self,
        id: int,
        addr: int,
        size: int,
        nbytes: int,
        owner: str,
        persistent: bool,
        time: int,
        pool: MemoryPool | None = None,
    ) -> None:
        self.id = id
        self.pool = pool
        self.addr = addr
        self.size = size
        self.nbytes = nbytes
        self.owner = owner
        self.persistent = persistent
        self.time = time

    @property
    def end(self) -> int:
        """One past the last byte of the block."""
        return self.addr + self.size

    def __repr__(self) -> str:
        kind = "persistent" if self.persistent else "dynamic"
        return (
            f"<Block #{self.id} {self.owner!r} {kind} {self.size} B at {self.addr:#x} "
            f"(requested {self.nbytes} B)>"
        )


_ROW_KEYS = ("addr", "persistent", "size", "used_after")


class MemoryPool:
    """A best-fit pool with persistent/dynamic regions (see the module docstring).

    Args:
        capacity: bytes in the pool.
        alignment: allocation granule in bytes (1 for no alignment).
        padding: bytes added to every request before aligning.
        trace: the system's TraceLog (``None``: record nothing).
        clock: returns the current simulated time in ns.
        device: device index for the records (``None``: the host).
        track: track name for the records (``"hbm"``; ``"memory"`` on the host).
        name: scoped name used in messages (default ``npu<device>.<track>`` / ``host.<track>``).

    Raises:
        MsValueError: a negative capacity or padding, or an alignment below 1.
    """

    def __init__(
        self,
        capacity: int,
        alignment: int = 1,
        padding: int = 0,
        *,
        trace: Any = None,
        clock: Callable[[], int] = lambda: 0,
        device: int | None = None,
        track: str = "hbm",
        name: str | None = None,
    ) -> None:
        if capacity < 0 or padding < 0 or alignment < 1:
            raise MsValueError(
                f"memory pool: need capacity >= 0, padding >= 0 and alignment >= 1, got "
                f"capacity={capacity}, padding={padding}, alignment={alignment}"
            )
        if capacity > _MASK:
            raise MsValueError(f"memory pool: capacity {capacity} bytes exceeds 256 TiB")
        self.capacity = int(capacity)
        self.alignment = int(alignment)
        self.padding = int(padding)
        self.trace = trace
        # the log's row list, appended to directly (a plain tuple per record, read as a Record)
        self._rows: list[Any] | None = None if trace is None else trace._rows
        self.clock = clock
        self.device = device
        self.track = track
        owner = "host" if device is None else f"npu{device}"
        self.name = name or f"{owner}.{track}"
        self._fix = _HOST_FIX if device is None else _DEVICE_FIX
        self._live: dict[int, Block] = {}
        self._by_size: list[int] = []
        self._free_at: dict[int, int] = {}
        self._free_end: dict[int, int] = {}
        self._next_id = 0
        self.used = 0
        self.peak_used = 0
        if capacity:
            self._add_free(0, self.capacity)

    # --- free-list primitives -------------------------------------------------------------
    def _add_free(self, addr: int, size: int) -> None:
        insort(self._by_size, size << _SHIFT | addr)
        self._free_at[addr] = size
        self._free_end[addr + size] = addr

    def _remove_free(self, addr: int, size: int) -> None:
        by_size = self._by_size
        del by_size[bisect_left(by_size, size << _SHIFT | addr)]
        del self._free_at[addr]
        del self._free_end[addr + size]

    # --- public API -----------------------------------------------------------------------
    def size_for(self, nbytes: int) -> int:
        """The bytes a request of ``nbytes`` takes: ``ceil((nbytes + padding) / a) * a``."""
        a = self.alignment
        return -(-(nbytes + self.padding) // a) * a

    @property
    def free_bytes(self) -> int:
        """Bytes not held by a live block (possibly fragmented)."""
        return self.capacity - self.used

    @property
    def largest_free_block(self) -> int:
        """Size of the largest contiguous free range."""
        return self._by_size[-1] >> _SHIFT if self._by_size else 0

    @property
    def blocks(self) -> list[Block]:
        """The live blocks, by address."""
        return sorted(self._live.values(), key=lambda b: (b.addr, b.id))

    def free_ranges(self) -> list[tuple[int, int]]:
        """The free ranges as ``(addr, size)``, by address (for inspection and tests)."""
        return sorted(self._free_at.items())

    def holders(self, top: int = 5) -> list[tuple[str, int]]:
        """The owners holding the most bytes: ``[(owner, bytes), ...]``, largest first."""
        totals: dict[str, int] = {}
        for b in self._live.values():
            totals[b.owner] = totals.get(b.owner, 0) + b.size
        return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top]

    def alloc(self, nbytes: int, *, owner: str, persistent: bool = False, cause: str = "") -> Block:
        """Allocate ``nbytes`` (aligned up by :meth:`size_for`) for ``owner``.

        ``cause`` defaults to ``owner`` in the trace record.

        Raises:
            MsValueError: ``nbytes`` is negative.
            DeviceOutOfMemory: no free block is large enough.
        """
        if nbytes < 0:
            raise MsValueError(f"{self.name}: cannot allocate {nbytes} bytes for {owner!r}")
        a = self.alignment
        size = -(-(nbytes + self.padding) // a) * a  # size_for(), inlined (the hot path)
        by_size = self._by_size
        if size == 0:
            addr = 0
        else:
            i = bisect_left(by_size, size << _SHIFT)
            if i == len(by_size):
                self._out_of_memory(nbytes, size, owner, persistent)
            if persistent:  # the highest address among the best-fitting size
                best = by_size[i] >> _SHIFT
                i = bisect_left(by_size, (best + 1) << _SHIFT, i) - 1
            key = by_size.pop(i)
            faddr = key & _MASK
            fsize = key >> _SHIFT
            del self._free_at[faddr]
            del self._free_end[faddr + fsize]
            rest = fsize - size
            if persistent:
                addr = faddr + rest
                if rest:
                    self._add_free(faddr, rest)
            else:
                addr = faddr
                if rest:
                    self._add_free(faddr + size, rest)
        now = self.clock()
        block = Block(self._next_id, addr, size, nbytes, owner, persistent, now, self)
        self._next_id += 1
        self._live[block.id] = block
        used = self.used = self.used + size
        if used > self.peak_used:
            self.peak_used = used
        if self._rows is not None:
            self._record("alloc", block, now, used, cause)
        return block

    def free(self, block: Block, *, cause: str = "") -> None:
        """Return ``block`` to the pool, coalescing it with free neighbours.

        Raises:
            InvalidFree: ``block`` was already freed or does not belong to this pool.
        """
        live = self._live.get(getattr(block, "id", -1))
        if live is not block:
            self._invalid_free(block)
        del self._live[block.id]
        addr, size = block.addr, block.size
        if size:
            left = self._free_end.get(addr)
            if left is not None:
                self._remove_free(left, addr - left)
                size += addr - left
                addr = left
            right = self._free_at.get(addr + size)
            if right is not None:
                self._remove_free(addr + size, right)
                size += right
            self._add_free(addr, size)
        used = self.used = self.used - block.size
        if self._rows is not None:
            self._record("free", block, self.clock(), used, cause)

    def _record(self, kind: str, block: Block, now: int, used: int, cause: str) -> None:
        """Append the ``alloc``/``free`` row of ``block`` (plain values: see the docstring)."""
        self._rows.append(  # type: ignore[union-attr]
            (kind, now, now, self.device, self.track, block.owner, cause or block.owner,
             block.nbytes, _ROW_KEYS, block.addr, block.persistent, block.size, used)
        )  # fmt: skip

    # --- errors ---------------------------------------------------------------------------
    def _out_of_memory(self, nbytes: int, size: int, owner: str, persistent: bool) -> None:
        holders = self.holders()
        held = ", ".join(f"{o!r} {format_bytes(b)}" for o, b in holders) or "none"
        kind = "persistent" if persistent else "dynamic"
        what = "host memory" if self.device is None else "device memory"
        raise DeviceOutOfMemory(
            f"{self.name}: out of {what} at {format_ns(self.clock())}: {owner!r} requested "
            f"{nbytes} bytes ({size} bytes aligned, {kind}); free {self.free_bytes} bytes "
            f"({format_bytes(self.free_bytes)}) of {self.capacity} "
            f"({format_bytes(self.capacity)}), largest free block {self.largest_free_block} "
            f"bytes; top holders: {held}. Fix: {self._fix}.",
            requester=owner,
            requested=nbytes,
            free=self.free_bytes,
            largest_free_block=self.largest_free_block,
            holders=holders,
        )

    def _invalid_free(self, block: Any) -> None:
        at = format_ns(self.clock())
        if not isinstance(block, Block):
            why = f"{block!r} is not a Block"
        elif block.pool is self:
            why = f"{block!r} was already freed (double free)"
        else:
            why = f"{block!r} was not allocated from this pool"
        raise InvalidFree(
            f"{self.name}: invalid free at {at}: {why}; free each block once, on the pool that "
            f"allocated it"
        )

    def __repr__(self) -> str:
        return (
            f"<MemoryPool {self.name}: {self.used}/{self.capacity} B used, "
            f"{len(self._live)} blocks>"
        )
