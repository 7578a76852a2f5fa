"""Apache Airflow DAG that runs Lodestar's batch jobs through its REST API.

Each task triggers one job for the workspace of the API key (POST /v1/jobs/{job}/runs), polls the run
(GET /v1/jobs/runs/{runId}) until it ends, following the scheduler's own retries, and fails the task when
the run failed. Copy this file and lodestar_client.py into the DAGs folder; see README.md for the
connection and for turning off etl-service's own cron schedule of the jobs Airflow drives.
"""

import os
from datetime import datetime, timedelta

try:  # Airflow 3
    from airflow.sdk import dag, task, get_current_context
except ImportError:  # Airflow 2.4+
    from airflow.decorators import dag, task
    from airflow.operators.python import get_current_context

from lodestar_client import LodestarJobs

CONNECTION_ID = os.environ.get("LODESTAR_AIRFLOW_CONNECTION", "lodestar_api")
POLL_SECONDS = float(os.environ.get("LODESTAR_POLL_SECONDS", "15"))
RUN_TIMEOUT = timedelta(hours=4)


def _client():
    """The gateway URL and API key from the Airflow connection (host, password), else the environment."""
    url = os.environ.get("LODESTAR_API_URL")
    api_key = os.environ.get("LODESTAR_API_KEY")
    workspace = os.environ.get("LODESTAR_WORKSPACE")
    try:
        try:
            from airflow.sdk.bases.hook import BaseHook
        except ImportError:
            from airflow.hooks.base import BaseHook
        connection = BaseHook.get_connection(CONNECTION_ID)
        if connection.host:
            scheme = connection.schema or "http"
            port = ":%d" % connection.port if connection.port else ""
            url = connection.host if "://" in connection.host else "%s://%s%s" % (scheme, connection.host, port)
        api_key = connection.password or api_key
        workspace = (connection.extra_dejson or {}).get("workspace", workspace)
    except Exception:  # no such connection: the environment decides
        pass
    if not url or not api_key:
        raise ValueError("set the Airflow connection %r (host: the gateway URL, password: an API key with "
                         "jobs:run and analytics:read) or LODESTAR_API_URL and LODESTAR_API_KEY" % CONNECTION_ID)
    return LodestarJobs(url, api_key, workspace)


def run_job(job):
    """Triggers the job with the parameters given for it in the DAG run's conf, waits, fails on failure.

    conf example: {"recommendations": {"parameters": {"rank": 32}, "from": "2011-01-01", "to": "2011-12-09"}}
    """
    context = get_current_context()
    conf = (context["dag_run"].conf or {}).get(job, {}) if context.get("dag_run") else {}
    client = _client()
    log = context["ti"].log if context.get("ti") else None

    def report(run):
        if log:
            progress = run.get("progress") or {}
            log.info("Lodestar job %s run %s: %s %s", job, run["runId"], run["status"], progress.get("step", ""))

    done = client.trigger_and_wait(job, conf.get("parameters"), conf.get("from"), conf.get("to"),
                                   poll_interval=POLL_SECONDS, timeout=RUN_TIMEOUT.total_seconds(), on_poll=report)
    # returned to XCom: the run's id, row counts and the job's summary (e.g. the model version)
    return {"runId": done["runId"], "rowsIn": done.get("rowsIn"), "rowsOut": done.get("rowsOut"),
            "durationMs": done.get("durationMs"), "result": done.get("result")}


@dag(
    dag_id="lodestar_jobs",
    schedule="0 2 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 0, "execution_timeout": RUN_TIMEOUT + timedelta(minutes=10)},
    tags=["lodestar"],
    doc_md=__doc__,
)
def lodestar_jobs():
    @task(task_id="rfm")
    def rfm():
        return run_job("rfm")

    @task(task_id="recommendations")
    def recommendations():
        return run_job("recommendations")

    # one after the other: both are Spark jobs on the same etl-service
    rfm() >> recommendations()


lodestar_jobs()
