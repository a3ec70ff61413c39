"""`python -m pipedrive_graphql` runs the same CLI as `pipedrive-graphql`."""

import sys

from pipedrive_graphql.cli import main

sys.exit(main())
