"""WebSocket endpoints: TheRundown's streams, the multiplexed protocol, BoltOdds'."""
