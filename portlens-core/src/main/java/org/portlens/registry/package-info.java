/** IANA's service name and port number registry (parsed, compacted, looked up), port range classes and known unofficial uses. */
package org.portlens.registry;
