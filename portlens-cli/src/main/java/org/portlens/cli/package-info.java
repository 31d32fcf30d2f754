/** The portlens command line: picocli commands, text and JSON renderers. Renders what the core answers; reads nothing itself. */
package org.portlens.cli;
