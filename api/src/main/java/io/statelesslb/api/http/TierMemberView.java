package io.statelesslb.api.http;

/**
 * One instance of the trench's LB tier as {@code slb status} shows it: where the others send the fragments it owns.
 *
 * @param name          the instance's name
 * @param address       its address on the tier's network
 * @param interfaceName its interface there
 * @param fwmark        the fwmark (and routing table) of the fragments sent to it
 */
public record TierMemberView(String name, String address, String interfaceName, int fwmark) {
}
