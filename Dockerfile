# The image every Airflow component of docker-compose.yml runs: the official Airflow image plus
# the project and its locked dependencies (no _PIP_ADDITIONAL_REQUIREMENTS at start-up).
FROM apache/airflow:3.3.2-python3.11
USER airflow
WORKDIR /opt/ctm
COPY --chown=airflow:root requirements.lock pyproject.toml README.md ./
RUN pip install --no-cache-dir -r requirements.lock
COPY --chown=airflow:root pipeline ./pipeline
COPY --chown=airflow:root extract ./extract
COPY --chown=airflow:root expectations ./expectations
COPY --chown=airflow:root publish ./publish
COPY --chown=airflow:root transform ./transform
COPY --chown=airflow:root ctm ./ctm
COPY --chown=airflow:root dbt_project ./dbt_project
COPY --chown=airflow:root data ./data
RUN pip install --no-cache-dir --no-deps -e .
# Airflow's local settings: the scheduler and Celery workers preload the pipeline's imports
ENV PYTHONPATH=/opt/ctm/ctm/airflow_config
