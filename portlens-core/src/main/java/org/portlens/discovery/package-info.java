/** Finding the sockets bound to ports and the processes that hold them; one {@link org.portlens.discovery.SocketTable} per operating system. */
package org.portlens.discovery;
