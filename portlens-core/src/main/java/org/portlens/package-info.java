/** portlens: what a TCP or UDP port is, who holds it, and how exposed it is. Start at {@link org.portlens.Portlens}. */
@NullMarked
package org.portlens;

import org.jspecify.annotations.NullMarked;
