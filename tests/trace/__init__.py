"""Tests of ascendsim.trace: the event log and its Chrome/Perfetto export."""
