/** What the tests need from the machine, and the summary of what they skipped for lack of it. */
package org.portlens.testkit;
