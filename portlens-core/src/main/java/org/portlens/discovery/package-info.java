/** Finding the sockets bound to ports and the processes that hold them; one {@link org.portlens.discovery.SocketTable} per operating system. */
@NullMarked
package org.portlens.discovery;

import org.jspecify.annotations.NullMarked;
