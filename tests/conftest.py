import sys
from pathlib import Path

# Pure modules are imported straight from the checkout, with no Frappe installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
