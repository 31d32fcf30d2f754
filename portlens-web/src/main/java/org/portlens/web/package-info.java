/**
 * {@code portlens serve} and {@code portlens site}: the "What Port N Is" pages, live answers for this
 * host, the JSON API, server-sent events and Prometheus metrics. Renders what the core answers.
 */
@NullMarked
package org.portlens.web;

import org.jspecify.annotations.NullMarked;
