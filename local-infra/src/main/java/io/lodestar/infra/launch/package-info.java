/**
 * Starts, watches and stops the platform's processes (infrastructure and services) using
 * nothing but the JDK, so any module can launch them without their classpaths.
 */
package io.lodestar.infra.launch;
