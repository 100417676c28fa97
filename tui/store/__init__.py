"""Persistence over TinyDB: crash-safe files, the repository, backups, exchange."""
