/**
 * The history of listeners: what {@code portlens watch} saw, kept in SQLite (a file in the data
 * directory) or PostgreSQL (many hosts, one database). Start at {@link org.portlens.store.HistoryStore}.
 *
 * <p>Also the "Was this page helpful?" votes of the web pages, in a SQLite file of their own:
 * {@link org.portlens.store.VoteStore}.
 */
@NullMarked
package org.portlens.store;

import org.jspecify.annotations.NullMarked;
