/** IANA's service name and port number registry (parsed, compacted, looked up), port range classes and known unofficial uses. */
@NullMarked
package org.portlens.registry;

import org.jspecify.annotations.NullMarked;
