/**
 * The batch jobs' scheduler: cron schedules, manual triggers, retries with backoff, one
 * run per job and workspace across instances (a PostgreSQL advisory lock), and the run
 * history in {@code etl.job_run}, over {@code /v1/jobs}.
 */
package io.lodestar.etl.jobs;
