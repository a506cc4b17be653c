"""The analytics store: one flat, typed table per unit of observation and period.

The registry keeps flexible dictionary attributes in JSON; indicator scans need typed
columns (3–5× faster, reference/performance.md). Each period's rows are extracted here
in set-based SQL, with derived variables (ages, z-scores, household composites) added.
"""
