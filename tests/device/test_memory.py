"""The HBM pool: alignment, best fit, regions, coalescing, fragmentation and its errors."""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    precondition,
    rule,
)

from ascendsim.device import MemoryPool, System
from ascendsim.errors import DeviceOutOfMemory, InvalidFree
from ascendsim.trace import TraceLog

from . import small_config


def _pool(capacity: int = 8192, *, time: int = 0) -> MemoryPool:
    return MemoryPool(
        capacity, 512, 32, trace=TraceLog(), clock=lambda: time, device=0, track="hbm"
    )


def test_size_for_aligns_the_padded_request():
    pool = _pool()
    assert [pool.size_for(n) for n in (0, 1, 480, 481, 1000, 4064)] == [
        512, 512, 512, 1024, 1536, 4096,
    ]  # fmt: skip


def test_best_fit_picks_the_smallest_hole_not_the_first():
    pool = _pool()
    x1 = pool.alloc(1000, owner="x1")  # 1536 @ 0
    pool.alloc(480, owner="x2")  # 512 @ 1536
    x3 = pool.alloc(900, owner="x3")  # 1024 @ 2048
    pool.alloc(480, owner="x4")  # 512 @ 3072
    pool.free(x1)
    pool.free(x3)
    assert pool.free_ranges() == [(0, 1536), (2048, 1024), (3584, 4608)]
    got = [pool.alloc(n, owner=o).addr for o, n in (("a", 900), ("b", 1000), ("c", 1400))]
    assert got == [2048, 0, 3584]
    assert pool.free_ranges() == [(5120, 3072)]


def test_persistent_blocks_grow_down_from_the_top_and_dynamic_up_from_the_bottom():
    pool = _pool()
    w1 = pool.alloc(480, owner="w1", persistent=True)
    a1 = pool.alloc(480, owner="a1")
    w2 = pool.alloc(900, owner="w2", persistent=True)
    a2 = pool.alloc(900, owner="a2")
    assert [(b.owner, b.addr, b.size) for b in pool.blocks] == [
        ("a1", 0, 512), ("a2", 512, 1024), ("w2", 6656, 1024), ("w1", 7680, 512),
    ]  # fmt: skip
    assert (w1.persistent, a1.persistent, w2.end, a2.end) == (True, False, 7680, 1536)


def test_equal_holes_tie_break_by_address():
    pool = _pool()
    blocks = [pool.alloc(480, owner=f"b{i}") for i in range(16)]  # fills 8192
    for i in (2, 6, 10):
        pool.free(blocks[i])
    assert pool.alloc(1, owner="dyn").addr == 2 * 512  # lowest of three equal holes
    assert pool.alloc(1, owner="par", persistent=True).addr == 10 * 512  # highest


def test_frees_coalesce_with_both_neighbours():
    pool = _pool(4096)
    a, b, c = (pool.alloc(480, owner=o) for o in "abc")
    pool.free(a)
    pool.free(c)
    assert pool.free_ranges() == [(0, 512), (1024, 3072)]
    pool.free(b)
    assert pool.free_ranges() == [(0, 4096)]
    assert (pool.used, pool.free_bytes, pool.largest_free_block, pool.peak_used) == (
        0, 4096, 4096, 1536,
    )  # fmt: skip


def test_fragmentation_causes_out_of_memory_with_a_full_message():
    pool = _pool(4096, time=1500)
    blocks = [pool.alloc(480, owner="act" if i % 2 else "weight") for i in range(8)]
    for b in blocks[::2]:
        pool.free(b)  # 2048 bytes free, but in 512-byte holes
    with pytest.raises(DeviceOutOfMemory) as exc:
        pool.alloc(1000, owner="conv1.output")
    assert str(exc.value) == (
        "npu0.hbm: out of device memory at t=1.500 us: 'conv1.output' requested 1000 bytes "
        "(1536 bytes aligned, dynamic); free 2048 bytes (2 KiB) of 4096 (4 KiB), largest free "
        "block 512 bytes; top holders: 'act' 2 KiB. Fix: lower the batch size, free tensors "
        "that are no longer needed, or use a preset with more HBM / raise max_device_memory."
    )
    e = exc.value
    assert (e.requester, e.requested, e.free, e.largest_free_block, e.holders) == (
        "conv1.output", 1000, 2048, 512, [("act", 2048)],
    )  # fmt: skip


def test_holders_rank_owners_by_bytes_then_name():
    pool = _pool()
    for owner, n in (("b", 480), ("a", 480), ("c", 2000), ("b", 480)):
        pool.alloc(n, owner=owner)
    assert pool.holders() == [("c", 2048), ("b", 1024), ("a", 512)]
    assert pool.holders(top=1) == [("c", 2048)]


