"""Every write of the integration app (scope check → validate → change → audit, one transaction)."""
