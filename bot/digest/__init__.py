"""Bot state (SQLite), digest schedules and the Library facade the Discord layer and the CLI talk to."""
