/**
 * Policies turned into matchers once, when they enter a cache: the action index, linear-time wildcard and ARN
 * matchers ({@code CompiledPattern}, {@code GlobEngine}), typed condition values ({@code ValueTest}), policy-variable
 * templates, and {@code Principal} matching. Owns: how one statement matches one request ([Act], [Res], [Ops], [Cond],
 * [Multi], [Vars]). Depends only on {@code policy} and {@code request}.
 */
package dev.edgeiam.compile;
