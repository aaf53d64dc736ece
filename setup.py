"""Builds the optional C word numbering (bot/search/_wordids.c) and maps the data folders into the
package; everything else is in pyproject.toml.

``optional=True``: without a C compiler the install still succeeds, and index builds number words
in Python (numbering.PyWordTable), with the same results, about 40% slower at a million records.
The top-level ``responses/`` (the built-in answer templates) and ``corpus/`` (the example profile
page ``paperbot init`` copies) stay where they are in the repository and install as the data
packages ``bot.responses`` and ``bot.example``, so an installed paperbot runs from any folder.
"""

from setuptools import Extension, find_packages, setup

setup(
    packages=[*find_packages(include=["bot", "bot.*"]), "bot.responses", "bot.example"],
    package_dir={"bot.responses": "responses", "bot.example": "corpus"},
    package_data={"bot.responses": ["*.j2"], "bot.example": ["*.txt"], "bot": ["starter_config.yaml"]},
    ext_modules=[Extension("bot.search._wordids", ["bot/search/_wordids.c"], optional=True, extra_compile_args=["-O2"])],
)
