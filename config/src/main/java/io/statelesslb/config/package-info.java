/**
 * Declarative YAML configuration turned into events: one file for the trench, conduits, streams, flows, VIPs,
 * attractors and gateways; loading it emits the events for exactly the differences to the current state, with
 * errors that name file, line, column and field. (Planned: issue #5; this module holds no code yet.)
 */
package io.statelesslb.config;
