"""Local station storage: SQLAlchemy 2.x typed ORM, Alembic migrations, one writer thread."""