def test_double_free_and_foreign_blocks_are_refused_with_place_and_time():
    pool, other = _pool(time=42), _pool()
    block = pool.alloc(10, owner="x")
    pool.free(block)
    with pytest.raises(InvalidFree) as exc:
        pool.free(block)
    assert str(exc.value) == (
        "npu0.hbm: invalid free at t=42 ns: <Block #0 'x' dynamic 512 B at 0x0 (requested 10 B)> "
        "was already freed (double free); free each block once, on the pool that allocated it"
    )
    with pytest.raises(InvalidFree, match="was not allocated from this pool"):
        pool.free(other.alloc(10, owner="y"))
    with pytest.raises(InvalidFree, match="is not a Block"):
        pool.free("x")


def test_every_alloc_and_free_is_a_record_and_gives_the_memory_series():
    system = System(small_config())
    pool = system.device(0).memory
    a = pool.alloc(1000, owner="w", persistent=True)
    system.run(until=10)
    pool.alloc(100, owner="act", cause="node7")
    system.run(until=25)
    pool.free(a)
    recs = system.trace.records
    assert [(r.kind, r.start, r.name, r.cause, r.nbytes, r.track, r.device) for r in recs] == [
        ("alloc", 0, "w", "w", 1000, "hbm", 0),
        ("alloc", 10, "act", "node7", 100, "hbm", 0),
        ("free", 25, "w", "w", 1000, "hbm", 0),
    ]
    assert recs[0].args == (
        ("addr", (1 << 20) - 1536), ("persistent", True), ("size", 1536), ("used_after", 1536),
    )  # fmt: skip
    assert system.trace.memory_series(0) == [(0, 0), (0, 1536), (10, 2048), (25, 512)]


def test_device_pool_capacity_is_hbm_minus_reserved_capped_by_max_device_memory():
    cfg = small_config(**{"memory_pool.reserved": 4096})
    assert System(cfg).device(0).memory.capacity == (1 << 20) - 4096
    assert System(cfg, max_device_memory=65536).device(0).memory.capacity == 65536


def test_host_memory_is_tracked_without_alignment():
    system = System(small_config())
    block = system.host.memory.alloc(1000, owner="numpy data")
    assert (block.size, system.host.memory.used) == (1000, 1000)
    with pytest.raises(DeviceOutOfMemory, match="host.memory: out of host memory"):
        system.host.memory.alloc(1 << 16, owner="big")
    assert system.trace.memory_series(None) == [(0, 0), (0, 1000)]


class PoolMachine(RuleBasedStateMachine):
    """Random allocs and frees keep the pool's invariants and follow best fit exactly."""

    blocks = Bundle("blocks")

    def __init__(self) -> None:
        super().__init__()
        self.pool = _pool(64 * 512)

    @rule(target=blocks, nbytes=st.integers(0, 6000), persistent=st.booleans())
    def alloc(self, nbytes, persistent):
        size = self.pool.size_for(nbytes)
        fits = [(s, a) for a, s in self.pool.free_ranges() if s >= size]
        if not fits:
            with pytest.raises(DeviceOutOfMemory):
                self.pool.alloc(nbytes, owner="o", persistent=persistent)
            return None
        best = min(s for s, _ in fits)
        addrs = [a for s, a in fits if s == best]
        expected = max(addrs) + best - size if persistent else min(addrs)
        block = self.pool.alloc(nbytes, owner="o", persistent=persistent)
        assert (block.addr, block.size) == (expected, size)
        return block

    @precondition(lambda self: self.pool.blocks)
    @rule(block=consumes(blocks))
    def free(self, block):
        if block is not None:
            self.pool.free(block)

    @invariant()
    def tiles_the_address_space(self):
        pool = self.pool
        spans = sorted(
            [(b.addr, b.size, "used") for b in pool.blocks]
            + [(a, s, "free") for a, s in pool.free_ranges()]
        )
        pos = 0
        for addr, size, _ in spans:
            assert addr == pos and size > 0
            pos += size
        assert pos == pool.capacity
        assert pool.used == sum(b.size for b in pool.blocks)
        assert pool.used + pool.free_bytes == pool.capacity
        assert pool.free_bytes == sum(s for _, s in pool.free_ranges())
        assert pool.largest_free_block == max((s for _, s in pool.free_ranges()), default=0)
        assert pool.peak_used >= pool.used
        kinds = [k for *_, k in spans]
        assert all(not (x == y == "free") for x, y in zip(kinds, kinds[1:], strict=False))


TestPoolMachine = PoolMachine.TestCase
TestPoolMachine.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
