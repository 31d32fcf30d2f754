/** Fast connect scans of many ports (TCP) and UDP reachability checks. */
package org.portlens.scan;
