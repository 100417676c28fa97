"""Hand-over reports: gathered from the store (collect), laid out as tables
(tables), written as Markdown, CSV, Excel or JSON (render)."""
