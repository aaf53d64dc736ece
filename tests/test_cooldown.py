"""The per-user cooldown shared by slash commands and messages (discord.py's own bucket)."""

from bot.discord.app import user_cooldown


def _wait(mapping, user: int, now: float) -> float:
    return mapping.get_bucket(user, now).update_rate_limit(now) or 0.0


def test_cooldown_is_per_user_and_ends() -> None:
    mapping = user_cooldown(3.0)
    assert _wait(mapping, 1, 100.0) == 0
    assert _wait(mapping, 1, 101.0) == 2.0
    assert _wait(mapping, 2, 101.0) == 0  # someone else is not slowed down
    assert _wait(mapping, 1, 103.5) == 0
