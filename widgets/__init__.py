"""Reusable Textual widgets. They get data handed in and post Messages up;
they never open the store or know about screens."""
