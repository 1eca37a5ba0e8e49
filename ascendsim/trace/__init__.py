"""The one event log of a simulated system and its exporters.

:class:`TraceLog` holds immutable :class:`Record` objects appended by every layer;
:func:`~ascendsim.trace.chrome.to_chrome_json` and
:func:`~ascendsim.trace.chrome.write_chrome_trace` export it for Perfetto / chrome://tracing.
"""

from ascendsim.trace.chrome import to_chrome_json, write_chrome_trace
from ascendsim.trace.log import RecordsView, TraceLog
from ascendsim.trace.record import Record

__all__ = ["Record", "RecordsView", "TraceLog", "to_chrome_json", "write_chrome_trace"]
