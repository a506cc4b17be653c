"""Period snapshots: the entry points the update cycle calls on approval and un-approval."""

from presisi.indicators.analytics.build import snapshot_bekukan, snapshot_build, snapshot_cairkan

__all__ = ["snapshot_bekukan", "snapshot_build", "snapshot_cairkan"]
