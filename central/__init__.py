"""The central service the stations sync to (HTTP API, SQLAlchemy on PostgreSQL or SQLite)."""
