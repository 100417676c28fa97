"""Plain-Python core of fielddesk: records, rules and computations. No UI, no I/O."""
