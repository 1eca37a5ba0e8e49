"""Prints what the script sees in sys.argv (the exec CLI passes arguments after the script)."""

import os
import sys

print(os.path.basename(sys.argv[0]))
print(sys.argv[1:])
