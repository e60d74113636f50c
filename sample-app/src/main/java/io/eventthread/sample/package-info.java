/**
 * A timed-auction service built on the EventThread Spring Boot starter: HTTP controllers hand
 * each request to the loop that owns the auction and return that loop's future, timers close
 * auctions, blocking JDBC runs on the blocking pool, and notifications and SSE streams are fed
 * from loop code.
 */
package io.eventthread.sample;
