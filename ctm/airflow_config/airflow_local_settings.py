"""Airflow's local-settings hook: every Airflow process imports this module when it starts (the
folder is on PYTHONPATH: ctm.embedded_airflow sets it, the Dockerfile too).

In the processes that run tasks, the scheduler (whose LocalExecutor workers fork task processes
from it) and the Celery workers (whose pool forks from them), the pipeline's expensive imports are
paid here, once; every task process forked from them starts with them. Other components skip it.
"""

import sys

if {"scheduler", "worker"} & set(sys.argv[1:3]):
    from ctm.preload import preload

    preload()
