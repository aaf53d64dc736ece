"""Discord cogs: one per feature; they translate between Discord and PaperService."""
