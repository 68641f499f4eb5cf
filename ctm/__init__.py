"""The applications on top of the stages: the `ctm` command, the in-process runner, the demo and
the embedded Airflow. Nothing below imports from here."""
