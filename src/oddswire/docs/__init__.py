"""Documentation generated from real runs (``python -m oddswire.docs.api_reference``)."""
