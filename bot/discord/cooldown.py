"""Per-user cooldown with an injectable clock (tests pass their own)."""

from __future__ import annotations

from collections.abc import Callable


class Cooldown:
    """One question per ``seconds`` per user; ``hit`` returns how long to wait (0 = go ahead)."""

    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self.seconds = seconds
        self.clock = clock
        self._last: dict[int, float] = {}

    def hit(self, user_id: int) -> float:
        now = self.clock()
        last = self._last.get(user_id)
        if last is not None and now - last < self.seconds:
            return self.seconds - (now - last)
        self._last[user_id] = now
        if len(self._last) > 10_000:  # forget users who went quiet
            self._last = {u: t for u, t in self._last.items() if now - t < self.seconds}
        return 0.0
