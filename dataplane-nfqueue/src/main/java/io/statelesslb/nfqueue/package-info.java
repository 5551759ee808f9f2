/**
 * The real-kernel dataplane: netlink over JNA (rtnetlink, nf_tables, nfnetlink_queue), NFQUEUE workers running
 * the domain's engine, and a kernel state reader for reconcile. (Planned after the engine, issue #3; this module
 * holds no code yet.)
 */
package io.statelesslb.nfqueue;
