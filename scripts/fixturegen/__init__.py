"""Fixture generator for the mlpkit op tests (see scripts/gen_fixtures.py)."""
