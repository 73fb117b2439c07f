package org.mwan4.lab;

import org.mwan4.config.IpAddress;

/**
 * One ISP of the lab and what can go wrong with it: its link to the router drops (the router's WAN loses
 * carrier), it loses packets, it blackholes a destination. Impairments act on traffic from the router, are
 * kept as an {@link IspImpairment} value and written as one nft transaction each time.
 */
public final class Isp {
    private final Topology.IspLink link;
    private final Netns ns;
    private IspImpairment impairment = IspImpairment.NONE;

    Isp(Topology.IspLink link, Netns ns) {
        this.link = link;
        this.ns = ns;
    }

    /** 1-based, as in {@code wan1}. */
    public int index() {
        return link.index();
    }

    /** The router's device towards this ISP ({@code wan1}). */
    public String wan() {
        return link.wanDevice();
    }

    public Topology.IspLink link() {
        return link;
    }

    public Netns namespace() {
        return ns;
    }

    /**
     * The ISP's side of the router link goes down, so the router's WAN device loses carrier (NO-CARRIER, operstate
     * DOWN) while staying admin-up, as when a modem dies. Equals {@code ip -n ISP link set down0 down}.
     */
    public void linkDown() {
        ns.ip("link", "set", Topology.ISP_DOWN_DEVICE, "down");
    }

    /** Carrier returns. Equals {@code ip -n ISP link set down0 up}. */
    public void linkUp() {
        ns.ip("link", "set", Topology.ISP_DOWN_DEVICE, "up");
    }

    /**
     * Drops {@code percent} % of the packets from the router at random (0 stops it).
     * Equals {@code ip netns exec ISP nft -f -} with {@link IspImpairment#render()}.
     */
    public synchronized void loss(int percent) {
        apply(impairment.withLoss(percent));
    }

    /** Silently drops everything the router sends to {@code target} through this ISP. Same nft command as {@link #loss}. */
    public synchronized void blackhole(IpAddress target) {
        apply(impairment.withBlackhole(target, true));
    }

    /** Undoes {@link #blackhole}. */
    public synchronized void unblackhole(IpAddress target) {
        apply(impairment.withBlackhole(target, false));
    }

    /** No loss, no blackholes, link up. */
    public synchronized void clear() {
        apply(IspImpairment.NONE);
        linkUp();
    }

    public synchronized IspImpairment impairment() {
        return impairment;
    }

    /** Equals {@code ip netns exec ISP nft -f -} with {@link IspImpairment#render()}. */
    private void apply(IspImpairment next) {
        ns.nft(next.render());
        impairment = next;
    }

    @Override
    public String toString() {
        return "isp" + link.index() + " (" + ns + ", router device " + link.wanDevice() + ")";
    }
}
