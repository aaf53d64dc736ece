"""The per-user cooldown shared by slash commands and messages."""

from bot.discord.cooldown import Cooldown


def test_cooldown_is_per_user_and_ends() -> None:
    now = [100.0]
    cooldown = Cooldown(3.0, lambda: now[0])
    assert cooldown.hit(1) == 0
    now[0] += 1.0
    assert cooldown.hit(1) == 2.0
    assert cooldown.hit(2) == 0  # someone else is not slowed down
    now[0] += 2.5
    assert cooldown.hit(1) == 0


def test_zero_cooldown_never_waits() -> None:
    cooldown = Cooldown(0.0, lambda: 5.0)
    assert cooldown.hit(1) == 0 and cooldown.hit(1) == 0
