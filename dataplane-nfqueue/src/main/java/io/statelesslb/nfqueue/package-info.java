/**
 * The real-kernel dataplane: the netlink core ({@code netlink}: sockets over JNA, message writer, attribute reader,
 * requests, dumps and nfnetlink batches), policy routing over rtnetlink ({@code route}: rules, routes, links and
 * their addresses), nf_tables ({@code nftables}: tables, chains, interval sets, rules and their expressions, the
 * queue-support probe), NFQUEUE ({@code queue}: one queue's packets and verdicts), and {@code dataplane}, which puts
 * them together behind the dataplane port with worker threads running the engine.
 */
package io.statelesslb.nfqueue;
