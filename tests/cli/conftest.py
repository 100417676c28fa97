"""The config tests start the app too: the UI tests' app factory."""

from tests.ui.conftest import app_on  # noqa: F401
