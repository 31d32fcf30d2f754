/** Which installed package (dpkg or rpm) an owner's executable came from, and why that is sometimes unknown. */
@NullMarked
package org.portlens.packages;

import org.jspecify.annotations.NullMarked;
