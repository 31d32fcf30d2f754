/**
 * Which listeners should be there: a {@link org.portlens.policy.Policy} of expected listeners and
 * ignore rules, {@link org.portlens.policy.Audit} to compare it with a socket table's
 * {@link org.portlens.discovery.Discovery}, {@link org.portlens.policy.Baseline} to write today's
 * listeners as a policy, and {@link org.portlens.policy.AuditSentences} to word the findings. Pure
 * functions over values; a listener is known by its transport, port, bind scope, network namespace
 * and owner (executable, unit, user), never by its pid.
 */
@NullMarked
package org.portlens.policy;

import org.jspecify.annotations.NullMarked;
