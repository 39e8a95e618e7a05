"""BoltOdds (seed 002) as an upstream source: its WebSocket stream and discovery GETs,
decoded into canonical prices.

- :mod:`.decode`: :class:`BoltOddsDecoder`, frames and discovery bodies -> what they say;
- :mod:`.source`: :class:`BoltOddsSource`, the connection, subscription and reconnects;
- :mod:`.tables`, :mod:`.markets`, :mod:`.outcomes`, :mod:`.times`: BoltOdds' names,
  free-text markets and outcomes, and Eastern times -> canonical ids, lines and UTC;
- :mod:`.discovery`, :mod:`.transport`: the GETs, the request limit, the key in URLs.
"""
