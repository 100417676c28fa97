"""The three printed documents (the ticket slip, the case receipt, the
community's contact card) and their renderers: ESC/POS bytes for a receipt
printer, PDF and HTML for an ordinary A4 printer. No Textual, no store: the
services (tui/services/printing.py) gather the records and call these."""
