"""SQLAlchemy models, engines (SQLCipher and PostgreSQL), key storage, migrations."""
