"""Business rules in plain Python and SQLModel: no Reflex, no Starlette."""
