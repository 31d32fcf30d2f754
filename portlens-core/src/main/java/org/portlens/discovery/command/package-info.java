/**
 * Discovery from the outputs of a system's own tools ({@code lsof}, {@code netstat}, {@code ps},
 * PowerShell), shared by the macOS and Windows readers: the rows the parsers give, and the listeners
 * assembled from them.
 */
@NullMarked
package org.portlens.discovery.command;

import org.jspecify.annotations.NullMarked;
