/**
 * Customer lifetime value: BG/NBD (purchase frequency and dropout) and Gamma-Gamma (spend
 * per purchase) fitted per workspace by maximum likelihood, and per-profile predictions
 * stored for the profile document, segments and the dashboard.
 */
package io.lodestar.profile.ltv;
