/**
 * Facts: what a host looks like now, gathered by one shell script per host (sent over stdin,
 * one round trip) and parsed by pure functions into immutable records. Tasks say which facts they
 * need with a {@link dev.pig.core.fact.FactRequest}; modules add their own sections with
 * {@link dev.pig.core.fact.FactSection}.
 */
package dev.pig.core.fact;
