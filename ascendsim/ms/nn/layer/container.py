"""Containers: ``nn.SequentialCell`` (calls its cells in order) and ``nn.CellList``.

Children are registered as attributes named ``"0"``, ``"1"``, ... (or the keys of an
``OrderedDict`` given to SequentialCell), so their parameters are named ``0.weight`` ... as in
r1.6.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

from ascendsim.errors import MsTypeError
from ascendsim.ms.nn.cell import Cell

__all__ = ["SequentialCell", "CellList"]


def _check_cell(owner: str, cell: Any) -> Cell:
    if not isinstance(cell, Cell):
        raise MsTypeError(
            f"For '{owner}', each cell must be a Cell, but got {type(cell).__name__}."
        )
    return cell


def _index(owner: str, length: int, index: Any) -> int:
    if not isinstance(index, int) or isinstance(index, bool):
        raise MsTypeError(
            f"For '{owner}', the type of 'index' should be int or slice, but got "
            f"{type(index).__name__}."
        )
    if not -length <= index < length:
        raise IndexError(
            f"For '{owner}', the 'index' {index} is out of range [-{length}, {length})."
        )
    return index % length


class SequentialCell(Cell):
    """Calls its cells in order, each on the previous one's output.

    ``SequentialCell(cell0, cell1, ...)``, ``SequentialCell([cells])`` or
    ``SequentialCell(OrderedDict(name=cell, ...))``.

    Raises:
        MsTypeError: an element that is not a Cell, or a single argument that is neither a
            Cell, a list nor an OrderedDict.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__()
        name = type(self).__name__
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            items = list(args[0].items())
        elif len(args) == 1 and isinstance(args[0], list):
            items = [(str(i), c) for i, c in enumerate(args[0])]
        elif all(isinstance(a, Cell) for a in args):
            items = [(str(i), c) for i, c in enumerate(args)]
        else:
            raise MsTypeError(
                f"For '{name}', the 'args[0]' must be list or orderedDict, but got "
                f"{type(args[0]).__name__}."
            )
        for key, cell in items:
            setattr(self, key, _check_cell(name, cell))

    @property
    def cell_list(self) -> list[Cell]:
        """The cells, in call order."""
        return list(self._cells.values())

    def __len__(self) -> int:
        return len(self._cells)

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return type(self)(OrderedDict(list(self._cells.items())[index]))
        return self.cell_list[_index(type(self).__name__, len(self), index)]

    def append(self, cell: Cell) -> None:
        """Add ``cell`` at the end."""
        setattr(self, str(len(self)), _check_cell(type(self).__name__, cell))

    def construct(self, input_data: Any) -> Any:
        for cell in self.cell_list:
            input_data = cell(input_data)
        return input_data


class CellList(Cell):
    """A list of cells, indexable and iterable (``construct`` is not defined, as in r1.6)."""

    def __init__(self, args: Iterable[Cell] | None = None, auto_prefix: bool = True) -> None:
        super().__init__(auto_prefix=auto_prefix)
        if args is not None:
            self.extend(args)

    def __len__(self) -> int:
        return len(self._cells)

    def __iter__(self) -> Iterator[Cell]:
        return iter(list(self._cells.values()))

    def __getitem__(self, index: int | slice) -> Any:
        cells = list(self._cells.values())
        if isinstance(index, slice):
            return CellList(cells[index])
        return cells[_index(type(self).__name__, len(self), index)]

    def append(self, cell: Cell) -> None:
        """Add ``cell`` at the end."""
        setattr(self, str(len(self)), _check_cell(type(self).__name__, cell))

    def insert(self, index: int, cell: Cell) -> None:
        """Insert ``cell`` before position ``index`` (r1.6: later cells move up one key and
        their parameters are renamed to their new position)."""
        name = type(self).__name__
        if not isinstance(index, int) or isinstance(index, bool):
            raise MsTypeError(
                f"For '{name}', the type of 'index' should be int, but got {type(index).__name__}."
            )
        n = len(self)
        if not -n <= index < n and not (n == 0 and index == 0):
            from ascendsim.errors import MsIndexError

            raise MsIndexError(
                f"For '{name}', the value of 'index' should be a number in range "
                f"[{-n}, {n}), but got {index}."
            )
        idx = index % n if n else 0
        cell = _check_cell(name, cell)
        cells = list(self._cells.values())
        self._cells.clear()
        for i, c in enumerate([*cells[:idx], cell, *cells[idx:]]):
            setattr(self, str(i), c)

    def extend(self, cells: Iterable[Cell]) -> CellList:
        """Add every cell of ``cells``; returns self."""
        if not isinstance(cells, list | tuple):
            raise MsTypeError(
                f"For '{type(self).__name__}', the new cells wanted to append should be "
                f"instance of list, but got {type(cells).__name__}."
            )
        for cell in cells:
            self.append(cell)
        return self
