"""Record linkage of agency rows to registry people (the engine lives in ``mesin``)."""
