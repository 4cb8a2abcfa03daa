"""Persistence: typed SQLAlchemy models, the engine, query functions, migrations and the SQL FSM storage."""
