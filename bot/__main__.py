"""``python -m bot`` is the same as ``paperbot``."""

import sys

from .cli import main

sys.exit(main())
