"""paperbot: a research-paper lookup bot. The core (this package minus cogs/, app.py, ui.py) knows nothing of Discord."""

__version__ = "0.1.0"
