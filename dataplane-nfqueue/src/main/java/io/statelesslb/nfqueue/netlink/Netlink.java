package io.statelesslb.nfqueue.netlink;

/** The netlink constants this module uses, with the kernel's names ({@code linux/netlink.h}). */
public final class Netlink {

    /** Protocol of the routing socket. */
    public static final int NETLINK_ROUTE = 0;
    /** Protocol of the netfilter socket (nf_tables, nfnetlink_queue). */
    public static final int NETLINK_NETFILTER = 12;

    /** The flag of a nested attribute's type, which nf_tables expects. */
    public static final int NLA_F_NESTED = 1 << 15;

    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;

    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;

    private Netlink() {
    }
}
