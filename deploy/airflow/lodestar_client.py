"""Drive Lodestar's batch jobs over its REST API: trigger a run, poll it until it ends, fail when it failed.

Standard library only, so the same file works inside Airflow (see lodestar_jobs_dag.py), in a shell, and in
the project's tests. Talks to the gateway (``X-Api-Key`` with ``jobs:run`` and ``analytics:read``) or, on a
private network, straight to etl-service (``X-Lodestar-Workspace`` only, when no service secret is set).

    python3 lodestar_client.py --url http://127.0.0.1:8080 --api-key lsk_... run recommendations \\
        --param rank=32 --from 2011-01-01 --to 2011-12-09

Exit status: 0 when the run succeeded, 1 when it failed (the error is printed), 2 on a refused request.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

FINISHED = ("succeeded", "failed")


class LodestarError(Exception):
    """The API refused a request (problem JSON), or could not be reached."""

    def __init__(self, message, status=None, problem=None):
        super().__init__(message)
        self.status = status
        self.problem = problem or {}


class JobAlreadyRunning(LodestarError):
    """409: the job already has a queued or running run for the workspace."""


class JobRunFailed(Exception):
    """The run (and every retry the scheduler made of it) failed."""

    def __init__(self, run):
        super().__init__("job %s run %s failed (%s): %s" % (
            run.get("job"), run.get("runId"), run.get("errorType", "error"), run.get("error", "no error message")))
        self.run = run


class LodestarJobs:
    """A client of ``/v1/jobs``."""

    def __init__(self, url, api_key=None, workspace=None, timeout=30.0):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.workspace = workspace
        self.timeout = timeout

    def _request(self, method, path, body=None, headers=None):
        request = urllib.request.Request(self.url + path, method=method)
        request.add_header("Accept", "application/json")
        if self.api_key:
            request.add_header("X-Api-Key", self.api_key)
        if self.workspace:
            request.add_header("X-Lodestar-Workspace", self.workspace)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, data=data, timeout=self.timeout) as response:
                text = response.read().decode("utf-8")
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            try:
                problem = json.loads(text)
            except ValueError:
                problem = {"detail": text[:500]}
            message = "%s %s: %s %s" % (method, path, error.code, problem.get("detail") or problem.get("title") or "")
            kind = JobAlreadyRunning if error.code == 409 else LodestarError
            raise kind(message.strip(), error.code, problem) from None
        except urllib.error.URLError as error:
            raise LodestarError("%s %s: %s" % (method, path, error.reason)) from None

    def jobs(self):
        """Every job with its schedule, next run and last run."""
        return self._request("GET", "/v1/jobs")[1]["jobs"]

    def trigger(self, job, parameters=None, date_from=None, date_to=None):
        """Queues a run and returns it at once (202); raises JobAlreadyRunning on 409."""
        body = {"parameters": parameters or {}}
        if date_from:
            body["from"] = str(date_from)
        if date_to:
            body["to"] = str(date_to)
        # every job answers 202 with the run; rfm's own endpoint needs the preference to do so
        status, run = self._request("POST", "/v1/jobs/%s/runs" % urllib.parse.quote(job, safe=""), body,
                                    {"Prefer": "respond-async"})
        if status != 202 or not run or "runId" not in run:
            raise LodestarError("POST /v1/jobs/%s/runs: expected 202 with a run, got %s" % (job, status), status)
        return run

    def run(self, run_id):
        return self._request("GET", "/v1/jobs/runs/%s" % urllib.parse.quote(str(run_id), safe=""))[1]

    def wait(self, run_id, poll_interval=10.0, timeout=6 * 3600.0, on_poll=None):
        """Polls the run until it ends, following the scheduler's retries of a failed attempt.

        Returns the succeeded run; raises JobRunFailed when the last attempt failed, TimeoutError when the
        run did not end in time.
        """
        deadline = time.monotonic() + timeout
        while True:
            run = self.run(run_id)
            if on_poll:
                on_poll(run)
            if run["status"] == "succeeded":
                return run
            if run["status"] == "failed":
                if run.get("retriedBy"):
                    run_id = run["retriedBy"]
                    continue
                raise JobRunFailed(run)
            if time.monotonic() >= deadline:
                raise TimeoutError("job %s run %s still %s after %.0f s" % (run.get("job"), run_id, run["status"],
                                                                            timeout))
            time.sleep(poll_interval)

    def trigger_and_wait(self, job, parameters=None, date_from=None, date_to=None, poll_interval=10.0,
                         timeout=6 * 3600.0, on_poll=None):
        run = self.trigger(job, parameters, date_from, date_to)
        return self.wait(run["runId"], poll_interval, timeout, on_poll)


def _parameter(text):
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError("a parameter is name=value, got %r" % text)
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value


def main(argv=None):
    parser = argparse.ArgumentParser(description="Trigger a Lodestar job and wait for its run.")
    parser.add_argument("--url", required=True, help="the gateway (or etl-service) base URL")
    parser.add_argument("--api-key", help="an API key with jobs:run and analytics:read")
    parser.add_argument("--workspace", help="the workspace (X-Lodestar-Workspace)")
    parser.add_argument("--poll-interval", type=float, default=10.0)
    parser.add_argument("--timeout", type=float, default=6 * 3600.0)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="trigger a job and wait until its run ends")
    run.add_argument("job")
    run.add_argument("--param", action="append", type=_parameter, default=[], metavar="NAME=VALUE")
    run.add_argument("--from", dest="date_from")
    run.add_argument("--to", dest="date_to")
    commands.add_parser("jobs", help="list the jobs")
    args = parser.parse_args(argv)
    client = LodestarJobs(args.url, args.api_key, args.workspace)
    try:
        if args.command == "jobs":
            print(json.dumps(client.jobs(), indent=2))
            return 0
        done = client.trigger_and_wait(args.job, dict(args.param), args.date_from, args.date_to,
                                       args.poll_interval, args.timeout,
                                       lambda r: print("run %s: %s" % (r["runId"], r["status"]), file=sys.stderr))
        print(json.dumps(done))
        return 0
    except JobRunFailed as failed:
        print(str(failed), file=sys.stderr)
        print(json.dumps(failed.run))
        return 1
    except (LodestarError, TimeoutError) as error:
        print(str(error), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
