"""The reliability tests drive the app and the terminal too: the UI tests'
app factory and the end-to-end test's tmux."""

from tests.e2e.test_tmux_demo import terminal  # noqa: F401
from tests.ui.conftest import app_on  # noqa: F401
