"""The one declared registry: fixed keys, contributions made in AppConfig.ready()."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from ctpat.registry import EXTENSION_POINTS, Registry, registry


def test_an_unknown_extension_point_is_refused():
    with pytest.raises(ImproperlyConfigured, match="not an extension point"):
        registry.register("deadline_kind", object())
    with pytest.raises(KeyError):
        registry["partner_link"]


def test_registering_twice_keeps_one():
    local = Registry(["things"])
    thing = object()
    local.register("things", thing)
    local.register("things", thing)
    assert local["things"] == (thing,)


@pytest.mark.parametrize("key", sorted(EXTENSION_POINTS))
def test_every_extension_point_has_contributions_from_the_apps(key):
    assert registry[key], f"no app registers {key!r}"


def test_demo_data_loads_in_installed_apps_order():
    modules = [load.__module__.split(".")[0] for load in registry["demo_data"]]
    assert modules[:2] == ["accounts", "partners"]
