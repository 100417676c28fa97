"""Deterministic synthetic data: the sample community and `fielddesk gen` history.

Every person, phone number and story here is made up. Same seed, same data.
"""
