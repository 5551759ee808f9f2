package io.statelesslb.domain.model;

import io.statelesslb.domain.net.Cidr;

/** A virtual address (or prefix) whose traffic is load-balanced. */
public record Vip(String name, Cidr address) {
}
