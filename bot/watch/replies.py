"""What /watch answers, as text (Discord markdown with every user word escaped): the Discord layer
only sends it, and the CLI could print it with the same code."""

from __future__ import annotations

from bot.answer.render import escape_md
from bot.answer.service import Answer
from bot.digest.watch_state import PAUSED_DMS_CLOSED, Watch

from .service import WatchList, local_time

SHOWN_TITLES = 3  # titles of the last DM shown per watch in /watch list


def _schedule(watches: WatchList, watch: Watch) -> str:
    if watch.mode != "daily":
        return "at the next check of new records"
    schedule = watches.schedule(watch)
    return f"daily at {schedule.time} ({schedule.timezone})"


def added_text(watches: WatchList, watch: Watch, understood: Answer) -> str:
    """The confirmation of /watch add: the id, how the question was understood, when DMs come, and
    names the corpus does not know yet (the watch matches them once their papers arrive)."""
    zone = watches.schedule(watch).timezone
    lines = [
        f"Watching **#{watch.id}**: “{escape_md(watch.question)}” (understood as: {escape_md(understood.reply.understood)}).",
        f"New papers matching it come by DM {_schedule(watches, watch)}"
        + (f", next {local_time(watches.next_check(watch), zone)}." if watch.mode == "daily" else "."),
    ]
    unknown = understood.reply.query.unknown_authors
    if unknown:
        names = ", ".join(escape_md(n) for n in unknown)
        lines.append(f"No paper by {names} is in the corpus yet; the watch matches their papers once they arrive.")
    if understood.reply.query.set_aside:
        lines.append(f"Set aside (not understood): {escape_md(', '.join(understood.reply.query.set_aside))}.")
    return "\n".join(lines)


def listing_text(watches: WatchList, user_id: int) -> str:
    """/watch list: each watch with its id, state, schedule, and what it last sent and when."""
    mine = watches.watches(user_id)
    if not mine:
        return "You have no watches. `/watch add question:diffusion with code` starts one."
    lines = [f"**Your watches** ({len(mine)} of {watches.settings.watch.max_per_user}):"]
    for watch in mine:
        zone = watches.schedule(watch).timezone
        state = (
            " · **paused: your DMs are closed**" if watch.paused == PAUSED_DMS_CLOSED else " · **paused**" if watch.paused else ""
        )
        lines.append(f"**#{watch.id}** “{escape_md(watch.question)}” · {_schedule(watches, watch)}{state}")
        if watch.last_sent_at is not None:
            titles = "; ".join(escape_md(t) for t in watch.last_sent[:SHOWN_TITLES])
            extra = len(watch.last_sent) - SHOWN_TITLES
            more = f" and {extra} more" if extra > 0 else ""
            lines.append(f"  last sent {local_time(watch.last_sent_at, zone)}: {titles}{more}")
        else:
            lines.append("  nothing sent yet")
        if watch.last_error and not watch.paused:
            lines.append(f"  last DM failed ({escape_md(watch.last_error[:150])}); retry {local_time(watch.next_try_at, zone)}")
    return "\n".join(lines)


def removed_text(removed: bool, watch_id: int) -> str:
    return f"Removed watch #{watch_id}." if removed else f"You have no watch #{watch_id}; `/watch list` shows yours."


def paused_text(count: int, watch_id: int | None) -> str:
    if not count:
        return "Nothing to pause: " + (f"you have no running watch #{watch_id}." if watch_id else "no watch of yours is running.")
    return (
        f"Paused {count} {'watch' if count == 1 else 'watches'}; `/watch resume` starts them again (papers meanwhile are kept)."
    )


def resumed_text(count: int, watch_id: int | None) -> str:
    if not count:
        return "Nothing to resume: " + (f"you have no paused watch #{watch_id}." if watch_id else "no watch of yours is paused.")
    return f"Resumed {count} {'watch' if count == 1 else 'watches'}; papers that arrived while paused come in the next DM."
