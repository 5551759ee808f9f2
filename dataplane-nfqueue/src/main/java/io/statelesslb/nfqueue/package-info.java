/**
 * The real-kernel dataplane. So far: the netlink core ({@code netlink}: socket, message writer, attribute reader,
 * request/acknowledgement and dumps) and policy routing over rtnetlink ({@code route}: rules, routes, interface
 * indexes). Still to come: nf_tables (the VIP sets and the queueing rules), the NFQUEUE workers running the
 * domain's engine, the kernel state reader, and the {@code Dataplane} that puts them together for
 * {@code slb run --backend kernel}.
 */
package io.statelesslb.nfqueue;
