"""Pure functions of the clinic's work. No Flask, no database sessions."""
