"""The queue on a TV: `fielddesk display --web`, a page served from the
laptop to a browser, updated by server-sent events (see docs/DISPLAY.md)."""
