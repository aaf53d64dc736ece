"""Builds the optional C word numbering (bot/search/_wordids.c); everything else is in pyproject.toml.

``optional=True``: without a C compiler the install still succeeds, and index builds number words
in Python (numbering.PyWordTable), with the same results, about 40% slower at a million records.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("bot.search._wordids", ["bot/search/_wordids.c"], optional=True, extra_compile_args=["-O2"])])
