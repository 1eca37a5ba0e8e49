"""Tests of sweeps (``ascendsim.sweep``) and of the explorer split across workers."""
