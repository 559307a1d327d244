"""requirements.txt is what a new machine installs: it must hold everything the code uses."""

from importlib.metadata import distributions
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]


def normalize(name: str) -> str:
    return name.lower().replace("_", "-")


def test_every_installed_package_is_pinned_in_requirements():
    pinned = {
        normalize(Requirement(line).name)
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    installed = {normalize(d.metadata["Name"]) for d in distributions()} - {"pip", "setuptools"}
    assert installed <= pinned, (
        f"installed but not in requirements.txt: {sorted(installed - pinned)}"
    )


def test_every_direct_dependency_in_pyproject_is_pinned():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = project["dependencies"] + project["optional-dependencies"]["test"]
    pinned = {
        normalize(Requirement(line).name)
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    missing = {normalize(Requirement(d).name) for d in direct} - pinned
    assert not missing, f"in pyproject.toml but not pinned: {sorted(missing)}"
