"""The thin Discord layer: the bot, its cogs and page views. Translates; decides nothing."""
