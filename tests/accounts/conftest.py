# The validations tests' people, planned validation and validation in review, for the
# audit log's tests of what people do to them.
from tests.validations.conftest import in_review, people, planned  # noqa: F401
