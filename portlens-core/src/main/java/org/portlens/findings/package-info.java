/**
 * Typed facts about a port and its listeners ({@link org.portlens.findings.Finding}), computed
 * from the registry, the socket table and the wire, and the one place that words them
 * ({@link org.portlens.findings.Sentences}).
 */
@NullMarked
package org.portlens.findings;

import org.jspecify.annotations.NullMarked;
