"""The seed corpus; its profile page is installed as the data package ``bot.example``, which ``paperbot init`` copies."""
