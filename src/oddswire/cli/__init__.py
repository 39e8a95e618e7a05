"""The ``oddswire`` command line."""
