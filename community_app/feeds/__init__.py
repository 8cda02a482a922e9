"""Plain HTTP routes (calendar feeds, health) served beside the Reflex app."""
