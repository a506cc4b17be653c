"""Sector integration: agency (OPD) datasets, deliveries, record linkage to the registry,
where the sources disagree, program targeting accuracy and spatial sector layers."""
