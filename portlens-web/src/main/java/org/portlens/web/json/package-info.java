/** The JSON documents of portlens ({@code "schema": "portlens/2"}), shared by the CLI's --json and the web API. */
package org.portlens.web.json;
