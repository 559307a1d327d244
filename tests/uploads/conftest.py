"""The fixtures of the apps whose upload forms the corpus is posted to."""

from tests.forced_labor.conftest import tc  # noqa: F401 - a fixture
from tests.validations.conftest import people, planned  # noqa: F401 - fixtures
