import sys

from coopcourse.handouts.build import main

sys.exit(main())
