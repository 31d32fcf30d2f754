/** The values every part of portlens shares: transports, endpoints, listeners, processes and owners. */
package org.portlens.model;
