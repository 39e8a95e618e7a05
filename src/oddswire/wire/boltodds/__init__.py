"""BoltOdds' protocol (seed 002): names, discovery shapes and stream messages, I/O-free.

The endpoints are ``oddswire.api.ws.boltodds`` (the ``/api`` stream) and
``oddswire.api.routes.boltodds`` (``/api/get_info``, ``get_games``, ``get_markets``).
"""
