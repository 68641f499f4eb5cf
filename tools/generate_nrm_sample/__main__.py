"""`python -m tools.generate_nrm_sample`: see the package docstring."""

from tools.generate_nrm_sample import main

main()
