/** portlens: what a TCP or UDP port is, who holds it, and how exposed it is. Start at {@link org.portlens.Portlens}. */
package org.portlens;
