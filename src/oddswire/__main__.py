import sys

from oddswire.cli.main import main

sys.exit(main())
