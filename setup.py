"""Only the package list lives here: src/ packages plus ontology/ and web/ shipped as data packages.
Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

setup(packages=[*find_packages("src"), "kg._ontology", "kg._web"])
