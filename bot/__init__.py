"""paperbot: a research-paper lookup bot. Only bot.discord imports discord; everything else is the core."""

__version__ = "0.1.0"
