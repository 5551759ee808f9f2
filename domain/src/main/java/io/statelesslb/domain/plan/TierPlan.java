package io.statelesslb.domain.plan;

import io.statelesslb.domain.net.Family;
import io.vavr.collection.SortedMap;

/**
 * The load balancer's part of the LB tier (nfqlb's {@code --lbshm} and {@code --ownfw}): the tier's Maglev table
 * over the instances, by which a fragmented datagram's owner is found from its address hash, and this instance's own
 * fwmark in it. Fragments of the other instances' datagrams are marked with the owner's fwmark; policy routing
 * ({@link DataplaneSpec#rules()}, {@link DataplaneSpec#routes()}) sends them to it.
 *
 * @param maglev    the tier table's shape
 * @param slots     the instances' slots (identifier - 1) with their fwmarks
 * @param ownFwmark this instance's fwmark: fragments whose owner it is are decided here
 * @param family    the family of the instances' addresses: fragments of the other family are not forwarded
 */
public record TierPlan(MaglevSpec maglev, SortedMap<Integer, Integer> slots, int ownFwmark, Family family) {
}
