"""The resident registry from spreadsheets: reading xlsx/csv files (read) and
applying an import plan to a data folder (apply)."""
