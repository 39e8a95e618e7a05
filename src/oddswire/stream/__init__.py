"""Streaming: committed changes fanned out to WebSocket sessions, encoded once per wire
format, with bounded buffers, conflation when a client lags, and resume by sequence.

Nothing here imports a web framework; ``oddswire.api.ws`` adapts it to Starlette.
"""
