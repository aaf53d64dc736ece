"""The built-in answer templates, one per answer kind; installed as the data package ``bot.responses``."""
