/**
 * The segment rule language: JSON rules parsed into a checked tree (every error with a
 * JSON pointer), and that tree compiled to parameterised SQL on the profile serving
 * tables.
 */
package io.lodestar.segment.rule;
