"""oddswire: a self-hosted, real-time sports-odds hub."""

__version__ = "0.1.0"
