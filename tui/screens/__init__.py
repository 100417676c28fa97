"""Screens: each composes widgets, calls the domain and the store."""
