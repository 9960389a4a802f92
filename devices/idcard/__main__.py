import sys

from devices.idcard.cli import main

sys.exit(main())
