/**
 * Access Analyzer–style policy validation ({@code ValidatePolicy} events): findings with locations for grammar
 * errors, unknown Amazon Connect actions, ARNs and condition keys, and risky patterns; action expansion.
 */
package dev.edgeiam.validate;
